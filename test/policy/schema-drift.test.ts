import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { policyJsonSchema } from '../../src/policy/schema.ts';
import { repoRoot } from '../helpers/cli.ts';

test('the committed JSON Schema matches the one generated from the zod schema (run `npm run schema`)', () => {
  const committed = JSON.parse(readFileSync(`${repoRoot}schema/policy.schema.json`, 'utf8'));
  assert.deepEqual(committed, policyJsonSchema());
});

test('the JSON Schema is shipped in the package and exported', () => {
  const pkg = JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8'));
  assert.ok(pkg.files.includes('schema'));
  assert.equal(pkg.exports['./schema/policy.schema.json'], './schema/policy.schema.json');
});
