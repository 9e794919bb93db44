import { cutText } from '../cut-text.ts';

/** Longest JSON path a decision's reason quotes. */
export const REASON_PATH_MAX = 200;

/**
 * A finding's JSON path as a reason quotes it. An object key can be as long as the arguments allow
 * (a megabyte): quoted whole, a reason made its ledger entry pass the entry size limit, so a call
 * with a secret under such a key was refused as "could not be recorded" and a result check threw.
 */
export function reasonPath(path: string): string {
  return cutText(path, REASON_PATH_MAX);
}
