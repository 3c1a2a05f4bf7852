import { addDays, isValidIsoDate } from '../days.js';
import { z } from 'zod';
import { parseYamlSource } from './yaml-source.js';
import type { KnowledgeProblem } from './types.js';

/** knowledge/_legal.yml: the legal documents answers cite, when they take effect and what changes them when. */
export const LEGAL_FILE = '_legal.yml';

/**
 * What happens to a document on a day: amended (still in force, changed), replaced by another, repealed (wholly or
 * some articles), or it expires (a time-limited rule: `from` is the first day it no longer applies).
 */
export type ChangeKind = 'amended' | 'replaced' | 'repealed' | 'expires';

export interface LegalChange {
  readonly kind: ChangeKind;
  /** First day the change applies (YYYY-MM-DD); null when the register does not know it (taken as already applying). */
  readonly from: string | null;
  /** The document making the change; null for an expiry or a repeal whose author is not recorded. */
  readonly by: string | null;
  /** The parts concerned ("Điều 2"); empty: the whole document. */
  readonly articles: readonly string[];
  readonly note: string | null;
  /** Line of the change in _legal.yml. */
  readonly line: number;
}

export interface LegalDocument {
  readonly number: string;
  readonly title: string;
  /** First day in force, when known. */
  readonly effective: string | null;
  /** Last day in force of a time-limited document. */
  readonly until: string | null;
  /** Every change, earliest first. */
  readonly changes: readonly LegalChange[];
  readonly aliases: readonly string[];
  /** Entries (ids) the document concerns besides those citing it: for "what's new" before the answers are updated. */
  readonly topics: readonly string[];
  readonly note: string | null;
  readonly line: number;
}

export interface LegalRegister {
  /** Display path of _legal.yml, for reports; null when there is no register. */
  readonly file: string | null;
  readonly documents: readonly LegalDocument[];
}

export const EMPTY_REGISTER: LegalRegister = { file: null, documents: [] };

const day = (field: string) =>
  z
    .union([z.string(), z.date()], { error: `"${field}" phải là ngày dạng NĂM-THÁNG-NGÀY` })
    .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v.trim()))
    .refine(isValidIsoDate, { error: (i) => `"${field}" không phải ngày hợp lệ dạng NĂM-THÁNG-NGÀY: "${String(i.input)}"` });

const number = (what: string) => z.string({ error: `thiếu "number" (số hiệu ${what})` }).trim().min(1, `thiếu "number" (số hiệu ${what})`);
const articles = z.array(z.string().trim().min(1), { error: '"articles" là danh sách, ví dụ [Điều 2]' }).default([]);
const note = z.string().optional();

const Amendment = z.strictObject({ number: number('văn bản sửa đổi'), from: day('from').optional(), articles, note });
const Replacement = z.strictObject({ number: number('văn bản thay thế'), from: day('from').optional(), note });
const Repeal = z.strictObject({ from: day('from').optional(), by: z.string().trim().min(1).optional(), articles, note });

const Document = z.strictObject({
  number: number('văn bản'),
  title: z.string({ error: 'thiếu "title" (tên văn bản)' }).trim().min(1, 'thiếu "title" (tên văn bản)'),
  effective: day('effective').optional(),
  until: day('until').optional(),
  amended_by: z.array(Amendment, { error: '"amended_by" là danh sách các văn bản sửa đổi (mỗi mục có number và from)' }).default([]),
  replaced_by: Replacement.optional(),
  repealed: z.array(Repeal, { error: '"repealed" là danh sách (mỗi mục có from, có thể có by và articles)' }).default([]),
  aliases: z.array(z.string().trim().min(1)).default([]),
  topics: z.array(z.string().trim().min(1)).default([]),
  note,
});

/** Fields of the first version of the file, answered with what replaces them. */
const OLD_FIELDS: Readonly<Record<string, string>> = {
  status: 'bỏ "status": hiệu lực được tính theo ngày — dùng replaced_by, amended_by, repealed, until',
  by: 'bỏ "by": ghi văn bản sửa đổi trong amended_by, văn bản thay thế trong replaced_by',
};

