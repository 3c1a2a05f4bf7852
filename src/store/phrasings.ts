import { createHash } from 'node:crypto';
import { fold, lowerNfc } from '../matching/fold.js';
import type { DataStore, PhrasingProposal, ProposalSource } from './types.js';

/** Longer messages are situations to read, not phrasings to add to an entry. */
export const PHRASING_MAX_LENGTH = 300;

/** One way of saying a question, whatever its accents, case and punctuation. */
export function phrasingKey(text: string): string {
  const folded = fold(lowerNfc(text)).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return createHash('sha256').update(folded).digest('hex').slice(0, 24);
}

/** A proposal as the admin pages show it: `key` names it in forms without repeating the user's text. */
export interface KeyedProposal extends PhrasingProposal {
  readonly key: string;
}

const keyed = (p: PhrasingProposal): KeyedProposal => ({ ...p, key: phrasingKey(p.question) });

/** The proposals waiting for an admin, most confirmed first. */
export function pendingProposals(all: readonly PhrasingProposal[]): KeyedProposal[] {
  return all.filter((p) => p.status === 'open').sort((a, b) => b.count - a.count || b.lastAt - a.lastAt).map(keyed);
}

/**
 * Phrasings that real use confirmed for an entry (types.ts: PhrasingProposal): a suggested entry picked for a typed
 * question, an officer answering a ticket with an entry, a 👍 on an answer. The store keeps one record per wording;
 * this class folds accents, case and punctuation so that one question typed several ways is one proposal.
 */
export class PhrasingProposals {
  constructor(private readonly store: DataStore) {}

  /** Counts one confirmation; a phrasing already accepted or dismissed for the entry is not proposed again. */
  async record(entryId: string, text: string, source: ProposalSource, at: number): Promise<void> {
    const wording = text.replace(/\s+/g, ' ').trim();
    if (wording === '' || wording.length > PHRASING_MAX_LENGTH) return;
    const key = phrasingKey(wording);
    // Confirmations are rare (a tap, an officer's answer, a 👍): reading the proposals each time is cheap.
    const same = (await this.store.proposals()).find((p) => p.entryId === entryId && phrasingKey(p.question) === key);
    await this.store.proposePhrasing(entryId, same?.question ?? wording, source, at);
  }

  async list(): Promise<KeyedProposal[]> {
    return pendingProposals(await this.store.proposals('open'));
  }

  async find(entryId: string, key: string): Promise<KeyedProposal | undefined> {
    return (await this.list()).find((p) => p.entryId === entryId && p.key === key);
  }

  /** Marks the proposal added to the entry's alternates (kept by retention: it is in the knowledge base now). */
  accept(p: PhrasingProposal, at: number): Promise<void> {
    return this.store.setProposalStatus(p.entryId, p.question, 'accepted', at);
  }

  /** Never proposed again for this entry. */
  dismiss(p: PhrasingProposal, at: number): Promise<void> {
    return this.store.setProposalStatus(p.entryId, p.question, 'dismissed', at);
  }

  /** Retention: open proposals last confirmed before `cutoff` go; accepted and dismissed ones stay. */
  purgeOlderThan(cutoff: number): Promise<number> {
    return this.store.dropOpenProposalsBefore(cutoff);
  }
}
