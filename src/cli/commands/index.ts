import type { Command } from 'commander';
import { registerPolicy } from './policy.ts';
import { registerSchema } from './schema.ts';
import { registerInit } from './init.ts';
import { registerAudit } from './audit.ts';
import { registerApprovals } from './approvals.ts';
import { registerKeys } from './keys.ts';
import { registerServe } from './serve.ts';
import { registerDetect } from './detect.ts';

/** Every CLI command registers itself here; one file per command (or command group). */
export const commands: Array<(program: Command) => void> = [
  registerInit,
  registerPolicy,
  registerSchema,
  registerAudit,
  registerApprovals,
  registerKeys,
  registerServe,
  registerDetect,
];