export function parseLegalRegistry(file: string, text: string): { register: LegalRegister; problems: KnowledgeProblem[] } {
  const source = parseYamlSource(file, text);
  const problems = [...source.problems];
  const documents: LegalDocument[] = [];
  const error = (line: number, message: string) => problems.push({ file, line, message, severity: 'error' });
  const data: unknown = source.problems.some((p) => p.severity === 'error') ? [] : (source.doc.toJS() ?? []);
  if (!Array.isArray(data)) {
    error(1, 'tệp phải là danh sách các văn bản (mỗi mục bắt đầu bằng "- number:")');
    return { register: { file, documents: [] }, problems };
  }
  const seen = new Map<string, number>();
  data.forEach((item, i) => {
    const at = (...path: Array<string | number>) => source.lineOf([i, ...path]);
    const parsed = Document.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path as Array<string | number>;
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) error(at(...path, key), OLD_FIELDS[key] ?? `trường lạ "${key}" (xem hướng dẫn ở đầu tệp)`);
        } else {
          error(at(...path), issue.message);
        }
      }
      return;
    }
    const d = parsed.data;
    const key = citationKey(d.number);
    if (seen.has(key)) error(at('number'), `"${d.number}" đã có ở dòng ${seen.get(key)}`);
    else seen.set(key, at('number'));
    if (d.effective && d.until && d.until < d.effective) error(at('until'), `"until" (${d.until}) trước ngày có hiệu lực "effective" (${d.effective})`);
    d.amended_by.forEach((a, j) => {
      const previous = d.amended_by[j - 1];
      if (previous?.from && a.from && a.from < previous.from) {
        error(at('amended_by', j), `các lần sửa đổi phải ghi theo thứ tự ngày: ${a.number} (${a.from}) đứng sau ${previous.number} (${previous.from})`);
      }
    });
    const changes: LegalChange[] = [
      ...d.amended_by.map((a, j) => change('amended', a.from, a.number, a.articles, a.note, at('amended_by', j))),
      ...(d.replaced_by ? [change('replaced', d.replaced_by.from, d.replaced_by.number, [], d.replaced_by.note, at('replaced_by'))] : []),
      ...d.repealed.map((r, j) => change('repealed', r.from, r.by ?? null, r.articles, r.note, at('repealed', j))),
      ...(d.until ? [change('expires', addDays(d.until, 1), null, [], undefined, at('until'))] : []),
    ].sort((a, b) => (a.from ?? '').localeCompare(b.from ?? ''));
    documents.push({
      number: d.number,
      title: d.title,
      effective: d.effective ?? null,
      until: d.until ?? null,
      changes,
      aliases: d.aliases,
      topics: d.topics,
      note: d.note ?? null,
      line: at('number'),
    });
  });
  return { register: { file, documents }, problems };
}

function change(kind: ChangeKind, from: string | undefined, by: string | null, articles: readonly string[], note: string | undefined, line: number): LegalChange {
  return { kind, from: from ?? null, by, articles: articles.map(articleKey), note: note ?? null, line };
}

/** Document numbers like "128/2020/NĐ-CP", "54/2014/QH13", "38/2015/TT-BTC" in a line of legal_basis. */
const NUMBER = /\b\d{1,4}\/\d{4}\/[A-ZĐa-zđ0-9]+(?:-[A-ZĐa-zđ0-9]+)*/g;
/** "Điều 8", "Điều 5, 6 và 10", "điều 24a". */
const ARTICLES = /điều\s+(\d+[a-zđ]?(?:\s*(?:,|và)\s*\d+[a-zđ]?)*)/giu;

/** How numbers and names are compared: case, spacing and Unicode form do not matter. */
export const citationKey = (s: string) => s.normalize('NFC').toUpperCase().replace(/\s+/g, ' ').trim();
const articleKey = (s: string) => `Điều ${s.replace(/^\s*điều\s*/iu, '').trim().toLowerCase()}`;

/** One register document cited by a legal_basis line, with the articles cited (empty: the document as a whole). */
export interface Cited {
  readonly doc: LegalDocument;
  readonly articles: readonly string[];
}

/**
 * The register's documents cited by one legal_basis line. Articles named in the line belong to the first document
 * it cites — the way the lines are written: "Nghị định 134/2016/NĐ-CP (sửa đổi bởi …), Điều 8" — and the other
 * documents of the line count as cited as a whole.
 */
export function citedDocuments(line: string, documents: readonly LegalDocument[]): Cited[] {
  const text = citationKey(line);
  const positions: Array<{ doc: LegalDocument; at: number }> = [];
  const numbers = new Map<string, number>();
  for (const m of line.matchAll(NUMBER)) if (!numbers.has(citationKey(m[0]))) numbers.set(citationKey(m[0]), m.index);
  for (const doc of documents) {
    const names = /^\d/.test(doc.number) ? doc.aliases : [doc.number, ...doc.aliases];
    const byNumber = numbers.get(citationKey(doc.number));
    const byName = names.map((a) => text.indexOf(citationKey(a))).filter((i) => i >= 0);
    const at = Math.min(byNumber ?? Infinity, ...byName);
    if (at !== Infinity) positions.push({ doc, at });
  }
  positions.sort((a, b) => a.at - b.at);
  const cited = [...line.matchAll(ARTICLES)].flatMap((m) => m[1]!.split(/\s*(?:,|và)\s*/u).map(articleKey));
  return positions.map((p, i) => ({ doc: p.doc, articles: i === 0 ? [...new Set(cited)] : [] }));
}

/** Whether a change concerns a citation: a change of the whole document does; a partial one, the articles cited. */
export function changeTouches(change: LegalChange, articles: readonly string[]): boolean {
  return change.articles.length === 0 || articles.length === 0 || articles.some((a) => change.articles.includes(a));
}
