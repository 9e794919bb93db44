/**
 * The witness rule (pure): cosign a checkpoint only if it extends the last one this witness
 * cosigned for the same origin. Smaller size = rollback, same size with another root or a
 * failing consistency proof = fork; all are refused.
 */
import { equalBytes, type Hash } from './hash.ts';
import { verifyConsistency } from './proof.ts';

export class WitnessRefusal extends Error {
  override name = 'WitnessRefusal';
  constructor(readonly reason: 'rollback' | 'fork' | 'no_proof', message: string) {
    super(message);
  }
}

export function checkWitnessUpdate(
  previous: { size: number; root: Hash } | undefined,
  next: { size: number; root: Hash },
  proof: readonly Hash[] | undefined,
): void {
  if (!previous || previous.size === 0) return;
  if (next.size < previous.size) {
    throw new WitnessRefusal('rollback', `checkpoint size ${next.size} is older than the last cosigned size ${previous.size}`);
  }
  if (next.size === previous.size) {
    if (!equalBytes(next.root, previous.root)) throw new WitnessRefusal('fork', `two different roots for size ${next.size}: the log forked`);
    return;
  }
  if (!proof) throw new WitnessRefusal('no_proof', `a consistency proof from ${previous.size} to ${next.size} is required`);
  try {
    verifyConsistency(previous.size, next.size, proof, previous.root, next.root);
  } catch (error) {
    throw new WitnessRefusal('fork', `checkpoint ${next.size} is not consistent with cosigned checkpoint ${previous.size}: ${(error as Error).message}`);
  }
}
