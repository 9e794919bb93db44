import { openSqlite, type SqliteDatabase } from '../../src/store/sqlite/database.ts';
import { SqliteApprovalStore } from '../../src/store/sqlite/approvals-store.ts';
import { ApprovalService, type ApprovalServiceOptions, type ApprovalRequestInput } from '../../src/approvals/service.ts';

export function serviceOn(db: SqliteDatabase, options: ApprovalServiceOptions = {}): ApprovalService {
  return new ApprovalService(new SqliteApprovalStore(db), options);
}

export function memoryService(options: ApprovalServiceOptions = {}): { service: ApprovalService; db: SqliteDatabase } {
  const db = openSqlite(':memory:');
  return { service: serviceOn(db, options), db };
}

/** A manual clock: `clock.now()` for the service, `clock.advance(ms)` in the test. */
export function manualClock(start = Date.parse('2030-01-01T00:00:00.000Z')) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms), set: (ms: number) => (t = ms) };
}

export const mergeRequest: ApprovalRequestInput = {
  tenant: 'acme',
  agent: 'release-bot',
  session: 'sess-9',
  server: 'github',
  tool: 'merge_pull_request',
  argumentsDigest: 'sha256:' + '1'.repeat(64),
  argumentsRedacted: { repo: 'acme/api', pr: 7 },
  bundleDigest: 'sha256:' + '2'.repeat(64),
  rule: 'merges-need-approval',
  timeoutMs: 30 * 60_000,
};

export const mergeCall = {
  tenant: mergeRequest.tenant,
  agent: mergeRequest.agent,
  server: mergeRequest.server,
  tool: mergeRequest.tool,
  argumentsDigest: mergeRequest.argumentsDigest,
  bundleDigest: mergeRequest.bundleDigest,
};
