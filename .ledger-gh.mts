import { Command, CommanderError } from 'commander';
import { registerAudit } from '/work/main/src/cli/commands/audit.ts';
const program = new Command('gatehouse').exitOverride();
registerAudit(program);
try { await program.parseAsync(process.argv); } catch (e) { if (e instanceof CommanderError) process.exitCode = e.exitCode === 0 ? 0 : 2; else throw e; }
