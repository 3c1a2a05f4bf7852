import { loadKnowledgeBase } from '../knowledge/load.js';
import { loadOutOfScope } from '../knowledge/out-of-scope.js';
import type { FaqEntry, KnowledgeBase } from '../knowledge/types.js';
import { buildIndexInParallel, type IndexableEntry, type MatchIndex } from '../matching/index.js';

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

/**
 * Indexes a knowledge base and trains its learned scorer (on a second core when the base is large); `outOfScope`
 * teaches the scorer what to leave alone.
 */
export async function indexKnowledge(base: KnowledgeBase, outOfScope: readonly string[]): Promise<Knowledge> {
  return { base, index: await buildIndexInParallel(base.entries.map(toIndexable), outOfScope) };
}

/** Loads, validates and indexes the knowledge directory, with the shipped out-of-scope questions. */
export async function loadKnowledge(dir: string): Promise<Knowledge> {
  const [base, outOfScope] = await Promise.all([loadKnowledgeBase(dir), loadOutOfScope()]);
  return indexKnowledge(base, outOfScope);
}
