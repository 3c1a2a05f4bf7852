import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundQueue } from '../../../src/store/types.js';
import { manualClock, perTest, type Reopenable, type TestClock } from './harness.js';

export interface TestEvent {
  readonly text: string;
}
export interface TestSend {
  readonly reply: string;
}
export type TestQueue = InboundQueue<TestEvent, TestSend>;

const HOUR = 3600_000;
const LEASE = 30_000;
const ev = (id: string, key: string) => ({ id, key, event: { text: `tin ${id}` } });
const ids = (list: ReadonlyArray<{ id: string }> | undefined) => (list ?? []).map((e) => e.id);

/**
 * The inbound queue's promises for any implementation: `open(clock)` gives an empty queue whose times (acceptance,
 * leases, the deduplication window) come from `clock`; `reopen` is a restart on the same data.
 */
export function queueContract(name: string, open: (clock: TestClock) => Promise<Reopenable<TestQueue>>): void {
  describe(`InboundQueue contract: ${name}`, () => {
    const clock = manualClock();
    const h = perTest(() => (clock.set(Date.parse('2026-06-01T03:00:00Z')), open(clock)), { beforeEach, afterEach });

    it('accepts each id once: a redelivery, in the same batch or later, is dropped', async () => {
      const { store } = h();
      const first = await store.accept([ev('a', 'u1'), ev('b', 'u2'), ev('a', 'u1')]);
      expect(first).toEqual([
        { id: 'a', key: 'u1', at: clock.now(), event: { text: 'tin a' }, sends: null, sent: 0 },
        { id: 'b', key: 'u2', at: clock.now(), event: { text: 'tin b' }, sends: null, sent: 0 },
      ]);
      clock.advance(1_000);
      expect(ids(await store.accept([ev('a', 'u1'), ev('c', 'u1')]))).toEqual(['c']);
      expect(ids(await store.accept([]))).toEqual([]);
      expect(ids(await store.unfinished())).toEqual(['a', 'b', 'c']);
    });

    it('keeps unfinished events with their progress, and the ids it saw, across a reopen', async () => {
      const { store, reopen } = h();
      await store.accept([ev('a', 'u1'), ev('b', 'u1'), ev('c', 'u2')]);
      await store.plan('a', [{ reply: 'một' }, { reply: 'hai' }, { reply: 'ba' }]);
      await store.sent('a', 1);
      await store.sent('a', 0); // a late record of an earlier send never moves progress back
      await store.done('b');
      const again = await reopen();
      const unfinished = await again.unfinished();
      expect(unfinished.map((e) => [e.id, e.sends?.length ?? null, e.sent])).toEqual([
        ['a', 3, 2],
        ['c', null, 0],
      ]);
      expect(unfinished[0]!.sends).toEqual([{ reply: 'một' }, { reply: 'hai' }, { reply: 'ba' }]);
      expect(ids(await again.accept([ev('a', 'u1'), ev('b', 'u1'), ev('c', 'u2')]))).toEqual([]);
    });

    it("claims one user at a time with that user's events oldest first; nobody else gets a user under lease", async () => {
      const { store } = h();
      await store.accept([ev('e1', 'u1')]);
      clock.advance(10);
      await store.accept([ev('e2', 'u2')]);
      clock.advance(10);
      await store.accept([ev('e3', 'u1')]);
      const first = await store.claim('A', LEASE);
      expect(first?.key).toBe('u1');
      expect(ids(first?.events)).toEqual(['e1', 'e3']);
      const second = await store.claim('B', LEASE);
      expect(second?.key).toBe('u2');
      expect(ids(second?.events)).toEqual(['e2']);
      expect(await store.claim('C', LEASE)).toBeNull();
    });

    it('tries the preferred user first, and another one when that user is taken', async () => {
      const { store } = h();
      await store.accept([ev('e1', 'u1'), ev('e2', 'u2'), ev('e3', 'u3')]);
      expect((await store.claim('A', LEASE, 'u2'))?.key).toBe('u2');
      expect((await store.claim('B', LEASE, 'u2'))?.key).toBe('u1');
      expect((await store.claim('C', LEASE, 'nobody'))?.key).toBe('u3');
    });

    it('gives the holder what arrived for its user meanwhile, and nothing twice', async () => {
      const { store } = h();
      await store.accept([ev('e1', 'u1')]);
      const lease = (await store.claim('A', LEASE))!;
      clock.advance(5);
      await store.accept([ev('e2', 'u1'), ev('e3', 'u2')]);
      expect(ids(await lease.more())).toEqual(['e2']);
      expect(ids(await lease.more())).toEqual([]);
      expect(ids(lease.events)).toContain('e2');
      // The other user's event is not this lease's, and is not held back by it.
      expect((await store.claim('B', LEASE))?.key).toBe('u2');
    });

    it("claims several users at once, oldest waiting first, each with that user's events in order and nobody twice", async () => {
      const { store } = h();
      for (const [id, key] of [['e1', 'u1'], ['e2', 'u2'], ['e3', 'u1'], ['e4', 'u3'], ['e5', 'u2'], ['e6', 'u4']] as const) {
        await store.accept([ev(id, key)]);
        clock.advance(10);
      }
      const first = await store.claimSome('A', LEASE, 3);
      expect(first.map((l) => [l.key, ids(l.events)])).toEqual([
        ['u1', ['e1', 'e3']],
        ['u2', ['e2', 'e5']],
        ['u3', ['e4']],
      ]);
      const second = await store.claimSome('B', LEASE, 3);
      expect(second.map((l) => [l.key, ids(l.events)])).toEqual([['u4', ['e6']]]);
      expect(await store.claimSome('C', LEASE, 3)).toEqual([]);
      expect(await store.claim('C', LEASE)).toBeNull();
    });

    it('finishes a lease: what arrived meanwhile keeps it, in order; with nothing new the user is let go', async () => {
      const { store } = h();
      await store.accept([ev('e1', 'u1')]);
      const lease = (await store.claim('A', LEASE))!;
      await store.done('e1');
      clock.advance(5);
      await store.accept([ev('e2', 'u1')]);
      clock.advance(5);
      await store.accept([ev('e3', 'u1')]);
      expect(ids(await lease.finish())).toEqual(['e2', 'e3']);
      expect(await store.claim('B', LEASE)).toBeNull(); // still A's
      await store.done('e2');
      await store.done('e3');
      expect(ids(await lease.finish())).toEqual([]);
      await store.accept([ev('e4', 'u1')]);
      const next = await store.claim('B', LEASE);
      expect(next?.key).toBe('u1');
      expect(ids(next?.events)).toEqual(['e4']);
    });

    it('finishes a lease with its last event marked done in the same step', async () => {
      const { store } = h();
      await store.accept([ev('e1', 'u1')]);
      const lease = (await store.claim('A', LEASE))!;
      clock.advance(5);
      await store.accept([ev('e2', 'u1')]);
      expect(ids(await lease.finish('e1'))).toEqual(['e2']);
      expect(ids(await store.unfinished())).toEqual(['e2']);
      expect(await store.claim('B', LEASE)).toBeNull(); // still A's
      expect(ids(await lease.finish('e2'))).toEqual([]);
      expect(await store.unfinished()).toEqual([]);
      expect(await store.claim('B', LEASE)).toBeNull();
      await store.accept([ev('e3', 'u1')]);
      expect(ids((await store.claim('B', LEASE))?.events)).toEqual(['e3']);
    });

    it('finishes a lease taken over by another claim with nothing: the events are the new holder’s', async () => {
      const { store } = h();
      await store.accept([ev('e1', 'u1')]);
      const a = (await store.claim('A', LEASE))!;
      clock.advance(LEASE + 1);
      const b = (await store.claim('B', LEASE))!;
      await store.accept([ev('e2', 'u1')]);
      expect(ids(await a.finish())).toEqual([]);
      expect(await store.claim('C', LEASE)).toBeNull(); // B's lease survives A's finish
      expect(ids(await b.finish())).toEqual(['e2']);
    });

    it('frees a released user for the next claim, which gets the events not done', async () => {
      const { store } = h();
      await store.accept([ev('e1', 'u1'), ev('e2', 'u1')]);
      const lease = (await store.claim('A', LEASE))!;
      await store.done('e1');
      await lease.release();
      const next = await store.claim('B', LEASE);
      expect(next?.key).toBe('u1');
      expect(ids(next?.events)).toEqual(['e2']);
      await store.done('e2');
      await next!.release();
      expect(await store.claim('C', LEASE)).toBeNull();
      expect(await store.unfinished()).toEqual([]);
    });

    it("hands an expired lease over with the recorded progress; the old holder's renewal then fails", async () => {
      const { store } = h();
      await store.accept([ev('e1', 'u1')]);
      const a = (await store.claim('A', LEASE))!;
      await store.plan('e1', [{ reply: 'một' }, { reply: 'hai' }]);
      await store.sent('e1', 0);
      clock.advance(LEASE - 1);
      expect(await store.claim('B', LEASE)).toBeNull();
      expect(await a.renew()).toBe(true); // extended from now: still A's for another LEASE
      clock.advance(LEASE - 1);
      expect(await store.claim('B', LEASE)).toBeNull();
      clock.advance(2);
      const b = await store.claim('B', LEASE);
      expect(b?.key).toBe('u1');
      expect(b?.events.map((e) => [e.id, e.sends, e.sent])).toEqual([['e1', [{ reply: 'một' }, { reply: 'hai' }], 1]]);
      expect(await a.renew()).toBe(false);
      expect(await b!.renew()).toBe(true);
      // A's late release must not free B's lease.
      await a.release();
      expect(await store.claim('C', LEASE)).toBeNull();
    });

    it("holds events until their channel is released, and counts them", async () => {
      const { store } = h();
      await store.accept([ev('z1', 'zalo:u1'), ev('z2', 'zalo:u2'), ev('m1', 'messenger:u3')]);
      await store.hold('z1', 'zalo');
      await store.hold('z2', 'zalo');
      expect(await store.held('zalo')).toBe(2);
      expect(await store.held('messenger')).toBe(0);
      const m = await store.claim('A', LEASE);
      expect(m?.key).toBe('messenger:u3');
      expect(await store.claim('B', LEASE)).toBeNull();
      expect(ids(await store.unfinished())).toEqual(['z1', 'z2', 'm1']);
      expect(await store.release('zalo')).toBe(2);
      expect(await store.held('zalo')).toBe(0);
      expect((await store.claim('B', LEASE))?.key).toBe('zalo:u1');
    });

    it('compaction keeps unfinished events and remembers finished ids for at least 48 hours', async () => {
      const { store, reopen } = h();
      await store.accept([ev('old-done', 'u1'), ev('old-pending', 'u2')]);
      await store.done('old-done');
      clock.advance(47 * HOUR);
      await store.compact();
      const again = await reopen();
      expect(ids(await again.accept([ev('old-done', 'u1'), ev('old-pending', 'u2')]))).toEqual([]);
      expect(ids(await again.unfinished())).toEqual(['old-pending']);
      clock.advance(30 * 24 * HOUR);
      await again.compact();
      expect(ids(await again.unfinished())).toEqual(['old-pending']);
      expect(ids(await again.accept([ev('old-pending', 'u2')]))).toEqual([]);
    });
  });
}
