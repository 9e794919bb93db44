import type { NeedleGroups } from './needles.ts';

/** The char that a `words` automaton reads for every char outside [A-Za-z0-9_], and at both ends. */
export const WORD_SEPARATOR = 1;

/**
 * The needle automaton and the words automaton of textFacts stepped as one: the product of the two
 * over ASCII, limited to the pairs of states the text can reach. The pass then follows one chain
 * of table lookups per char instead of two (each step waits on the one before it, so two chains
 * cost nearly twice one).
 *
 * `table` holds each state as a row: slot 0 the groups found on entering it (the needle groups in
 * the low bits, the word groups above them), then the next row per char class. A row's groups and
 * its transitions share cache lines, which the separate arrays of NeedleGroups do not.
 */
export class FactAutomaton {
  readonly needles: NeedleGroups | undefined;
  readonly words: NeedleGroups | undefined;
  /** Per ASCII char: its class here (1-based: slot 0 of a row holds its groups). */
  readonly classOf = new Uint8Array(128);
  /** 16-bit entries when the rows and groups fit (half the cache lines of 32-bit ones). */
  readonly table: Uint16Array | Int32Array;
  /** The row the automaton starts in (the words automaton starts after a separator). */
  readonly start: number;
  /** Per row (indexed by row / stride): the word groups found by the separator after the text, shifted. */
  readonly finalGroups: Int32Array;
  readonly stride: number;
  /** Word groups are reported shifted left by this much. */
  readonly wordShift: number;

  constructor(needles: NeedleGroups | undefined, words: NeedleGroups | undefined) {
    this.needles = needles;
    this.words = words;
    const a = needles ?? TRIVIAL;
    const b = words ?? TRIVIAL;
    this.wordShift = needles?.groupCount ?? 0;
    if (this.wordShift + (words?.groupCount ?? 0) > 31) throw new Error('too many needle groups to combine');

    // A class per distinct pair of component classes.
    const pairs: Array<[number, number]> = [];
    const pairClass = new Map<number, number>();
    for (let c = 0; c < 128; c++) {
      const key = a.foldedAscii[c]! * 256 + b.foldedAscii[c]!;
      let k = pairClass.get(key);
      if (k === undefined) {
        k = pairs.length + 1;
        pairClass.set(key, k);
        pairs.push([a.foldedAscii[c]!, b.foldedAscii[c]!]);
      }
      this.classOf[c] = k;
    }
    const stride = pairs.length + 1;
    this.stride = stride;

    // Breadth-first over the reachable pairs of component rows.
    const startB = words ? b.rows[b.classOf[WORD_SEPARATOR]!]! : 0;
    const ids = new Map<number, number>();
    const states: Array<[number, number]> = [];
    const idOf = (ra: number, rb: number): number => {
      const key = ra * b.rows.length + rb;
      let id = ids.get(key);
      if (id === undefined) {
        id = states.length;
        ids.set(key, id);
        states.push([ra, rb]);
      }
      return id;
    };
    idOf(0, startB);
    const next: number[] = [];
    for (let s = 0; s < states.length; s++) {
      const [ra, rb] = states[s]!;
      for (const [ca, cb] of pairs) next.push(idOf(a.rows[ra + ca]!, b.rows[rb + cb]!));
    }

    const shift = this.wordShift;
    const groupBits = shift + (words?.groupCount ?? 0);
    const table = states.length * stride <= 0xffff && groupBits <= 16 ? new Uint16Array(states.length * stride) : new Int32Array(states.length * stride);
    const finalGroups = new Int32Array(states.length);
    const separatorB = b.classOf[WORD_SEPARATOR]!;
    states.forEach(([ra, rb], s) => {
      table[s * stride] = a.outByRow[ra]! | (words ? b.outByRow[rb]! << shift : 0);
      for (let k = 1; k < stride; k++) table[s * stride + k] = next[s * (stride - 1) + k - 1]! * stride;
      finalGroups[s] = words ? b.outByRow[b.rows[rb + separatorB]!]! << shift : 0;
    });
    this.table = table;
    this.finalGroups = finalGroups;
    this.start = 0;
  }
}

/** A one-state automaton that finds nothing, for the side of the product that is not asked for. */
const TRIVIAL = { foldedAscii: new Uint8Array(128), rows: new Int32Array(1), outByRow: new Int32Array(1), classOf: new Uint8Array(WORD_SEPARATOR + 1) };

const built: FactAutomaton[] = [];

/**
 * The product automaton of a pair, built once per pair (the detectors pass module constants, so
 * the list stays at a few entries and is searched by identity).
 */
export function factAutomaton(needles: NeedleGroups | undefined, words: NeedleGroups | undefined): FactAutomaton {
  for (let i = 0; i < built.length; i++) {
    const f = built[i]!;
    if (f.needles === needles && f.words === words) return f;
  }
  const f = new FactAutomaton(needles, words);
  built.push(f);
  return f;
}
