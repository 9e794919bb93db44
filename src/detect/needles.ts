/**
 * Which of several groups of literal needles occur in a text, found in one pass (Aho-Corasick, as
 * a table-driven automaton). Replaces one regex scan per group; up to 31 groups.
 */
export class NeedleGroups {
  // The automaton's tables are read by textFacts too, which steps it in its own pass.
  readonly classOf = new Uint8Array(65536);
  /** classOf for ASCII, A-Z sharing a-z's classes: stepping on it reads the text lower-cased. */
  readonly foldedAscii = new Uint8Array(128);
  readonly classes: number;
  /** How many groups: their bits are 0 … groupCount − 1. */
  readonly groupCount: number;
  readonly delta: Int32Array;
  /** Per state, the groups of the needles that end there. */
  readonly out: Int32Array;
  /**
   * The same automaton with states named by their row offset (state × classes), which saves a
   * multiplication per char: next = rows[row + class], found |= outByRow[row].
   */
  readonly rows: Int32Array;
  readonly outByRow: Int32Array;

  /**
   * `foldAscii` maps an ASCII char of the text to the char it is read as when stepping on
   * foldedAscii (default: A-Z to a-z, as toLowerCase does for ASCII).
   */
  constructor(groups: readonly (readonly string[])[], foldAscii: (c: number) => number = (c) => (c >= 65 && c <= 90 ? c + 32 : c)) {
    if (groups.length > 31) throw new Error('at most 31 needle groups');
    this.groupCount = groups.length;
    let classes = 1; // class 0: a char in no needle, which sends the automaton back to its root
    for (const needles of groups) {
      for (const n of needles) {
        if (n.length === 0) throw new Error('empty needle');
        for (let i = 0; i < n.length; i++) {
          const c = n.charCodeAt(i);
          if (this.classOf[c] === 0) this.classOf[c] = classes++;
        }
      }
    }
    if (classes > 255) throw new Error('too many distinct needle characters');
    this.classes = classes;

    // The trie: children per state, and the groups whose needles end there.
    const next: Array<Map<number, number>> = [new Map()];
    const ends: number[] = [0];
    groups.forEach((needles, g) => {
      for (const n of needles) {
        let s = 0;
        for (let i = 0; i < n.length; i++) {
          const c = this.classOf[n.charCodeAt(i)]!;
          let t = next[s]!.get(c);
          if (t === undefined) {
            t = next.length;
            next.push(new Map());
            ends.push(0);
            next[s]!.set(c, t);
          }
          s = t;
        }
        ends[s]! |= 1 << g;
      }
    });

    // Breadth-first: each state's failure link and full transition row, from shallower states.
    const delta = new Int32Array(next.length * classes);
    const fail = new Int32Array(next.length);
    const queue: number[] = [];
    for (let c = 1; c < classes; c++) {
      const t = next[0]!.get(c);
      if (t !== undefined) {
        delta[c] = t;
        queue.push(t);
      }
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      ends[s]! |= ends[fail[s]!]!;
      for (let c = 1; c < classes; c++) {
        const t = next[s]!.get(c);
        const viaFail = delta[fail[s]! * classes + c]!;
        if (t === undefined) delta[s * classes + c] = viaFail;
        else {
          delta[s * classes + c] = t;
          fail[t] = viaFail;
          queue.push(t);
        }
      }
    }
    this.delta = delta;
    this.out = Int32Array.from(ends);
    for (let c = 0; c < 128; c++) this.foldedAscii[c] = this.classOf[foldAscii(c)]!;
    this.rows = delta.map((t) => t * classes);
    this.outByRow = new Int32Array(delta.length);
    for (let st = 0; st < ends.length; st++) this.outByRow[st * classes] = ends[st]!;
  }

  /** Bit g is set when some needle of group g occurs in `text` (compared code unit by code unit). */
  present(text: string): number {
    const { classOf, classes, delta, out } = this;
    let s = 0;
    let found = 0;
    for (let i = 0; i < text.length; i++) {
      s = delta[s * classes + classOf[text.charCodeAt(i)]!]!;
      found |= out[s]!;
    }
    return found;
  }
}
