import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerEntry } from '../../src/ledger/entry.ts';

export function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-ledger-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function sampleEntry(i: number, over: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    tenant: 'acme',
    agent: `agent-${i % 3}`,
    session: `s-${i % 2}`,
    enforcementPoint: 'sdk',
    kind: 'decision',
    server: 'fs',
    tool: 'write_file',
    argumentsDigest: 'ab'.repeat(32),
    argumentsRedacted: { path: '/tmp/x', content: '[REDACTED:secret]' },
    findings: [{ detector: 'secrets', type: 'aws_key', start: 3, end: 23 }],
    decision: i % 2 ? 'allow' : 'deny',
    rule: { name: 'no-secrets', document: 'GuardrailPolicy/secrets', file: 'policies/secrets.yaml', line: 12 },
    reason: 'secret in arguments',
    bundleDigest: 'cd'.repeat(32),
    latencyMs: 0.42,
    data: { i },
    ...over,
  };
}
