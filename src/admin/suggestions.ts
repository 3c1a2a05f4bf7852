import type { FaqEntry, KnowledgeBase } from '../knowledge/types.js';
import { phrasingKey, type KeyedProposal } from '../store/phrasings.js';

/** The proposals for one entry, as the "Đề xuất cách hỏi" page lists them. */
export interface ProposalGroup {
  readonly entry: FaqEntry;
  readonly proposals: readonly KeyedProposal[];
}

/**
 * Groups pending proposals by entry, most confirmed first. Proposals for entries no longer served, or already among
 * the entry's questions (added by hand meanwhile), are left out.
 */
export function proposalGroups(proposals: readonly KeyedProposal[], base: KnowledgeBase): ProposalGroup[] {
  const groups = new Map<string, { entry: FaqEntry; proposals: KeyedProposal[]; known: Set<string> }>();
  for (const p of proposals) {
    const entry = base.byId.get(p.entryId);
    if (!entry) continue;
    let group = groups.get(entry.id);
    if (!group) groups.set(entry.id, (group = { entry, proposals: [], known: new Set([entry.question, ...entry.alternates].map(phrasingKey)) }));
    if (!group.known.has(p.key)) group.proposals.push(p);
  }
  const total = (g: { proposals: readonly KeyedProposal[] }) => g.proposals.reduce((n, p) => n + p.count, 0);
  return [...groups.values()]
    .filter((g) => g.proposals.length > 0)
    .sort((a, b) => total(b) - total(a) || a.entry.id.localeCompare(b.entry.id))
    .map(({ entry, proposals }) => ({ entry, proposals }));
}
