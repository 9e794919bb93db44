import { Command, CommanderError } from 'commander';
import { EXIT } from '../errors.ts';
import { commands } from './commands/index.ts';
import { readPackageVersion } from './version.ts';

export async function main(argv: string[]): Promise<void> {
  const program = new Command('gatehouse')
    .description('Governance for AI agents and the tools they call: policy, detectors, approvals, ledger.')
    .version(readPackageVersion(), '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit 0; every other commander error is a usage error
      process.exitCode = error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
      return;
    }
    throw error;
  }
}

await main(process.argv);
