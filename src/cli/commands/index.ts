import type { Command } from 'commander';
import { registerPolicy } from './policy.ts';
import { registerSchema } from './schema.ts';
import { registerInit } from './init.ts';

/** Every CLI command registers itself here; one file per command (or command group). */
export const commands: Array<(program: Command) => void> = [
  registerInit,
  registerPolicy,
  registerSchema,
];
