import type { Outcome, Reply } from '../conversation/types.js';
import type { SearchResult } from '../matching/search.js';

/** Replies as a person would read them in a chat window (terminal tools and the `ask` command). */
export function formatReplies(replies: readonly Reply[]): string {
  return replies
    .map((r) => {
      switch (r.kind) {
        case 'text':
          return r.text;
        case 'choices':
          return `${r.text}\n${r.choices.map((c) => `  [${c.title}]`).join(' ')}`;
        case 'handoff':
          return `(chuyển cán bộ: ${r.question})`;
      }
    })
    .join('\n\n');
}

const p2 = (x: number) => x.toFixed(2);

/**
 * `npm run chat -- --debug`: the final decision, the engine's signals for each candidate beside the learned
 * scorer's probability, the learned scorer's own best entries, and how each word was understood.
 */
export function debugLines(result: SearchResult, o: Outcome): string {
  const words = result.words.map((w) => (w.kind === 'known' ? w.typed : `${w.typed}→${w.as.join('+') || '?'} (${w.kind})`));
  const lines = [
    `[${o.decision}${o.entryId ? ` ${o.entryId}` : ''} · độ tin cậy ${o.score.toFixed(3)} · phần riêng ${p2(result.distinctiveness)} · từ chưa biết ${p2(result.unknownShare)}]`,
    `[từ: ${words.join(' ')}]`,
    '  tổng hợp  bộ máy  học máy  phủ câu/cách hỏi/từ khóa  câu hỏi',
    ...result.candidates.map(
      (c) => `  ${c.combined.toFixed(3)}    ${c.score.toFixed(3)}   ${c.learned.toFixed(3)}    ${p2(c.queryCoverage)}/${p2(c.questionCoverage)}/${p2(c.keyCoverage)}            ${c.id}`,
    ),
    `[học máy: ${result.learned.best.map((b) => `${b.id} ${p2(b.probability)}`).join(', ')}; không thuộc câu nào ${p2(result.learned.none)}]`,
  ];
  return `${lines.map((l) => `     ${l}`).join('\n')}\n`;
}
