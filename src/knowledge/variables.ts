import { parseYamlSource } from './yaml-source.js';
import type { KnowledgeProblem } from './types.js';

/** `{{office.phone}}` in an answer; spaces inside the braces are allowed. */
const VARIABLE = /\{\{\s*([a-zA-Z0-9_.-]+)\s*\}\}/g;
/** How a value still waiting for the office's real data is marked in _variables.yml. */
export const PLACEHOLDER = /\[\s*CẦN (CẬP NHẬT|XÁC NHẬN)/u;
/** The whole marker, "[CẦN XÁC NHẬN: …]", with the spaces around it. */
const MARKER = /\s*\[\s*CẦN (?:CẬP NHẬT|XÁC NHẬN)[^\]]*\]\s*/gu;
/** Shown to users in place of a value the office has not supplied yet. */
export const MISSING_VALUE = '(đang cập nhật)';

/**
 * What users see of a variable: the marker is for admins only. A value still to be confirmed ("Chi cục Hải quan khu
 * vực VIII [CẦN XÁC NHẬN]") shows what is known; a value still missing ("[CẦN CẬP NHẬT: số điện thoại]") shows a
 * neutral "(đang cập nhật)" — never the admins' note, which may hold an example rather than the real data.
 */
export function displayValue(value: string): string {
  if (!PLACEHOLDER.test(value)) return value;
  const known = value.replace(MARKER, ' ').replace(/\s+/g, ' ').trim();
  return known === '' ? MISSING_VALUE : known;
}

export interface Variables {
  readonly values: Readonly<Record<string, string>>;
  /** Line of each variable in the file, for reports. */
  readonly lines: Readonly<Record<string, number>>;
}

/** Parses _variables.yml: nested mappings of strings, flattened to "office.phone" keys. */
export function parseVariables(file: string, text: string): { variables: Variables; problems: KnowledgeProblem[] } {
  const source = parseYamlSource(file, text);
  const problems = [...source.problems];
  const values: Record<string, string> = {};
  const lines: Record<string, number> = {};
  const walk = (value: unknown, path: string[]) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      return;
    }
    const name = path.join('.');
    const line = source.lineOf(path);
    if (typeof value === 'string' || typeof value === 'number') {
      values[name] = String(value);
      lines[name] = line;
    } else {
      problems.push({ file, line, message: `biến "${name}" phải là một chuỗi chữ`, severity: 'error' });
    }
  };
  if (problems.every((p) => p.severity !== 'error')) walk(source.doc.toJS() ?? {}, []);
  return { variables: { values, lines }, problems };
}

export interface Substitution {
  readonly text: string;
  /** Variables used but not defined, with their offsets in the input. */
  readonly unknown: ReadonlyArray<{ name: string; offset: number }>;
  readonly used: ReadonlySet<string>;
}

/** Fills `{{name}}` with the variable's value as users see it (`displayValue`); unknown names are left as written and reported. */
export function substitute(text: string, values: Readonly<Record<string, string>>): Substitution {
  const unknown: Array<{ name: string; offset: number }> = [];
  const used = new Set<string>();
  const out = text.replace(VARIABLE, (whole, name: string, offset: number) => {
    const value = values[name];
    if (value === undefined) {
      unknown.push({ name, offset });
      return whole;
    }
    used.add(name);
    const shown = displayValue(value);
    // "Fanpage ({{office.fanpage_url}})" with the URL still missing reads "(đang cập nhật)", not "((đang cập nhật))".
    const inParentheses = text[offset - 1] === '(' && text[offset + whole.length] === ')';
    return shown === MISSING_VALUE && inParentheses ? MISSING_VALUE.slice(1, -1) : shown;
  });
  return { text: out, unknown, used };
}

/** Warnings for every variable still holding a placeholder, so nobody ships "[CẦN CẬP NHẬT…]" by accident. */
export function placeholderWarnings(file: string, variables: Variables): KnowledgeProblem[] {
  return Object.entries(variables.values)
    .filter(([, v]) => PLACEHOLDER.test(v))
    .map(([name]) => ({
      file,
      line: variables.lines[name] ?? 1,
      message: `biến "${name}" vẫn là chỗ trống cần điền thông tin chính thức`,
      severity: 'warning' as const,
    }));
}
