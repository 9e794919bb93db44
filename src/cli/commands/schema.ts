import type { Command } from 'commander';
import { policyJsonSchema } from '../../policy/schema.ts';
import { action } from '../output.ts';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('Print the JSON Schema of policy documents (for editors and CI)')
    .option('--json', 'accepted for uniformity; the output is always JSON')
    .action(
      action(() => {
        process.stdout.write(JSON.stringify(policyJsonSchema(), null, 2) + '\n');
      }),
    );
}
