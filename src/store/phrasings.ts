import { createHash } from 'node:crypto';
import { fold, lowerNfc } from '../matching/fold.js';
import type { PhrasingProposal, PhrasingSource, Schema } from './schema.js';
import type { Store } from './store.js';

/** Longer messages are situations to read, not phrasings to add to an entry. */
export const PHRASING_MAX_LENGTH = 300;

/** One way of saying a question, whatever its accents, case and punctuation. */
export function phrasingKey(text: string): string {
  const folded = fold(lowerNfc(text)).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return createHash('sha256').update(folded).digest('hex').slice(0, 24);
}

/** The proposals waiting for an admin, most confirmed first. */
export function pendingProposals(data: Readonly<Schema>): PhrasingProposal[] {
  return data.phrasings.filter((p) => p.status === 'proposed').sort((a, b) => b.count - a.count || b.lastAt - a.lastAt);
}

/**
 * Phrasings that real use confirmed for an entry (schema.ts: PhrasingProposal). All access to them goes through
 * this class, so that another store can implement the same methods.
 */
export class PhrasingProposals {
  constructor(private readonly store: Store) {}

  /** Counts one confirmation; a phrasing already accepted or dismissed for the entry is not proposed again. */
  record(entryId: string, text: string, source: PhrasingSource, at: number): void {
    const wording = text.replace(/\s+/g, ' ').trim();
    if (wording === '' || wording.length > PHRASING_MAX_LENGTH) return;
    const key = phrasingKey(wording);
    this.store.updateLazily((data) => {
      const found = data.phrasings.find((p) => p.entryId === entryId && p.key === key);
      if (found && found.status !== 'proposed') return;
      if (found) {
        found.text = wording;
        found.count += 1;
        found.sources[source] = (found.sources[source] ?? 0) + 1;
        found.lastAt = Math.max(found.lastAt, at);
        return;
      }
      data.phrasings.push({ entryId, key, text: wording, count: 1, sources: { [source]: 1 }, firstAt: at, lastAt: at, status: 'proposed', decidedAt: null });
    });
  }

  list(): PhrasingProposal[] {
    return pendingProposals(this.store.data);
  }

  find(entryId: string, key: string): PhrasingProposal | undefined {
    return this.store.data.phrasings.find((p) => p.entryId === entryId && p.key === key);
  }

  /** Marks the proposal added to the entry's alternates (kept by retention: it is in the knowledge base now). */
  async accept(entryId: string, key: string, at: number): Promise<boolean> {
    return this.decide(entryId, key, at, (p) => (p.status = 'accepted'));
  }

  /** Never proposed again: the wording goes, the key stays. */
  async dismiss(entryId: string, key: string, at: number): Promise<boolean> {
    return this.decide(entryId, key, at, (p) => {
      p.status = 'dismissed';
      p.text = '';
    });
  }

  /** Retention: proposals last confirmed before `cutoff` go, unless accepted; dismissed ones keep only their key. */
  async purgeOlderThan(cutoff: number): Promise<number> {
    return this.store.update((data) => {
      const before = data.phrasings.length;
      data.phrasings = data.phrasings.filter((p) => p.status !== 'proposed' || p.lastAt >= cutoff);
      return before - data.phrasings.length;
    });
  }

  private async decide(entryId: string, key: string, at: number, change: (p: PhrasingProposal) => void): Promise<boolean> {
    return this.store.update(() => {
      const p = this.find(entryId, key);
      if (!p || p.status !== 'proposed') return false;
      change(p);
      p.decidedAt = at;
      return true;
    });
  }
}
