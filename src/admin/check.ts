import type { Knowledge } from '../conversation/knowledge.js';
import { loadKnowledge } from '../conversation/knowledge.js';
import { vietnameseDate as dmy } from '../conversation/answer.js';
import type { LegalChange } from '../knowledge/legal.js';
import { judgeTimeline, type CitationOf, type DatedStatement, type EntryValidity, type OutdatedCitation, type Timeline, type UpcomingChange } from '../knowledge/timeline.js';
import { KnowledgeBaseError, type AnswerPart, type KnowledgeProblem } from '../knowledge/types.js';
import { search } from '../matching/search.js';
import { addDays } from '../days.js';

export interface CheckOptions {
  /** An entry not reviewed for this many months is stale. */
  readonly staleAfterMonths: number;
  /** The day everything is judged on, YYYY-MM-DD (Vietnam time): today, or `kb:check --as-of`. */
  readonly today: string;
  /** Changes taking effect within this many days are reported as "sắp thay đổi". */
  readonly lookaheadDays: number;
}

function monthsBefore(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1 - months, d));
  return date.toISOString().slice(0, 10);
}

/**
 * Quality warnings on a valid knowledge base (none of them stops the server):
 * - confusable: a question string of an entry that the real matcher attributes to another entry;
 * - stale: not reviewed within `staleAfterMonths` (or no review date);
 * - the timeline on `today`: outdated citations, changes coming within `lookaheadDays`, dated statements and
 *   entries outside their validity, entries marked for the office's review;
 * - drafts waiting for an admin.
 */
