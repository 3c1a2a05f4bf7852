import type { FaqEntry, KnowledgeBase } from '../knowledge/types.js';
import { buildIndex, type IndexableEntry, type MatchIndex } from '../matching/index.js';

/** A knowledge base with its search index: what the bot serves from. Swapped as a whole on reload. */
export interface Knowledge {
  readonly base: KnowledgeBase;
  readonly index: MatchIndex;
}

export function toIndexable(entry: FaqEntry): IndexableEntry {
  return {
    id: entry.id,
    questions: [entry.question, ...entry.alternates],
    tags: entry.tags,
    body: entry.answerText,
  };
}

export function indexKnowledge(base: KnowledgeBase): Knowledge {
  return { base, index: buildIndex(base.entries.map(toIndexable)) };
}
