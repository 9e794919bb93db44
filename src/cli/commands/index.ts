import type { Command } from 'commander';

/** Every CLI command registers itself here; one file per command (or command group). */
export const commands: Array<(program: Command) => void> = [];