export function checkKnowledge(knowledge: Knowledge, o: CheckOptions): KnowledgeProblem[] {
  const out: KnowledgeProblem[] = [];
  const warn = (file: string, line: number, message: string) => out.push({ file, line, message, severity: 'warning' });
  const { base, index } = knowledge;
  const staleBefore = monthsBefore(o.today, o.staleAfterMonths);

  for (const entry of base.entries) {
    const phrasings = [{ text: entry.question, line: entry.lines.question }, ...entry.alternates.map((text, i) => ({ text, line: entry.lines.alternates[i] ?? 1 }))];
    for (const p of phrasings) {
      const [top, second] = search(index, p.text).candidates;
      const rival = top && top.id !== entry.id ? top : second && second.id !== entry.id && top && second.score === top.score ? second : null;
      if (rival) {
        const other = base.byId.get(rival.id)!;
        warn(entry.file, p.line, `dễ nhầm: cách hỏi "${p.text}" dẫn tới "${other.id}" (${other.file}:${other.lines.question}) thay vì câu này — thêm từ phân biệt hoặc chuyển cách hỏi sang đúng câu`);
      }
    }
    if (!entry.reviewedOn) warn(entry.file, 1, 'chưa có ngày rà soát "reviewed_on"');
    else if (entry.reviewedOn < staleBefore) {
      warn(entry.file, entry.lines.reviewedOn, `rà soát lần cuối ${dmy(entry.reviewedOn)}, đã quá ${o.staleAfterMonths} tháng: kiểm tra lại nội dung và căn cứ`);
    }
  }
  out.push(...timelineProblems(judgeTimeline(base.entries, base.legal, o.today, o.lookaheadDays), base.legal.file ?? '_legal.yml'));
  for (const draft of base.drafts) {
    warn(draft.file, 1, `bản nháp chờ quản trị viên duyệt${draft.sourceTicket ? ` (từ phiếu #${draft.sourceTicket})` : ''}`);
  }
  return out;
}

/** The timeline as `path:line` warnings, in the words admins read on kb:check and /admin. */
export function timelineProblems(t: Timeline, registerFile: string): KnowledgeProblem[] {
  const w = (file: string, line: number, message: string): KnowledgeProblem => ({ file, line, message, severity: 'warning' });
  return [
    ...t.outdated.map((c) => w(c.entry.file, c.line, outdatedMessage(c))),
    ...t.notYetInForce.map((c) => w(c.entry.file, c.line, notYetMessage(c))),
    ...t.upcoming.map((u) => w(registerFile, u.change.line, upcomingMessage(u))),
    ...t.statements.map((s) => w(s.entry.file, s.part.line, statementMessage(s))),
    ...t.entries.map((v) => w(v.entry.file, v.state === 'expired' || v.state === 'ends' ? v.entry.lines.validUntil : v.entry.lines.validFrom, validityMessage(v))),
    ...t.reviews.map((e) => w(e.file, e.lines.needsReview, `cần đơn vị rà soát: ${e.needsReview}`)),
  ];
}

const parts = (articles: readonly string[]) => articles.join(', ');
/** "(áp dụng đến hết 31/12/2026)" for an expiry, whose `from` is the day after the last day. */
const lastDay = (c: LegalChange) => (c.from ? dmy(addDays(c.from, -1)) : '?');
/** " từ 01/07/2026", or a note that the register has no date. */
const since = (c: LegalChange) => (c.from ? ` từ ${dmy(c.from)}` : ' (_legal.yml chưa ghi ngày)');

export function outdatedMessage(c: OutdatedCitation): string {
  const { change: ch, doc } = c;
  const fix = 'cập nhật câu trả lời và legal_basis';
  switch (ch.kind) {
    case 'replaced':
      return `căn cứ "${doc.number}" đã được thay thế bởi ${ch.by}${since(ch)}: ${fix}`;
    case 'expires':
      return `căn cứ "${doc.number}" đã hết hiệu lực${since(ch)} (áp dụng đến hết ${lastDay(ch)}): ${fix}`;
    case 'repealed': {
      const by = ch.by ? ` bởi ${ch.by}` : '';
      if (ch.articles.length === 0) return `căn cứ "${doc.number}" đã bị bãi bỏ${by}${since(ch)}: ${fix}`;
      if (c.partial) return `căn cứ "${doc.number}": ${parts(ch.articles)} đã bị bãi bỏ${by}${since(ch)} — kiểm tra phần được trích dẫn còn hiệu lực, ghi rõ điều, khoản trong legal_basis`;
      return `căn cứ "${doc.number}", ${parts(c.articles.filter((a) => ch.articles.includes(a)))} đã bị bãi bỏ${by}${since(ch)}: ${fix}`;
    }
    case 'amended':
      return `căn cứ "${doc.number}" đã được sửa đổi bởi ${ch.by}${since(ch)}`;
  }
}

export const notYetMessage = (c: CitationOf) =>
  `căn cứ "${c.doc.number}" đến ${dmy(c.doc.effective!)} mới có hiệu lực: nói rõ ngày áp dụng trong câu trả lời, hoặc đặt nội dung mới trong khối "::: từ ${c.doc.effective}"`;

export function changeWords(u: Pick<UpcomingChange, 'doc' | 'change'>): string {
  const { doc, change: ch } = u;
  const scope = ch.articles.length > 0 ? ` (${parts(ch.articles)})` : '';
  switch (ch.kind) {
    case 'amended':
      return `"${doc.number}"${scope} được sửa đổi bởi ${ch.by}`;
    case 'replaced':
      return `"${doc.number}" được thay thế bởi ${ch.by}`;
    case 'repealed':
      return `"${doc.number}"${scope} bị bãi bỏ${ch.by ? ` bởi ${ch.by}` : ''}`;
    case 'expires':
      return `"${doc.number}" hết hiệu lực (áp dụng đến hết ${lastDay(ch)})`;
  }
}

function upcomingMessage(u: UpcomingChange): string {
  const touched = u.citations.length === 0 ? 'chưa có câu hỏi nào trích dẫn' : `câu hỏi liên quan: ${u.citations.map((c) => `${c.entry.file}:${c.line}`).join(', ')}`;
  return `sắp thay đổi (còn ${u.inDays} ngày): từ ${dmy(u.change.from)}, ${changeWords(u)} — ${touched}`;
}

const range = (p: AnswerPart) => (p.from && p.until ? `từ ${dmy(p.from)} đến ${dmy(p.until)}` : p.from ? `từ ${dmy(p.from)}` : `đến ${dmy(p.until!)}`);

export function statementMessage(s: DatedStatement): string {
  switch (s.state) {
    case 'ended':
      return `đoạn có thời hạn (${range(s.part)}) đã hết hạn từ ${dmy(s.day)}: trợ lý không còn hiển thị đoạn này — cập nhật câu trả lời hoặc xóa đoạn`;
    case 'starts':
      return `sắp thay đổi (còn ${s.inDays} ngày): từ ${dmy(s.day)} trợ lý bắt đầu hiển thị đoạn này (${range(s.part)}) — kiểm tra nội dung còn đúng`;
    case 'ends':
      return `sắp thay đổi (còn ${s.inDays} ngày): sau ngày ${dmy(addDays(s.day, -1))} trợ lý thôi hiển thị đoạn này (${range(s.part)}) — kiểm tra có văn bản mới gia hạn hay thay thế không`;
  }
}

export function validityMessage(v: EntryValidity): string {
  switch (v.state) {
    case 'expired':
      return `câu hỏi đã hết hiệu lực từ ${dmy(v.day)} (valid_until): trợ lý không dùng câu này để trả lời — cập nhật hoặc xóa câu hỏi`;
    case 'not-yet':
      return `câu hỏi đến ${dmy(v.day)} mới có hiệu lực (valid_from): trợ lý chưa dùng câu này để trả lời`;
    case 'starts':
      return `sắp thay đổi (còn ${v.inDays} ngày): từ ${dmy(v.day)} trợ lý bắt đầu dùng câu này để trả lời`;
    case 'ends':
      return `sắp thay đổi (còn ${v.inDays} ngày): sau ngày ${dmy(addDays(v.day, -1))} trợ lý thôi dùng câu này để trả lời`;
  }
}

export interface CheckReport {
  readonly errors: readonly KnowledgeProblem[];
  readonly warnings: readonly KnowledgeProblem[];
}

/** Everything kb:check reports for a directory: the loader's errors, or its warnings plus the quality checks. */
export async function runKnowledgeCheck(knowledgeDir: string, o: CheckOptions): Promise<CheckReport> {
  try {
    const knowledge = await loadKnowledge(knowledgeDir);
    return { errors: [], warnings: [...knowledge.base.warnings, ...checkKnowledge(knowledge, o)] };
  } catch (err) {
    if (!(err instanceof KnowledgeBaseError)) throw err;
    return { errors: err.problems.filter((p) => p.severity === 'error'), warnings: err.problems.filter((p) => p.severity === 'warning') };
  }
}
