import { GatehouseError } from '../errors.ts';
import { checkInputLimits, INPUT_LIMITS, type InputSubject } from '../policy/index.ts';
import type { CallContext } from './types.ts';

const NAME = /^[\w.:/@-]{1,256}$/;
const SESSION_ID_MAX = 256;
const SESSION: InputSubject = { name: 'session', are: 'is', have: 'has', contain: 'contains' };

/** The identity part of a call must be well-formed before anything else looks at it. */
export function validateCallContext(ctx: CallContext): void {
  const problems: string[] = [];
  if (!ctx.agent || typeof ctx.agent.id !== 'string' || !NAME.test(ctx.agent.id)) problems.push('agent.id must be 1-256 characters of letters, digits and ._:/@-');
  if (typeof ctx.tool !== 'string' || !NAME.test(ctx.tool)) problems.push('tool must be 1-256 characters of letters, digits and ._:/@-');
  if (typeof ctx.server !== 'string' || !NAME.test(ctx.server)) problems.push('server must be 1-256 characters of letters, digits and ._:/@-');
  if (ctx.tenant !== undefined && (typeof ctx.tenant !== 'string' || !NAME.test(ctx.tenant))) problems.push('tenant must be 1-256 characters of letters, digits and ._:/@-');
  if (ctx.approvalId !== undefined && (typeof ctx.approvalId !== 'string' || ctx.approvalId.length > 64)) problems.push('approvalId must be an approval id string');
  if (ctx.session !== undefined) sessionProblems(ctx.session, problems);
  if (problems.length > 0) throw new GatehouseError('INPUT_INVALID', problems.join('; '));
}

/**
 * The session reaches CEL (`session.*`), and its id the ledger and the approvals store: an id of
 * any length or type would be stored as given (or refused as "could not be recorded" once the
 * entry passes the ledger's size limit), so it is bounded like the other identity fields.
 */
function sessionProblems(session: unknown, problems: string[]): void {
  if (session === null || typeof session !== 'object' || Array.isArray(session)) {
    problems.push('session must be an object');
    return;
  }
  const id = (session as { id?: unknown }).id;
  if (id !== undefined && (typeof id !== 'string' || id.length > SESSION_ID_MAX)) {
    problems.push(`session.id must be a string of at most ${SESSION_ID_MAX} characters`);
  }
  const over = checkInputLimits(session, INPUT_LIMITS, SESSION);
  if (over) problems.push(over);
}
