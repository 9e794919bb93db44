import { resolve } from 'node:path';
import { discoverConfigFile, loadConfig, resolveFrom } from '../config/load.ts';

/**
 * The database a CLI command works on: --db, then GATEHOUSE_DB, then store.path of the
 * gatehouse.yaml found like `gatehouse serve` finds it (--config, GATEHOUSE_CONFIG, upward),
 * then .gatehouse/gatehouse.db here.
 */
export function resolveDbPath(option?: string, configOption?: string): string {
  if (option) return resolve(option);
  if (process.env.GATEHOUSE_DB) return resolve(process.env.GATEHOUSE_DB);
  if (configOption || discoverConfigFile(undefined)) {
    const { config, baseDir } = loadConfig(configOption ? { config: configOption } : {});
    return resolveFrom(baseDir, config.store.path);
  }
  return resolve('.gatehouse/gatehouse.db');
}
