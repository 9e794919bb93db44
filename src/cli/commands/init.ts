import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { GatehouseError } from '../../errors.ts';
import { policyJsonSchema } from '../../policy/schema.ts';
import { action, createOutput } from '../output.ts';

const EXAMPLES = new URL('../../../examples/', import.meta.url);

/** The starter files `gatehouse init` writes: the example config, policies and policy tests. */
function starterFiles(): Array<{ path: string; text: string }> {
  const policiesDir = new URL('policies/', EXAMPLES);
  const policies = readdirSync(policiesDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({
      path: join('policies', f),
      // the examples point at the repository's schema; a project gets its own copy
      text: readFileSync(new URL(f, policiesDir), 'utf8').replace('$schema=../../schema/policy.schema.json', '$schema=../policy.schema.json'),
    }));
  return [
    { path: 'gatehouse.yaml', text: readFileSync(new URL('gatehouse.yaml', EXAMPLES), 'utf8') },
    { path: 'policy.schema.json', text: JSON.stringify(policyJsonSchema(), null, 2) + '\n' },
    ...policies,
  ];
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('Write a starter config and example policies into an empty folder')
    .argument('[dir]', 'target folder', '.')
    .option('--force', 'write even if the folder is not empty (existing files are not overwritten)')
    .option('--json', 'print one JSON document')
    .action(
      action((dir: string, opts: { force?: boolean; json?: boolean }) => {
        const out = createOutput(Boolean(opts.json));
        const target = resolve(dir);
        if (existsSync(target) && readdirSync(target).filter((f) => !f.startsWith('.')).length > 0 && !opts.force) {
          throw new GatehouseError('USAGE', `${target} is not empty`, {
            hint: 'run `gatehouse init NEW_FOLDER`, or add --force to add only the files that are missing',
          });
        }
        const written: string[] = [];
        const skipped: string[] = [];
        for (const file of starterFiles()) {
          const full = join(target, file.path);
          if (existsSync(full)) {
            skipped.push(file.path);
            continue;
          }
          mkdirSync(join(full, '..'), { recursive: true });
          writeFileSync(full, file.text, { flag: 'wx' });
          written.push(file.path);
        }
        if (out.json) out.document({ ok: true, dir: target, written, skipped });
        else {
          for (const f of written) out.line(`wrote   ${f}`);
          for (const f of skipped) out.line(`kept    ${f} (exists)`);
          out.line('');
          out.line('next:');
          out.line(`  cd ${dir}`);
          out.line('  gatehouse policy validate policies');
          out.line('  gatehouse policy test policies');
          out.line('  gatehouse serve');
        }
      }),
    );
}
