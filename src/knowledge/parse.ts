import { addDays, isValidIsoDate } from '../days.js';
import { z } from 'zod';
import { answerTextOn, changeDays, splitDated } from './dated.js';
import { renderChatText } from './render.js';
import { substitute } from './variables.js';
import { parseYamlSource } from './yaml-source.js';
import type { AnswerPart, FaqEntry, KnowledgeProblem } from './types.js';

export { isValidIsoDate };

/** A rendered answer longer than this is two full messages already: split the entry instead. */
export const MAX_ANSWER_LENGTH = 4000;
export const MIN_ALTERNATES = 5;

export const FRONT_MATTER_KEYS = [
  'id',
  'question',
  'alternates',
  'tags',
  'legal_basis',
  'links',
  'reviewed_on',
  'draft',
  'source_ticket',
  'valid_from',
  'valid_until',
  'needs_review',
] as const;

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const missingOr = (field: string, what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `thiếu trường "${field}" (${what})` : `"${field}" phải là ${typeName(what)}`;
const typeName = (what: string) => (what.startsWith('danh sách') ? what : 'một chuỗi chữ');

const isoDate = (field: string, what: string) =>
  z
    .string({ error: missingOr(field, `${what}, dạng NĂM-THÁNG-NGÀY`) })
    .refine(isValidIsoDate, { error: (i) => `"${field}" không phải ngày hợp lệ dạng NĂM-THÁNG-NGÀY: "${String(i.input)}"` });

const stringList = (field: string) =>
  z.array(z.string({ error: `mỗi mục của "${field}" phải là một chuỗi chữ` }).trim().min(1, `mục trống trong "${field}"`), {
    error: missingOr(field, `danh sách các dòng bắt đầu bằng "- "`),
  });

const FrontMatter = z.object({
  id: z
    .string({ error: missingOr('id', 'mã câu hỏi, trùng tên tệp') })
    .regex(ID, '"id" chỉ gồm chữ thường không dấu, số và dấu "-"'),
  question: z.string({ error: missingOr('question', 'câu hỏi chuẩn') }).trim().min(1, 'thiếu nội dung "question" (câu hỏi chuẩn)'),
  alternates: stringList('alternates').default([]),
  tags: stringList('tags').default([]),
  legal_basis: stringList('legal_basis').optional(),
  links: z
    .array(
      z.object({
        title: z.string({ error: missingOr('title', 'tên liên kết') }).trim().min(1),
        url: z.string({ error: missingOr('url', 'đường dẫn') }).regex(/^https?:\/\/\S+$/, 'đường dẫn phải bắt đầu bằng https:// hoặc http://'),
      }),
      { error: '"links" phải là danh sách, mỗi mục có "title" và "url"' },
    )
    .default([]),
  reviewed_on: isoDate('reviewed_on', 'ngày rà soát').optional(),
  draft: z.boolean({ error: '"draft" chỉ nhận true hoặc false' }).default(false),
  source_ticket: z.union([z.string(), z.number()]).transform(String).optional(),
  valid_from: isoDate('valid_from', 'ngày bắt đầu dùng câu trả lời').optional(),
  valid_until: isoDate('valid_until', 'ngày cuối cùng dùng câu trả lời').optional(),
  needs_review: z
    .string({ error: '"needs_review" là lý do cần đơn vị rà soát, viết thành một câu' })
    .trim()
    .min(1, '"needs_review" cần ghi lý do (hoặc xóa dòng này khi đã rà soát xong)')
    .optional(),
});


/** Nearest known key for a typo ("alternate" → "alternates"), by edit distance. */
function closestKey(key: string): string | null {
  let best: { key: string; distance: number } | null = null;
  for (const known of FRONT_MATTER_KEYS) {
    const distance = editDistance(key.toLowerCase(), known);
    if (best === null || distance < best.distance) best = { key: known, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 3)) ? best.key : null;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = current;
    }
  }
  return row[b.length]!;
}

