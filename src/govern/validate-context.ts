import { GatehouseError } from '../errors.ts';
import type { CallContext } from './types.ts';

const NAME = /^[\w.:/@-]{1,256}$/;

/** The identity part of a call must be well-formed before anything else looks at it. */
export function validateCallContext(ctx: CallContext): void {
  const problems: string[] = [];
  if (!ctx.agent || typeof ctx.agent.id !== 'string' || !NAME.test(ctx.agent.id)) problems.push('agent.id must be 1-256 characters of letters, digits and ._:/@-');
  if (typeof ctx.tool !== 'string' || !NAME.test(ctx.tool)) problems.push('tool must be 1-256 characters of letters, digits and ._:/@-');
  if (typeof ctx.server !== 'string' || !NAME.test(ctx.server)) problems.push('server must be 1-256 characters of letters, digits and ._:/@-');
  if (ctx.tenant !== undefined && (typeof ctx.tenant !== 'string' || !NAME.test(ctx.tenant))) problems.push('tenant must be 1-256 characters of letters, digits and ._:/@-');
  if (ctx.approvalId !== undefined && (typeof ctx.approvalId !== 'string' || ctx.approvalId.length > 64)) problems.push('approvalId must be an approval id string');
  if (problems.length > 0) throw new GatehouseError('INPUT_INVALID', problems.join('; '));
}
