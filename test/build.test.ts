import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './helpers/cli.ts';

// The published package runs compiled JavaScript, not the sources through tsx: build it and run it.
test('the package builds, and the compiled CLI and ledger (with its writer thread) run', { timeout: 180_000 }, () => {
  const build = spawnSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stdout + build.stderr);
  const version = spawnSync(process.execPath, ['dist/cli/main.js', '--version'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(version.status, 0, version.stderr);
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-build-'));
  try {
    const script = `
      const { openLedger } = await import(${JSON.stringify(join(repoRoot, 'dist/ledger/service/ledger.js'))});
      const l = await openLedger({ path: ${JSON.stringify(join(dir, 'l.db'))} });
      const r = await Promise.all(Array.from({ length: 50 }, () => l.append({ tenant: 't', agent: 'a', enforcementPoint: 'sdk', kind: 'decision' })));
      const ok = (await l.verify()).ok;
      await l.close();
      console.log(JSON.stringify({ n: r.length, ok }));`;
    const run = spawnSync(process.execPath, ['--input-type=module'], { cwd: repoRoot, encoding: 'utf8', input: script });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { n: 50, ok: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
