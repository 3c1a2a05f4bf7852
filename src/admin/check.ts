import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Knowledge } from '../conversation/knowledge.js';
import { vietnameseDate } from '../conversation/answer.js';
import { citedDocuments, LEGAL_FILE, parseLegalRegistry, type LegalDocument } from '../knowledge/legal.js';
import { KnowledgeBaseError, type KnowledgeProblem } from '../knowledge/types.js';
import { search } from '../matching/search.js';
import { loadKnowledge } from '../conversation/knowledge.js';

export interface CheckOptions {
  /** An entry not reviewed for this many months is stale. */
  readonly staleAfterMonths: number;
  /** Today, as YYYY-MM-DD. */
  readonly today: string;
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
 * - superseded: a legal basis citing a document `_legal.yml` marks replaced or expired;
 * - drafts waiting for an admin.
 */
export function checkKnowledge(knowledge: Knowledge, legal: readonly LegalDocument[], o: CheckOptions): KnowledgeProblem[] {
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
      warn(entry.file, entry.lines.reviewedOn, `rà soát lần cuối ${vietnameseDate(entry.reviewedOn)}, đã quá ${o.staleAfterMonths} tháng: kiểm tra lại nội dung và căn cứ`);
    }
    entry.legalBasis.forEach((line, i) => {
      for (const doc of citedDocuments(line, legal)) {
        if (doc.status !== 'replaced' && doc.status !== 'expired') continue;
        // Citing the old document next to its replacement ("169/2026, thay thế 128/2020") is fine.
        if (doc.by && entry.legalBasis.some((l) => l.includes(doc.by!))) continue;
        const when = doc.effective ? (doc.effective <= o.today ? ` từ ${vietnameseDate(doc.effective)}` : ` (có hiệu lực ${vietnameseDate(doc.effective)})`) : '';
        const verb = doc.status === 'expired' ? `đã hết hiệu lực${when}` : doc.effective && doc.effective > o.today ? `sẽ được thay thế bởi ${doc.by}${when}` : `đã được thay thế bởi ${doc.by}${when}`;
        warn(entry.file, entry.lines.legalBasis[i] ?? 1, `căn cứ "${doc.number}" ${verb}: cập nhật câu trả lời và legal_basis`);
      }
    });
  }
  for (const draft of base.drafts) {
    warn(draft.file, 1, `bản nháp chờ quản trị viên duyệt${draft.sourceTicket ? ` (từ phiếu #${draft.sourceTicket})` : ''}`);
  }
  return out;
}

export async function loadLegalRegistry(knowledgeDir: string): Promise<{ documents: LegalDocument[]; problems: KnowledgeProblem[] }> {
  const file = path.join(knowledgeDir, LEGAL_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { documents: [], problems: [] };
    throw err;
  }
  const rel = path.relative(process.cwd(), file).split(path.sep).join('/');
  return parseLegalRegistry(rel.startsWith('..') ? file : rel, text);
}

export interface CheckReport {
  readonly errors: readonly KnowledgeProblem[];
  readonly warnings: readonly KnowledgeProblem[];
}

/** Everything kb:check reports for a directory: the loader's errors, or its warnings plus the quality checks. */
export async function runKnowledgeCheck(knowledgeDir: string, o: CheckOptions): Promise<CheckReport> {
  const legal = await loadLegalRegistry(knowledgeDir);
  const legalErrors = legal.problems.filter((p) => p.severity === 'error');
  try {
    const knowledge = await loadKnowledge(knowledgeDir);
    const warnings = [...knowledge.base.warnings, ...legal.problems.filter((p) => p.severity === 'warning'), ...checkKnowledge(knowledge, legal.documents, o)];
    return { errors: legalErrors, warnings };
  } catch (err) {
    if (!(err instanceof KnowledgeBaseError)) throw err;
    return { errors: [...err.problems.filter((p) => p.severity === 'error'), ...legalErrors], warnings: err.problems.filter((p) => p.severity === 'warning') };
  }
}
