import { watch, type FSWatcher } from 'node:fs';
import { EventEmitter } from 'node:events';
import { compilePoliciesOrThrow, type CompileOptions, type PolicyBundle } from '../policy/index.ts';
import { readPolicySources } from './policy-files.ts';
import { GatehouseError, errorMessage } from '../errors.ts';

export interface PolicyReload {
  from: string;
  to: string;
  files: string[];
}

export interface PolicyReloadRejected {
  current: string;
  problems: Array<{ where: string; message: string }>;
}

/**
 * Holds the bundle in force and swaps it only for a valid one: a changed file is re-read and
 * compiled; an invalid edit is reported and the previous bundle stays in force (nothing opens).
 */
export class PolicyWatcher extends EventEmitter<{ reloaded: [PolicyReload]; rejected: [PolicyReloadRejected] }> {
  #bundle: PolicyBundle;
  #watchers: FSWatcher[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly paths: string[],
    private readonly options: CompileOptions = {},
    initial?: PolicyBundle,
  ) {
    super();
    this.#bundle = initial ?? PolicyWatcher.load(paths, options);
  }

  /** Compiles the files once; throws POLICY_INVALID / POLICY_NOT_FOUND on problems. */
  static load(paths: string[], options: CompileOptions = {}): PolicyBundle {
    return compilePoliciesOrThrow(readPolicySources(paths), options);
  }

  get bundle(): PolicyBundle {
    return this.#bundle;
  }

  /** Re-reads the files now. Returns true when a new bundle is in force. */
  reload(): boolean {
    const current = this.#bundle.digest;
    let next: PolicyBundle;
    try {
      next = PolicyWatcher.load(this.paths, this.options);
    } catch (error) {
      const details = error instanceof GatehouseError ? error.details : [];
      this.emit('rejected', {
        current,
        problems: details.length ? details.map((d) => ({ where: d.where ?? '', message: d.message })) : [{ where: '', message: errorMessage(error) }],
      });
      return false;
    }
    if (next.digest === current) return false;
    this.#bundle = next;
    this.emit('reloaded', { from: current, to: next.digest, files: next.files });
    return true;
  }

  /** Watches the policy paths; changes are debounced and then reloaded. */
  start(debounceMs = 100): void {
    for (const path of this.paths) {
      try {
        const w = watch(path, { recursive: true }, () => {
          clearTimeout(this.#timer);
          this.#timer = setTimeout(() => this.reload(), debounceMs);
        });
        w.on('error', () => undefined);
        this.#watchers.push(w);
      } catch {
        // a path that cannot be watched is still reloaded by reload() (e.g. SIGHUP)
      }
    }
  }

  stop(): void {
    clearTimeout(this.#timer);
    for (const w of this.#watchers) w.close();
    this.#watchers = [];
  }
}
