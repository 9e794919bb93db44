import { GatehouseError } from '../errors.ts';

export function requirePositiveInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new GatehouseError('INPUT_INVALID', `${what} must be a whole number of at least 1, got ${String(value)}`);
  }
  return value;
}

export function requireNonNegativeInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new GatehouseError('INPUT_INVALID', `${what} must be a whole number of at least 0, got ${String(value)}`);
  }
  return value;
}

export function requireKey(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new GatehouseError('INPUT_INVALID', `${what} must be a non-empty string`);
  return value;
}
