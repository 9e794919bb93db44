import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { GatehouseError, errorMessage } from '../errors.ts';
import { configSchema, type GatehouseConfig } from './schema.ts';

export interface LoadedConfig {
  config: GatehouseConfig;
  /** The file it came from, or undefined when running on defaults. */
  file?: string;
  /** Folder relative paths in the config resolve against. */
  baseDir: string;
}

/** --config, then GATEHOUSE_CONFIG, then gatehouse.yaml in the working folder or any folder above. */
export function discoverConfigFile(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  const named = explicit ?? env.GATEHOUSE_CONFIG;
  if (named) {
    const full = resolve(cwd, named);
    if (!existsSync(full)) {
      throw new GatehouseError('CONFIG_INVALID', `config file not found: ${full}`, {
        hint: explicit ? 'check --config' : 'check GATEHOUSE_CONFIG, or run `gatehouse init`',
      });
    }
    return full;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of ['gatehouse.yaml', 'gatehouse.yml']) {
      if (existsSync(join(dir, name))) return join(dir, name);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export function loadConfig(options: { config?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = discoverConfigFile(options.config, env, cwd);
  let raw: unknown = {};
  if (file) {
    try {
      raw = parseYaml(readFileSync(file, 'utf8'), { uniqueKeys: true }) ?? {};
    } catch (error) {
      throw new GatehouseError('CONFIG_INVALID', `${file}: ${errorMessage(error).split('\n')[0]}`);
    }
  }
  const merged = applyEnv(raw, env);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    throw new GatehouseError('CONFIG_INVALID', `invalid configuration${file ? ` in ${file}` : ''}`, {
      details: parsed.error.issues.map((i) => ({
        where: i.path.map(String).join('.') || '(top)',
        message: i.code === 'unrecognized_keys' ? `unknown key(s): ${i.keys.join(', ')}` : i.message,
      })),
      hint: 'see examples/gatehouse.yaml for every setting',
    });
  }
  const baseDir = file ? dirname(file) : cwd;
  return { config: parsed.data, ...(file ? { file } : {}), baseDir };
}

export function resolveFrom(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : join(baseDir, path);
}

/**
 * GATEHOUSE_SERVER_PORT=9000 sets server.port; GATEHOUSE_POLICIES=a,b sets policies;
 * GATEHOUSE_DECISIONS_FAIL_OPEN=true sets decisions.failOpen. Names derive from the schema.
 */
export function applyEnv(raw: unknown, env: NodeJS.ProcessEnv): unknown {
  const out = structuredClone(isRecord(raw) ? raw : {}) as Record<string, unknown>;
  for (const [path, kind] of envSettings()) {
    const value = env[envName(path)];
    if (value === undefined || value === '') continue;
    let target = out;
    for (const segment of path.slice(0, -1)) {
      if (!isRecord(target[segment])) target[segment] = {};
      target = target[segment] as Record<string, unknown>;
    }
    const leaf = path[path.length - 1]!;
    target[leaf] = kind === 'list' ? value.split(',').map((s) => s.trim()).filter(Boolean) : kind === 'boolean' ? value === 'true' || value === '1' : value;
  }
  return out;
}

export function envName(path: readonly string[]): string {
  return 'GATEHOUSE_' + path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}

type SettingKind = 'scalar' | 'boolean' | 'list';

/** Every scalar (and list-of-string) setting of the config schema, as a path. */
export function envSettings(): Array<[string[], SettingKind]> {
  const out: Array<[string[], SettingKind]> = [];
  const visit = (schema: z.ZodType, path: string[]) => {
    let s = schema;
    while (s instanceof z.ZodOptional || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    if (s instanceof z.ZodObject) {
      for (const [k, v] of Object.entries(s.shape)) visit(v as z.ZodType, [...path, k]);
    } else if (s instanceof z.ZodArray) {
      if (s.element instanceof z.ZodString) out.push([path, 'list']);
    } else if (s instanceof z.ZodBoolean) {
      out.push([path, 'boolean']);
    } else {
      out.push([path, 'scalar']);
    }
  };
  visit(configSchema, []);
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
