#!/usr/bin/env node
// In a source checkout (src/ present) run the TypeScript sources through tsx, so the CLI is
// never a stale build; an installed package runs the compiled dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const source = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else {
  await import(new URL('../dist/cli/main.js', import.meta.url).href);
}
