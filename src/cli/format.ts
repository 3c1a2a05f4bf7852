import type { Reply } from '../conversation/types.js';

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
