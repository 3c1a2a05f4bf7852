import { z } from 'zod';
import { isValidIsoDate } from './parse.js';
import { parseYamlSource } from './yaml-source.js';
import type { KnowledgeProblem } from './types.js';

/** knowledge/_legal.yml: the legal documents answers cite, and whether they are still in force. */
export const LEGAL_FILE = '_legal.yml';

export interface LegalDocument {
  readonly number: string;
  readonly title: string;
  readonly status: 'in_force' | 'amended' | 'replaced' | 'expired';
  readonly by: string | null;
  readonly effective: string | null;
  readonly aliases: readonly string[];
  readonly note: string | null;
}

const Document = z.object({
  number: z.string({ error: 'thiếu "number" (số hiệu văn bản)' }).trim().min(1),
  title: z.string({ error: 'thiếu "title" (tên văn bản)' }).trim().min(1),
  status: z.enum(['in_force', 'amended', 'replaced', 'expired'], { error: '"status" là in_force, amended, replaced hoặc expired' }),
  by: z.string().trim().min(1).optional(),
  effective: z
    .union([z.string(), z.date()])
    .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
    .refine(isValidIsoDate, '"effective" không phải ngày hợp lệ dạng NĂM-THÁNG-NGÀY')
    .optional(),
  aliases: z.array(z.string().trim().min(1)).default([]),
  note: z.string().optional(),
});

export function parseLegalRegistry(file: string, text: string): { documents: LegalDocument[]; problems: KnowledgeProblem[] } {
  const source = parseYamlSource(file, text);
  const problems = [...source.problems];
  const documents: LegalDocument[] = [];
  const data: unknown = source.problems.some((p) => p.severity === 'error') ? [] : source.doc.toJS();
  if (!Array.isArray(data)) {
    problems.push({ file, line: 1, message: 'tệp phải là danh sách các văn bản (mỗi mục bắt đầu bằng "- number:")', severity: 'error' });
    return { documents, problems };
  }
  data.forEach((item, i) => {
    const parsed = Document.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({ file, line: source.lineOf([i, ...(issue.path as Array<string | number>)]), message: issue.message, severity: 'error' });
      }
      return;
    }
    const d = parsed.data;
    if ((d.status === 'replaced' || d.status === 'amended') && !d.by) {
      problems.push({ file, line: source.lineOf([i, 'status']), message: `"${d.number}": cần "by" (văn bản sửa đổi hoặc thay thế)`, severity: 'error' });
    }
    documents.push({ number: d.number, title: d.title, status: d.status, by: d.by ?? null, effective: d.effective ?? null, aliases: d.aliases, note: d.note ?? null });
  });
  return { documents, problems };
}

/** Document numbers like "128/2020/NĐ-CP", "54/2014/QH13", "38/2015/TT-BTC" in a line of legal_basis. */
const NUMBER = /\b\d{1,4}\/\d{4}\/[A-ZĐa-zđ0-9]+(?:-[A-ZĐa-zđ0-9]+)*/g;

const key = (s: string) => s.normalize('NFC').toUpperCase().replace(/\s+/g, ' ').trim();

/** The registry's documents cited by one legal_basis line. */
export function citedDocuments(line: string, documents: readonly LegalDocument[]): LegalDocument[] {
  const numbers = new Set((line.match(NUMBER) ?? []).map(key));
  const text = key(line);
  return documents.filter((d) => numbers.has(key(d.number)) || d.aliases.some((a) => text.includes(key(a))) || (!/^\d/.test(d.number) && text.includes(key(d.number))));
}
