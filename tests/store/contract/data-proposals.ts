import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataStore, PhrasingProposal } from '../../../src/store/types.js';
import { perTest, type Reopenable } from './harness.js';

/** Order is not part of the contract: compare sorted. */
const sorted = (list: PhrasingProposal[]) => [...list].sort((a, b) => `${a.entryId}|${a.question}`.localeCompare(`${b.entryId}|${b.question}`));

export function proposalsContract(open: () => Promise<Reopenable<DataStore>>): void {
  describe('phrasing proposals', () => {
    const h = perTest(open, { beforeEach, afterEach });

    it('counts confirmations per entry and phrasing, by source, with the first and last time', async () => {
      const { store, reopen } = h();
      await store.proposePhrasing('nhap-khau', 'thu tuc nhap khau', 'choice', 1_000);
      await store.proposePhrasing('nhap-khau', 'thu tuc nhap khau', 'helpful', 3_000);
      await store.proposePhrasing('nhap-khau', 'thu tuc nhap khau', 'choice', 2_000);
      await store.proposePhrasing('nhap-khau', 'hq lam viec t7 ko', 'officer', 1_500);
      await store.proposePhrasing('gio-lam-viec', 'thu tuc nhap khau', 'officer', 1_200);
      const again = await reopen();
      expect(sorted(await again.proposals())).toEqual([
        { entryId: 'gio-lam-viec', question: 'thu tuc nhap khau', count: 1, sources: { choice: 0, officer: 1, helpful: 0 }, firstAt: 1_200, lastAt: 1_200, status: 'open' },
        { entryId: 'nhap-khau', question: 'hq lam viec t7 ko', count: 1, sources: { choice: 0, officer: 1, helpful: 0 }, firstAt: 1_500, lastAt: 1_500, status: 'open' },
        { entryId: 'nhap-khau', question: 'thu tuc nhap khau', count: 3, sources: { choice: 2, officer: 0, helpful: 1 }, firstAt: 1_000, lastAt: 3_000, status: 'open' },
      ]);
    });

    it('counts every one of many concurrent confirmations', async () => {
      const { store } = h();
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.proposePhrasing('nhap-khau', 'nhap khau', i % 2 ? 'choice' : 'helpful', 1_000 + i)));
      const [p] = await store.proposals();
      expect(p).toMatchObject({ count: 20, sources: { choice: 10, officer: 0, helpful: 10 }, firstAt: 1_000, lastAt: 1_019 });
    });

    it('leaves an accepted or dismissed phrasing as it is, and filters by status', async () => {
      const { store } = h();
      await store.proposePhrasing('a', 'cau 1', 'choice', 1_000);
      await store.proposePhrasing('a', 'cau 2', 'choice', 1_000);
      await store.proposePhrasing('a', 'cau 3', 'choice', 1_000);
      await store.setProposalStatus('a', 'cau 1', 'accepted', 2_000);
      await store.setProposalStatus('a', 'cau 2', 'dismissed', 2_000);
      await store.proposePhrasing('a', 'cau 1', 'helpful', 3_000);
      await store.proposePhrasing('a', 'cau 2', 'helpful', 3_000);
      const all = sorted(await store.proposals());
      expect(all.map((p) => [p.question, p.status, p.count, p.lastAt])).toEqual([
        ['cau 1', 'accepted', 1, 1_000],
        ['cau 2', 'dismissed', 1, 1_000],
        ['cau 3', 'open', 1, 1_000],
      ]);
      expect((await store.proposals('open')).map((p) => p.question)).toEqual(['cau 3']);
      expect((await store.proposals('dismissed')).map((p) => p.question)).toEqual(['cau 2']);
    });

    it('retention removes open proposals last confirmed before the cutoff, never decided ones', async () => {
      const { store } = h();
      await store.proposePhrasing('a', 'cu', 'choice', 1_000);
      await store.proposePhrasing('a', 'cu nhung moi xac nhan', 'choice', 1_000);
      await store.proposePhrasing('a', 'cu nhung moi xac nhan', 'choice', 9_000);
      await store.proposePhrasing('a', 'da nhan', 'choice', 1_000);
      await store.proposePhrasing('a', 'da bo', 'choice', 1_000);
      await store.setProposalStatus('a', 'da nhan', 'accepted', 1_500);
      await store.setProposalStatus('a', 'da bo', 'dismissed', 1_500);
      expect(await store.dropOpenProposalsBefore(5_000)).toBe(1);
      expect(sorted(await store.proposals()).map((p) => p.question)).toEqual(['cu nhung moi xac nhan', 'da bo', 'da nhan']);
      expect(await store.dropOpenProposalsBefore(5_000)).toBe(0);
    });
  });
}
