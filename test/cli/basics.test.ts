import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.ts';

test('--version prints the package version and exits 0', async () => {
  const r = await runCli(['--version']);
  assert.equal(r.code, 0);
  assert.match(r.stdout.trim(), /^\d+\.\d+\.\d+/);
});

test('an unknown command is a usage error (exit 2) with a pointer to --help', async () => {
  const r = await runCli(['no-such-command']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--help/);
});

test('a --db that is not a SQLite database is a configuration error (exit 2) naming the file, for every command that opens it', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-notdb-'));
  try {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'x'.repeat(10_000));
    // audit verify/tail opened the file read-only, lazily, and failed at the first query: exit 3, "internal error"
    for (const args of [['audit', 'verify'], ['audit', 'tail'], ['approvals', 'list'], ['keys', 'list']]) {
      const r = await runCli([...args, '--db', file]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /notes\.txt is not a SQLite database/);
      assert.doesNotMatch(r.stderr, /internal error/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
