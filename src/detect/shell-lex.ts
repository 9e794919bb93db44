/**
 * A small, linear, forgiving shell lexer: enough to tell what would run from what is only text.
 * Quoted arguments of echo/printf, comments and here-document bodies are data; the argument of
 * `sh -c`, `eval`, `$(…)` and backticks is code and is lexed again.
 */
export interface Word {
  text: string;
  start: number;
  end: number;
  quoted: boolean;
}

export interface SimpleCommand {
  words: Word[];
  /** Output of this command is piped into the next one. */
  pipedToNext: boolean;
  /** Redirect targets (`> /dev/sda`, `< ~/.ssh/id_rsa`). */
  redirects: Array<{ op: string; target: Word }>;
  /** More than MAX_WORDS words: only the first ones were kept. */
  truncated?: boolean;
}

const MAX_DEPTH = 6;
/** No real command has this many words; beyond it the command is reported as too long to analyse. */
export const MAX_WORDS = 4096;

export function lexShell(src: string, offset = 0, depth = 0): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  let cmd: SimpleCommand = { words: [], pipedToNext: false, redirects: [] };
  let word: Word | null = null;
  let pendingRedirect: string | null = null;
  const heredocs: string[] = [];
  const nested = (s: string, at: number) => {
    if (depth < MAX_DEPTH) out.push(...lexShell(s, at, depth + 1));
  };
  const endWord = () => {
    if (!word) return;
    if (pendingRedirect) {
      if (pendingRedirect.startsWith('<<')) heredocs.push(word.text);
      else if (cmd.redirects.length < MAX_WORDS) cmd.redirects.push({ op: pendingRedirect, target: word });
      pendingRedirect = null;
    } else if (cmd.words.length < MAX_WORDS) cmd.words.push(word);
    else cmd.truncated = true;
    word = null;
  };
  const endCmd = (piped: boolean) => {
    endWord();
    if (cmd.words.length > 0 || cmd.redirects.length > 0) {
      cmd.pipedToNext = piped;
      out.push(cmd);
    }
    cmd = { words: [], pipedToNext: false, redirects: [] };
  };
  const add = (text: string, at: number, quoted = false) => {
    if (!word) word = { text: '', start: offset + at, end: offset + at, quoted: false };
    word.text += text;
    word.end = offset + at + text.length;
    word.quoted ||= quoted;
  };
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < n) {
      if (src[i + 1] !== '\n') add(src[i + 1]!, i);
      i += 2;
    } else if (c === "'") {
      const close = src.indexOf("'", i + 1);
      const e = close < 0 ? n : close;
      add(src.slice(i + 1, e), i + 1, true);
      if (!word) add('', i, true);
      i = e + 1;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < n && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < n) {
          text += src[j + 1];
          j += 2;
        } else if (src.startsWith('$(', j)) {
          const close = matchParen(src, j + 1);
          nested(src.slice(j + 2, close), offset + j + 2);
          text += src.slice(j, close + 1);
          j = close + 1;
        } else if (src[j] === '`') {
          const close = src.indexOf('`', j + 1);
          const e = close < 0 ? n : close;
          nested(src.slice(j + 1, e), offset + j + 1);
          text += src.slice(j, e + 1);
          j = e + 1;
        } else {
          let k = j + 1;
          while (k < n && !QUOTED_SPECIAL.has(src.charCodeAt(k))) k++;
          text += src.slice(j, k);
          j = k;
        }
      }
      add(text, i + 1, true);
      i = j + 1;
    } else if (c === '$' && src[i + 1] === '(') {
      const close = matchParen(src, i + 1);
      nested(src.slice(i + 2, close), offset + i + 2);
      add(src.slice(i, close + 1), i);
      i = close + 1;
    } else if (c === '`') {
      const close = src.indexOf('`', i + 1);
      const e = close < 0 ? n : close;
      nested(src.slice(i + 1, e), offset + i + 1);
      add(src.slice(i, e + 1), i);
      i = e + 1;
    } else if (c === '#' && !word) {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? n : nl;
    } else if (c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')' || c === '{' || c === '}') {
      if ((c === '{' || c === '}') && word) {
        add(c, i);
        i++;
        continue;
      }
      const piped = c === '|' && src[i + 1] !== '|';
      endCmd(piped);
      if (c === '\n' && heredocs.length > 0) i = skipHeredocs(src, i + 1, heredocs);
      else i += (c === '&' || c === '|') && src[i + 1] === c ? 2 : 1;
    } else if (c === '<' || c === '>') {
      endWord();
      let op = c;
      let j = i + 1;
      while (j < n && (src[j] === '<' || src[j] === '>' || src[j] === '&' || src[j] === '-') && op.length < 3) op += src[j++];
      if (c === '<' && src[j] === '(') {
        const close = matchParen(src, j);
        nested(src.slice(j + 1, close), offset + j + 1);
        add(src.slice(i, close + 1), i);
        i = close + 1;
        continue;
      }
      pendingRedirect = op;
      i = j;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
    } else {
      // a run of ordinary characters in one slice: appending them one by one builds a rope of
      // single characters, which on a long token is mostly garbage-collector time
      let j = i + 1;
      while (j < n && !LEX_SPECIAL.has(src.charCodeAt(j))) j++;
      add(src.slice(i, j), i);
      i = j;
    }
  }
  endCmd(false);
  return out;
}

/** Characters that can start or end something other than a plain word character. */
const LEX_SPECIAL = new Set([...'\\\'"$`#\n;&|(){}<> \t\r'].map((ch) => ch.charCodeAt(0)));

/** Inside double quotes only these end a run of literal characters. */
const QUOTED_SPECIAL = new Set([...'"\\$`'].map((ch) => ch.charCodeAt(0)));

function matchParen(src: string, open: number): number {
  let depth = 0;
  for (let j = open; j < src.length; j++) {
    const c = src[j];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j;
    else if (c === "'") {
      const q = src.indexOf("'", j + 1);
      if (q < 0) return src.length;
      j = q;
    }
  }
  return src.length;
}

function skipHeredocs(src: string, from: number, delimiters: string[]): number {
  let i = from;
  while (delimiters.length > 0 && i < src.length) {
    const nl = src.indexOf('\n', i);
    const line = src.slice(i, nl < 0 ? src.length : nl).trim();
    i = nl < 0 ? src.length : nl + 1;
    if (line === delimiters[0]) delimiters.shift();
  }
  delimiters.length = 0;
  return i;
}

/** The text with quoted strings, comments and here-documents blanked (same length, same offsets). */
export function codeOnly(src: string): string {
  let out = '';
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === '\\') {
      out += src.slice(i, i + 2);
      i += 2;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && src[j] !== c) j += src[j] === '\\' && c === '"' ? 2 : 1;
      out += c + ' '.repeat(Math.max(0, Math.min(j, n) - i - 1)) + (j < n ? c : '');
      i = j + 1;
    } else if (c === '#' && (i === 0 || /\s/.test(src[i - 1]!))) {
      const nl = src.indexOf('\n', i);
      const e = nl < 0 ? n : nl;
      out += ' '.repeat(e - i);
      i = e;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
