import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildOpenApi } from '../../src/server/openapi.ts';
import { Router } from '../../src/server/router.ts';
import type { Principal } from '../../src/server/auth.ts';
import { registerRoutes } from '../../src/server/routes.ts';
import { repoRoot } from '../helpers/cli.ts';

test('the committed openapi.json matches the served document (run `npm run openapi`)', () => {
  assert.deepEqual(JSON.parse(readFileSync(`${repoRoot}openapi.json`, 'utf8')), buildOpenApi());
});

test('every route the server registers is documented, and nothing else is', () => {
  const router = new Router<Principal>();
  registerRoutes(router, { runtime: {} as never, metrics: {} as never, maxBodyBytes: 1, isReady: () => true });
  const served = router.routes.map((r) => `${r.method} ${r.pattern.replace(/:([a-zA-Z]+)/g, '{$1}')}`).sort();
  const doc = buildOpenApi() as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
  assert.deepEqual(served, documented);
});
