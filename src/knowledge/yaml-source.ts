import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { KnowledgeProblem } from './types.js';

/** A YAML document that remembers where each value sits, so problems can be reported as file:line. */
export interface YamlSource {
  readonly doc: Document;
  /** Line in the file of the value at `path` (or of its nearest existing parent). */
  lineOf(path: ReadonlyArray<string | number>): number;
  /** Keys of the top-level mapping with their lines. */
  topKeys(): Array<{ key: string; line: number }>;
  readonly problems: KnowledgeProblem[];
}

/**
 * Parses YAML text that starts at `firstLine` of `file` (front matter starts at line 2). YAML syntax errors become
 * problems at their line instead of exceptions.
 */
export function parseYamlSource(file: string, text: string, firstLine = 1): YamlSource {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const toLine = (offset: number) => firstLine - 1 + counter.linePos(offset).line;
  const problems: KnowledgeProblem[] = [...doc.errors, ...doc.warnings].map((e) => ({
    file,
    line: toLine(e.pos[0]),
    message: `YAML sai cú pháp: ${e.message.split('\n')[0]}`,
    severity: doc.errors.includes(e as never) ? 'error' : 'warning',
  }));
  return {
    doc,
    problems,
    lineOf(path) {
      for (let n = path.length; n > 0; n--) {
        // A mapping entry is reported at its key ("alternates:"), a list item at the item itself.
        const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
        const last = path[n - 1];
        if (isMap(parent)) {
          const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
          if (pair && isScalar(pair.key) && pair.key.range) return toLine(pair.key.range[0]);
          continue;
        }
        const node = doc.getIn(path.slice(0, n), true);
        if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
          return toLine(node.range[0] as number);
        }
      }
      return firstLine;
    },
    topKeys() {
      if (!isMap(doc.contents)) return [];
      return doc.contents.items.map((pair) => {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const range = isScalar(pair.key) ? pair.key.range : undefined;
        return { key, line: range ? toLine(range[0]) : firstLine };
      });
    },
  };
}
