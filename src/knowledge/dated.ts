import { fold } from '../matching/fold.js';
import { isValidIsoDate } from '../days.js';
import type { AnswerPart, FaqEntry, KnowledgeProblem } from './types.js';

/**
 * Dated blocks inside an answer, for a statement that changes on a known day:
 *
 *   ::: đến 2026-12-31
 *   Thuế suất 8% …
 *   :::
 *   ::: từ 2027-01-01
 *   Thuế suất 10% …
 *   :::
 *
 * "từ" (from) and "đến" (until) days are both included; "::: từ … đến …" gives both. Text outside blocks is always
 * shown. Typed without diacritics ("tu", "den") works too.
 */
const OPEN = /^\s*:::\s*(.*?)\s*$/u;
const SPEC = /^(?:(?:tu)\s+(\S+))?\s*(?:(?:den)\s+(\S+))?$/;

export interface RawPart {
  readonly text: string;
  readonly from: string | null;
  readonly until: string | null;
  /** Line of the block's opening marker, or of the first line of undated text. */
  readonly line: number;
  /** Line in the file of the first line of `text`. */
  readonly textLine: number;
}

/** Splits an answer body (starting at `firstLine` of `file`) into undated text and dated blocks; problems at their lines. */
export function splitDated(file: string, body: string, firstLine: number): { parts: RawPart[]; problems: KnowledgeProblem[] } {
  const problems: KnowledgeProblem[] = [];
  const error = (line: number, message: string) => problems.push({ file, line, message, severity: 'error' });
  const parts: RawPart[] = [];
  const lines = body.split('\n');
  let current: { from: string | null; until: string | null; line: number; textLine: number; text: string[] } = { from: null, until: null, line: firstLine, textLine: firstLine, text: [] };
  let open = false;
  const flush = (nextLine: number) => {
    if (current.text.join('\n').trim() !== '' || open) {
      parts.push({ text: current.text.join('\n'), from: current.from, until: current.until, line: current.line, textLine: current.textLine });
    }
    current = { from: null, until: null, line: nextLine, textLine: nextLine, text: [] };
  };
  lines.forEach((raw, i) => {
    const line = firstLine + i;
    const m = OPEN.exec(raw);
    if (!m) {
      current.text.push(raw);
      return;
    }
    const spec = m[1]!;
    if (spec === '') {
      if (!open) return error(line, 'dòng ":::" đóng một khối có thời hạn nhưng chưa có khối nào được mở');
      if (current.text.join('\n').trim() === '') error(current.line, 'khối có thời hạn không có nội dung');
      flush(line + 1);
      open = false;
      return;
    }
    if (open) return error(line, `khối có thời hạn mở ở dòng ${current.line} chưa được đóng bằng dòng ":::" trước khi mở khối mới`);
    const dates = SPEC.exec(fold(spec.toLowerCase()).replace(/\s+/g, ' '));
    if (!dates || (!dates[1] && !dates[2])) {
      return error(line, `khối có thời hạn phải mở bằng "::: từ NĂM-THÁNG-NGÀY", "::: đến NĂM-THÁNG-NGÀY" hoặc "::: từ … đến …", không phải "::: ${spec}"`);
    }
    const [from, until] = [dates[1] ?? null, dates[2] ?? null];
    for (const d of [from, until]) if (d !== null && !isValidIsoDate(d)) error(line, `ngày "${d}" không hợp lệ: viết dạng NĂM-THÁNG-NGÀY, ví dụ 2027-01-01`);
    if (from && until && isValidIsoDate(from) && isValidIsoDate(until) && until < from) error(line, `ngày kết thúc ${until} trước ngày bắt đầu ${from}`);
    flush(line);
    current = { from, until, line, textLine: line + 1, text: [] };
    open = true;
  });
  if (open) error(current.line, 'khối có thời hạn chưa có dòng ":::" đóng');
  else flush(firstLine + lines.length);
  return { parts, problems };
}

/** Whether a day falls in a [from, until] range (either end open when null; both ends included). */
export const within = (day: string, from: string | null, until: string | null) => (from === null || from <= day) && (until === null || day <= until);

/** The parts of an answer shown on a day, joined: what the bot says that day. */
export function answerTextOn(parts: readonly AnswerPart[], day: string): string {
  return parts
    .filter((p) => within(day, p.from, p.until))
    .map((p) => p.text)
    .filter((t) => t !== '')
    .join('\n\n');
}

/** Days on which the shown text may change: the first day of each block and the day after each block ends. */
export function changeDays(parts: readonly { from: string | null; until: string | null }[], nextDay: (d: string) => string): string[] {
  const days = new Set<string>();
  for (const p of parts) {
    if (p.from) days.add(p.from);
    if (p.until) days.add(nextDay(p.until));
  }
  return [...days].sort();
}

/** Whether an entry may be served as an answer on a day (front matter valid_from / valid_until). */
export function isValidOn(entry: Pick<FaqEntry, 'validFrom' | 'validUntil'>, day: string): boolean {
  return within(day, entry.validFrom, entry.validUntil);
}
