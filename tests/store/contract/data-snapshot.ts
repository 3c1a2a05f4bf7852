import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../../src/store/schema.js';
import type { DataStore } from '../../../src/store/types.js';
import { failureOf, feedbackOf, session, staff, ticketFor } from './fixtures.js';
import { perTest, type Reopenable } from './harness.js';

export function snapshotContract(open: () => Promise<Reopenable<DataStore>>): void {
  describe('secrets and snapshot', () => {
    const h = perTest(open, { beforeEach, afterEach });

    it('creates the per-installation secrets on first open and keeps them', async () => {
      const { store, reopen } = h();
      expect(store.meta.salt).toMatch(/^\S{16,}$/);
      expect(store.meta.secret).toMatch(/^\S{16,}$/);
      expect(store.meta.salt).not.toBe(store.meta.secret);
      expect((await reopen()).meta).toEqual(store.meta);
    });

    it("returns everything in the embedded file's shape", async () => {
      const { store } = h();
      await store.updateConversation('zalo', 'z1', (r) => void (r.displayName = 'An'));
      await store.createTicket((id) => ticketFor(id), () => ({ at: 1_000, actor: 'bot', action: 'ticket.create', detail: '' }));
      await store.createTicket((id) => ticketFor(id, { userId: 'p2' }));
      await store.addUser(staff('id-1', 'an'));
      await store.addSession(session('s1'), 0);
      await store.addFeedback(feedbackOf('zalo', 'z1', 10));
      await store.addDeliveryFailure(failureOf('zalo', 'z1', 20));
      await store.proposePhrasing('hoan-thue', 'hoan thue the nao', 'choice', 30);
      const snapshot = await store.snapshot();
      expect(snapshot).toEqual({
        version: SCHEMA_VERSION,
        conversations: { 'zalo:z1': { channel: 'zalo', userId: 'z1', displayName: 'An', state: { awaiting: null, at: 0 }, lastUserMessageAt: 0, transcript: [], pausedUntil: 0 } },
        deliveryFailures: [failureOf('zalo', 'z1', 20)],
        users: [staff('id-1', 'an')],
        sessions: [session('s1')],
        tickets: [ticketFor(1), ticketFor(2, { userId: 'p2' })],
        audit: [{ at: 1_000, actor: 'bot', action: 'ticket.create', detail: '', ticketId: 1 }],
        feedback: [feedbackOf('zalo', 'z1', 10)],
        proposals: [{ entryId: 'hoan-thue', question: 'hoan thue the nao', count: 1, sources: { choice: 1, officer: 0, helpful: 0 }, firstAt: 30, lastAt: 30, status: 'open' }],
        counters: { ticket: 2 },
        meta: store.meta,
      });
      snapshot.tickets[0]!.status = 'closed';
      expect((await store.ticket(1))?.status).toBe('open');
    });

    it('starts empty', async () => {
      const snapshot = await h().store.snapshot();
      expect({ ...snapshot, meta: null }).toEqual({ version: SCHEMA_VERSION, conversations: {}, deliveryFailures: [], users: [], sessions: [], tickets: [], audit: [], feedback: [], proposals: [], counters: { ticket: 0 }, meta: null });
    });
  });
}
