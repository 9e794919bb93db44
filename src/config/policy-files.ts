import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GatehouseError, errorMessage } from '../errors.ts';
import type { PolicySource } from '../policy/digest.ts';

const POLICY_FILE = /\.ya?ml$/;
const TEST_FILE = /\.test\.ya?ml$/;

/** Lists policy files (*.yaml, *.yml, not *.test.yaml) under the given files and folders, sorted. */
export function findPolicyFiles(paths: readonly string[], options: { tests?: boolean } = {}): string[] {
  const wanted = options.tests ? TEST_FILE : POLICY_FILE;
  const out = new Set<string>();
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new GatehouseError('POLICY_NOT_FOUND', `no such file or folder: ${path}`, {
        hint: 'pass the policy files or the folder that holds them',
      });
    }
    if (stat.isDirectory()) {
      for (const file of walk(path)) {
        if (wanted.test(file) && (options.tests || !TEST_FILE.test(file))) out.add(file);
      }
    } else {
      out.add(path);
    }
  }
  return [...out].sort();
}

function walk(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walk(full));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

/** Reads policy files; paths in the sources are relative to cwd where possible, for readable locations. */
export function readPolicySources(paths: readonly string[]): PolicySource[] {
  const files = findPolicyFiles(paths);
  if (files.length === 0) {
    throw new GatehouseError('POLICY_NOT_FOUND', `no policy files (*.yaml, *.yml) in ${paths.join(', ')}`, {
      hint: 'run `gatehouse init` to write an example policy',
    });
  }
  return files.map((file) => {
    try {
      const rel = relative(process.cwd(), file);
      return { path: rel.startsWith('..') ? file : rel, text: readFileSync(file, 'utf8') };
    } catch (error) {
      throw new GatehouseError('POLICY_NOT_FOUND', `cannot read ${file}: ${errorMessage(error)}`);
    }
  });
}
