import { LineCounter, parseAllDocuments, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';

/** One parsed YAML document with the means to point back at its source. */
export interface SourceDocument {
  file: string;
  /** 0-based index of the document within its file. */
  index: number;
  value: unknown;
  /** file:line:column of the value (or, with key=true, of the key) at a path in this document. */
  locate(path: ReadonlyArray<string | number>, options?: { key?: boolean }): SourceLocation;
}

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

export interface SourceProblem {
  where: SourceLocation;
  message: string;
  hint?: string;
}

/** Limits on a policy file itself, so a hostile or broken file cannot exhaust the loader. */
export const SOURCE_LIMITS = { maxFileBytes: 1024 * 1024, maxDocuments: 1000, maxAliasCount: 100 };

/**
 * Parses a multi-document YAML text. Syntax errors come back as problems with line and column;
 * documents with syntax errors are not returned (nothing half-parsed is ever evaluated).
 */
export function parseYamlDocuments(file: string, text: string): { documents: SourceDocument[]; problems: SourceProblem[] } {
  const problems: SourceProblem[] = [];
  if (Buffer.byteLength(text, 'utf8') > SOURCE_LIMITS.maxFileBytes) {
    return {
      documents: [],
      problems: [{ where: { file, line: 1, column: 1 }, message: `file is larger than ${SOURCE_LIMITS.maxFileBytes} bytes` }],
    };
  }
  const lineCounter = new LineCounter();
  const at = (offset: number): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const docs: Document.Parsed[] = Array.isArray(parsed) ? parsed : [];
  if (!Array.isArray(parsed)) {
    problems.push({ where: at(0), message: 'not a YAML stream' });
  }
  if (docs.length > SOURCE_LIMITS.maxDocuments) {
    problems.push({ where: at(0), message: `more than ${SOURCE_LIMITS.maxDocuments} documents in one file` });
    return { documents: [], problems };
  }
  const documents: SourceDocument[] = [];
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push({ where: at(e.pos[0]), message: `YAML syntax: ${yamlMessage(e.message)}` });
      return;
    }
    if (doc.contents === null) return; // an empty document (e.g. a trailing ---)
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: SOURCE_LIMITS.maxAliasCount });
    } catch (error) {
      problems.push({ where: at(doc.contents.range?.[0] ?? 0), message: `YAML: ${yamlMessage((error as Error).message)}` });
      return;
    }
    const fallback = doc.contents.range?.[0] ?? 0;
    documents.push({
      file,
      index,
      value,
      locate(path, options = {}) {
        return at(offsetOf(doc, path, options.key ?? false) ?? fallback);
      },
    });
  });
  return { documents, problems };
}

/** The parser's message, first line only; its stack running out is said as what it means for the file. */
function yamlMessage(message: string): string {
  if (/Maximum call stack size exceeded/.test(message)) {
    return 'nested too deeply to parse (the parser ran out of stack here); a policy needs a few levels of nesting, not thousands';
  }
  return message.split('\n')[0] ?? message;
}

/** Offset of the node at a path; for a path that does not exist, the deepest existing ancestor. */
function offsetOf(doc: Document.Parsed, path: ReadonlyArray<string | number>, key: boolean): number | undefined {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0];
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return offset;
      if (last && key && isScalar(pair.key)) return pair.key.range?.[0] ?? offset;
      node = pair.value;
      offset = (pair.value as Node | null)?.range?.[0] ?? (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) return offset;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}