export interface ParsedEntryFile {
  /** Present when the file had no error (warnings allowed). */
  readonly entry: FaqEntry | null;
  readonly problems: KnowledgeProblem[];
  /** Line of the `id:` key, for duplicate-id reports. */
  readonly idLine: number;
  /** The file says `draft: true`, even if it is otherwise invalid: a broken draft is skipped, never fatal. */
  readonly draft: boolean;
}

/**
 * Parses and validates one entry file. Every problem of the file is reported, not only the first.
 * `file` is the display path; the id must equal the file name and `category` is the folder.
 */
export function parseEntryFile(
  file: string,
  text: string,
  category: string,
  variables: Readonly<Record<string, string>>,
): ParsedEntryFile {
  const problems: KnowledgeProblem[] = [];
  const error = (line: number, message: string) => problems.push({ file, line, message, severity: 'error' });
  const warn = (line: number, message: string) => problems.push({ file, line, message, severity: 'warning' });
  const normalizedText = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = normalizedText.split('\n');

  if (lines[0]?.trim() !== '---') {
    error(1, 'tệp phải bắt đầu bằng dòng "---" của phần khai báo');
    return { entry: null, problems, idLine: 1, draft: false };
  }
  const closing = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (closing < 0) {
    error(1, 'thiếu dòng "---" đóng phần khai báo');
    return { entry: null, problems, idLine: 1, draft: false };
  }
  const source = parseYamlSource(file, lines.slice(1, closing).join('\n'), 2);
  problems.push(...source.problems);
  const bodyFirstLine = closing + 2;
  const body = lines.slice(closing + 1).join('\n');
  const idLine = source.lineOf(['id']);
  if (source.problems.some((p) => p.severity === 'error')) return { entry: null, problems, idLine, draft: /^draft:\s*true\s*$/m.test(lines.slice(1, closing).join('\n')) };

  const raw: unknown = source.doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    error(2, 'phần khai báo phải gồm các dòng "tên trường: giá trị"');
    return { entry: null, problems, idLine, draft: false };
  }
  for (const { key, line } of source.topKeys()) {
    if ((FRONT_MATTER_KEYS as readonly string[]).includes(key)) continue;
    const guess = closestKey(key);
    error(line, `trường lạ "${key}"${guess ? ` — có phải ý bạn là "${guess}"?` : ''} (các trường hợp lệ: ${FRONT_MATTER_KEYS.join(', ')})`);
  }

  const parsed = FrontMatter.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) error(source.lineOf(issue.path as Array<string | number>), issue.message);
  }
  const fm = parsed.success ? parsed.data : null;
  const fileId = file.split('/').pop()!.replace(/\.md$/, '');
  if (fm && fm.id !== fileId) error(idLine, `"id" là "${fm.id}" nhưng tên tệp là "${fileId}.md": hai tên phải trùng nhau`);
  const draft = fm?.draft ?? (raw as Record<string, unknown>).draft === true;
  if (fm && !draft && fm.reviewed_on === undefined) {
    error(1, 'thiếu trường "reviewed_on" (ngày rà soát, dạng NĂM-THÁNG-NGÀY)');
  }
  if (fm && (fm.legal_basis === undefined || fm.legal_basis.length === 0)) {
    (draft ? warn : error)(source.lineOf(['legal_basis']), 'thiếu "legal_basis": câu trả lời pháp lý phải nêu căn cứ');
  }
  if (fm && !draft && fm.alternates.length < MIN_ALTERNATES) {
    warn(source.lineOf(['alternates']), `chỉ có ${fm.alternates.length} cách hỏi khác; nên có ít nhất ${MIN_ALTERNATES}`);
  }
  if (fm?.valid_from && fm.valid_until && fm.valid_until < fm.valid_from) {
    error(source.lineOf(['valid_until']), `"valid_until" (${fm.valid_until}) trước "valid_from" (${fm.valid_from})`);
  }

  if (body.trim() === '') error(bodyFirstLine, 'câu trả lời trống: viết câu trả lời sau dòng "---"');
  const answer = answerOf(file, body, bodyFirstLine, variables);
  problems.push(...answer.problems);

  if (!fm || problems.some((p) => p.severity === 'error')) return { entry: null, problems, idLine, draft };
  return {
    entry: keptEntry({
      id: fm.id,
      category,
      question: fm.question,
      alternates: fm.alternates,
      tags: fm.tags,
      legalBasis: fm.legal_basis ?? [],
      links: fm.links,
      reviewedOn: fm.reviewed_on ?? null,
      draft,
      sourceTicket: fm.source_ticket ?? null,
      validFrom: fm.valid_from ?? null,
      validUntil: fm.valid_until ?? null,
      needsReview: fm.needs_review ?? null,
      answerParts: answer.parts,
      file,
      lines: {
        question: source.lineOf(['question']),
        alternates: fm.alternates.map((_, i) => source.lineOf(['alternates', i])),
        legalBasis: (fm.legal_basis ?? []).map((_, i) => source.lineOf(['legal_basis', i])),
        reviewedOn: source.lineOf(['reviewed_on']),
        validFrom: source.lineOf(['valid_from']),
        validUntil: source.lineOf(['valid_until']),
        needsReview: source.lineOf(['needs_review']),
      },
    }),
    problems,
    idLine,
    draft,
  };
}

