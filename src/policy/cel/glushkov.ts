import { BEGIN_TEXT, END_TEXT, type RegexNode } from './regex-subset.ts';

export interface Automaton {
  /** For each position: the symbols it reads. */
  reads: Uint8Array[];
  /** Positions a match may start with. */
  first: number[];
  /** For each position: the positions that may follow it. */
  follow: number[][];
  /** For each position: whether a match may end with it. */
  last: boolean[];
  /** The empty string matches: every text does. */
  nullable: boolean;
}

/**
 * The Glushkov automaton of a parsed pattern: one position per symbol node, no epsilon moves.
 * `^` and `$` are positions that read the begin-text and end-text symbols which frame the text
 * (see ascii-dfa.ts). That framing is exact only if no `^` can directly follow a `^` and no
 * anchor can directly follow a `$` (zero-width anchors may repeat, framing symbols occur once),
 * so such patterns get undefined.
 */
export function glushkov(root: RegexNode): Automaton | undefined {
  const reads: Uint8Array[] = [];
  const follow: Set<number>[] = [];
  const link = (from: readonly number[], to: readonly number[]) => {
    for (const p of from) for (const q of to) follow[p]!.add(q);
  };
  interface Part {
    nullable: boolean;
    first: number[];
    last: number[];
  }
  const walk = (node: RegexNode): Part => {
    switch (node.kind) {
      case 'symbols': {
        const p = reads.length;
        reads.push(node.members);
        follow.push(new Set());
        return { nullable: false, first: [p], last: [p] };
      }
      case 'concat':
        return concat(node.items.map(walk));
      case 'alternate': {
        const parts = node.items.map(walk);
        return { nullable: parts.some((x) => x.nullable), first: parts.flatMap((x) => x.first), last: parts.flatMap((x) => x.last) };
      }
      case 'repeat': {
        // X{n,m} = X^n (X(X(...)?)?)?, X{n,} = X^n X*: each copy gets its own positions.
        const parts: Part[] = [];
        for (let i = 0; i < node.min; i++) parts.push(walk(node.item));
        if (node.max === -1) {
          const loop = walk(node.item);
          link(loop.last, loop.first);
          parts.push({ nullable: true, first: loop.first, last: loop.last });
        } else {
          const optional: Part[] = [];
          for (let i = node.min; i < node.max; i++) optional.push(walk(node.item));
          let tail: Part | undefined;
          for (let i = optional.length - 1; i >= 0; i--) {
            const copy = optional[i]!;
            tail = tail === undefined ? { ...copy, nullable: true } : { ...concat([copy, tail]), nullable: true };
          }
          if (tail) parts.push(tail);
        }
        return concat(parts);
      }
    }
  };
  const concat = (parts: Part[]): Part => {
    let nullable = true;
    const first: number[] = [];
    let last: number[] = [];
    for (const part of parts) {
      link(last, part.first);
      if (nullable) first.push(...part.first);
      last = part.nullable ? [...last, ...part.last] : [...part.last];
      nullable &&= part.nullable;
    }
    return { nullable, first, last };
  };
  const whole = walk(root);
  const isBegin = (p: number) => reads[p]![BEGIN_TEXT] === 1;
  const isEnd = (p: number) => reads[p]![END_TEXT] === 1;
  for (let p = 0; p < reads.length; p++) {
    for (const q of follow[p]!) {
      if ((isBegin(p) && isBegin(q)) || (isEnd(p) && (isBegin(q) || isEnd(q)))) return undefined;
    }
  }
  const lastSet = new Set(whole.last);
  return {
    reads,
    first: [...new Set(whole.first)],
    follow: follow.map((s) => [...s]),
    last: reads.map((_, p) => lastSet.has(p)),
    nullable: whole.nullable,
  };
}
