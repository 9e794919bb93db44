import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GatehouseError, errorMessage } from '../../errors.ts';
import { formatSignerKey, generateSignerKey, parseSignerKey, type KeyType, type SignerKey } from '../keys.ts';
import { SIG_TYPE_ED25519 } from '../note.ts';

export const LEDGER_KEY_ENV = 'GATEHOUSE_LEDGER_KEY';
export const DEFAULT_KEY_FILE = 'ledger.key';

export interface LoadedKey {
  key: SignerKey;
  source: 'option' | 'env' | 'file' | 'generated' | 'ephemeral';
  path?: string;
}

function readKeyFile(path: string, type: KeyType): SignerKey {
  let text: string;
  try {
    if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
      throw new GatehouseError('CONFIG_INVALID', `signing key ${path} is readable by other users`, { hint: `chmod 600 ${path}` });
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof GatehouseError) throw error;
    throw new GatehouseError('CONFIG_INVALID', `cannot read signing key ${path}: ${errorMessage(error)}`, { cause: error });
  }
  return parseKeyText(text, path, type);
}

function parseKeyText(text: string, where: string, type: KeyType): SignerKey {
  let key: SignerKey;
  try {
    key = parseSignerKey(text);
  } catch (error) {
    throw new GatehouseError('CONFIG_INVALID', `invalid signing key (${where}): ${errorMessage(error)}`, {
      hint: 'expected PRIVATE+KEY+<name>+<key id>+<base64> (the signed-note signer key format)',
    });
  }
  if (key.type !== type) throw new GatehouseError('CONFIG_INVALID', `signing key (${where}) has type 0x0${key.type}, expected 0x0${type}`);
  return key;
}

/** Creates the key file with mode 0600; if another process won the race, loads its key instead. */
function createKeyFile(path: string, name: string, type: KeyType): LoadedKey {
  const key = generateSignerKey(name, type);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, formatSignerKey(key) + '\n', { mode: 0o600, flag: 'wx' });
    return { key, source: 'generated', path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { key: readKeyFile(path, type), source: 'file', path };
    throw new GatehouseError('CONFIG_INVALID', `cannot create signing key ${path}: ${errorMessage(error)}`, { cause: error });
  }
}

export function defaultKeyName(prefix = 'gatehouse.local/ledger'): string {
  return `${prefix}/${randomBytes(6).toString('hex')}`;
}

/**
 * The log's checkpoint signing key, from (first match): an explicit key string, GATEHOUSE_LEDGER_KEY
 * (a key string, or a path to a key file), an explicit path, or `ledger.key` next to the database,
 * generated on first use.
 */
export function loadLogKey(options: { key?: string; keyPath?: string; dbPath?: string; name?: string; create?: boolean }): LoadedKey {
  if (options.key) return { key: parseKeyText(options.key, 'key option', SIG_TYPE_ED25519), source: 'option' };
  const env = process.env[LEDGER_KEY_ENV];
  if (env) {
    if (env.startsWith('PRIVATE+KEY+')) return { key: parseKeyText(env, LEDGER_KEY_ENV, SIG_TYPE_ED25519), source: 'env' };
    return { key: readKeyFile(env, SIG_TYPE_ED25519), source: 'env', path: env };
  }
  const path = options.keyPath ?? (options.dbPath && options.dbPath !== ':memory:' ? join(dirname(options.dbPath), DEFAULT_KEY_FILE) : undefined);
  if (!path) return { key: generateSignerKey(options.name ?? defaultKeyName()), source: 'ephemeral' };
  try {
    statSync(path);
  } catch {
    if (options.create === false) throw new GatehouseError('NOT_FOUND', `no signing key at ${path}`);
    return createKeyFile(path, options.name ?? defaultKeyName(), SIG_TYPE_ED25519);
  }
  return { key: readKeyFile(path, SIG_TYPE_ED25519), source: 'file', path };
}

/** A witness (cosigner, type 0x04) key file; generated with mode 0600 when absent. */
export function loadWitnessKey(path: string, name?: string): LoadedKey {
  try {
    statSync(path);
  } catch {
    return createKeyFile(path, name ?? defaultKeyName('gatehouse.local/witness'), 0x04);
  }
  return { key: readKeyFile(path, 0x04), source: 'file', path };
}