/**
 * The answer body: its dated blocks split out, variables filled in (unknown ones reported at their line), each part
 * rendered for chat, and the length checked on every day the shown text can change.
 */
// Tags, legal bases and categories repeat across entries: one string each, however many entries name it.
const labels = new Map<string, string>();
const LABELS_KEPT = 50_000;

function shared(label: string): string {
  const known = labels.get(label);
  if (known !== undefined) return known;
  if (labels.size >= LABELS_KEPT) labels.clear();
  labels.set(label, label);
  return label;
}

/**
 * The entry as kept. A copy made of new strings: the parsed ones are slices of the file's text and would keep all of
 * it alive (at 10,000 entries, 100 MB of front matter held by the alternates). `answerText` is joined from the parts
 * each time it is read (index builds, admin pages), not stored beside them; the getter is defined out here so that
 * it holds the parts alone, not the parser's scope (its YAML document).
 */
function keptEntry(parsed: Omit<FaqEntry, 'answerText'>): FaqEntry {
  const copy = structuredClone(parsed);
  const entry: Omit<FaqEntry, 'answerText'> = { ...copy, category: shared(copy.category), tags: copy.tags.map(shared), legalBasis: copy.legalBasis.map(shared) };
  const parts = entry.answerParts;
  return Object.defineProperty(entry, 'answerText', {
    enumerable: true,
    get: () => parts.map((p) => p.text).filter((t) => t !== '').join('\n\n'),
  }) as FaqEntry;
}

function answerOf(file: string, body: string, firstLine: number, variables: Readonly<Record<string, string>>) {
  const { parts: raw, problems } = splitDated(file, body, firstLine);
  const error = (line: number, message: string) => problems.push({ file, line, message, severity: 'error' });
  const parts: AnswerPart[] = raw.map((p) => {
    const filled = substitute(p.text, variables);
    for (const u of filled.unknown) error(p.textLine + (p.text.slice(0, u.offset).match(/\n/g)?.length ?? 0), `biến "{{${u.name}}}" không có trong _variables.yml`);
    return { text: renderChatText(filled.text.trim()), from: p.from, until: p.until, line: p.line };
  });
  // The longest text any day can show: before every block, and from each day a block starts or ends.
  const days = ['0000-01-01', ...changeDays(parts, (d) => addDays(d, 1))];
  const longest = days.map((day) => ({ day, length: answerTextOn(parts, day).length })).reduce((a, b) => (b.length > a.length ? b : a));
  if (longest.length > MAX_ANSWER_LENGTH) {
    const when = parts.some((p) => p.from || p.until) && longest.day !== '0000-01-01' ? ` (từ ngày ${longest.day})` : '';
    error(firstLine, `câu trả lời dài ${longest.length} ký tự khi hiển thị${when} (tối đa ${MAX_ANSWER_LENGTH}): hãy rút gọn hoặc tách thành nhiều câu hỏi`);
  }
  return { parts, problems };
}
