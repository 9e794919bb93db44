import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatehouseError, errorMessage, type ErrorCode } from '../errors.ts';

const STATUS: Partial<Record<ErrorCode, number>> = {
  USAGE: 400,
  INPUT_INVALID: 400,
  CONFIG_INVALID: 400,
  POLICY_INVALID: 400,
  CEL_COMPILE: 400,
  INPUT_TOO_LARGE: 413,
  NOT_FOUND: 404,
  POLICY_NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  STORE_UNAVAILABLE: 503,
  LEDGER_IO: 503,
};

export function statusFor(error: unknown): number {
  return error instanceof GatehouseError ? (STATUS[error.code] ?? 500) : 500;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown): void {
  const status = statusFor(error);
  const body =
    error instanceof GatehouseError
      ? error.toJSON()
      : { code: 'INTERNAL', message: `internal error: ${errorMessage(error)}`, hint: 'the server log has details' };
  sendJson(res, status, { error: body }, status === 401 ? { 'www-authenticate': 'Bearer realm="gatehouse"' } : {});
}

/** Reads a JSON body of at most `maxBytes`; a broken or oversize body is a clear 4xx, never a crash. */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new GatehouseError('INPUT_INVALID', `content-type must be application/json, got "${type || 'none'}"`);
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes) throw new GatehouseError('INPUT_TOO_LARGE', `body of ${declared} bytes is over the ${maxBytes}-byte limit`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.resume();
      throw new GatehouseError('INPUT_TOO_LARGE', `body is over the ${maxBytes}-byte limit`);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GatehouseError('INPUT_INVALID', `body is not valid JSON: ${errorMessage(error)}`);
  }
}
