import { createHash } from 'node:crypto';

export interface PolicySource {
  path: string;
  text: string;
}

/**
 * Content digest of a bundle: independent of file paths and of the order files were given in
 * (policy semantics do not depend on order either), so the same policies always get the same digest.
 */
export function bundleDigest(sources: readonly PolicySource[]): string {
  const fileDigests = sources.map((s) => createHash('sha256').update(s.text, 'utf8').digest('hex')).sort();
  const h = createHash('sha256').update('gatehouse-bundle-v1\n');
  for (const d of fileDigests) h.update(d + '\n');
  return `sha256:${h.digest('hex')}`;
}
