import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyRetention, collectUserData, eraseUser } from '../../../src/privacy/personal-data.js';
import type { Schema } from '../../../src/store/schema.js';
import type { DataStore } from '../../../src/store/types.js';
import { failureOf, feedbackOf, reply, ticketFor } from './fixtures.js';
import { perTest, type Reopenable } from './harness.js';

const CUTOFF = 10_000;
const NOW = 20_000;

/** People with records on both sides of the cutoff, through the interface only. */
async function seed(store: DataStore): Promise<void> {
  await store.updateConversation('messenger', 'p1', (r) => {
    r.lastUserMessageAt = 12_000;
    r.transcript.push({ at: 5_000, from: 'user', text: 'hàng mẫu' }, { at: 9_000, from: 'bot', text: 'Dạ…' }, { at: 12_000, from: 'user', text: 'cảm ơn' });
  });
  await store.updateConversation('messenger', 'p2', (r) => {
    r.lastUserMessageAt = 4_000;
    r.transcript.push({ at: 4_000, from: 'user', text: 'xin chào' });
  });
  await store.updateConversation('zalo', 'p1', (r) => {
    r.lastUserMessageAt = 15_000;
    r.transcript.push({ at: 15_000, from: 'user', text: 'giờ làm việc' });
  });
  await store.createTicket((id) => ticketFor(id, { userId: 'p1', status: 'closed', closedAt: 3_000, updatedAt: 3_000, replies: [reply()], notes: [{ at: 2_500, by: 'officer-1', text: 'đã gọi điện' }] }));
  await store.createTicket((id) => ticketFor(id, { userId: 'p1', updatedAt: 11_000 }));
  await store.createTicket((id) => ticketFor(id, { userId: 'p2', status: 'closed', updatedAt: 2_000, rating: { stars: 4, at: 2_000, officer: 'officer-1', comment: 'nhanh' } }));
  await store.createTicket((id) => ticketFor(id, { channel: 'zalo', userId: 'p1', updatedAt: 16_000 }));
  for (const f of [feedbackOf('messenger', 'p1', 3_000), feedbackOf('messenger', 'p1', 13_000, false), feedbackOf('messenger', 'p2', 1_000), feedbackOf('zalo', 'p1', 2_000)]) await store.addFeedback(f);
  for (const f of [failureOf('messenger', 'p1', 2_000), failureOf('messenger', 'p2', 11_000), failureOf('zalo', 'p1', 500)]) await store.addDeliveryFailure(f);
}

const personal = (s: Schema) => ({ conversations: s.conversations, tickets: s.tickets, feedback: s.feedback, deliveryFailures: s.deliveryFailures });

export function privacyContract(open: () => Promise<Reopenable<DataStore>>): void {
  describe('personal data', () => {
    const h = perTest(open, { beforeEach, afterEach });

    it("gathers everything about one person, as privacy/personal-data.ts's collectUserData does", async () => {
      const { store } = h();
      await seed(store);
      const mine = await store.userData('messenger', 'p1');
      const expected = collectUserData(await store.snapshot(), 'messenger', 'p1');
      expect(mine).toEqual({ conversation: expected.conversation, tickets: expected.tickets, feedback: expected.feedback, deliveryFailures: expected.deliveryFailures });
      expect([mine.tickets.length, mine.feedback.length, mine.deliveryFailures.length]).toEqual([2, 2, 1]);
      expect(await store.userData('web', 'nobody')).toEqual({ conversation: null, tickets: [], feedback: [], deliveryFailures: [] });
    });

    it('erases one person exactly as the pure eraseUser does: same counts, same records after', async () => {
      const { store, reopen } = h();
      await seed(store);
      const expected = structuredClone(await store.snapshot());
      const expectedCounts = eraseUser(expected, 'messenger', 'p1', NOW);
      expect(expectedCounts).toEqual({ conversations: 1, transcriptItems: 0, tickets: 2, feedback: 2, deliveryFailures: 1 });
      expect(await store.eraseUser('messenger', 'p1', NOW)).toEqual(expectedCounts);
      const again = await reopen();
      expect(personal(await again.snapshot())).toEqual(personal(expected));
      expect(await again.userData('messenger', 'p1')).toEqual({ conversation: null, tickets: [], feedback: [], deliveryFailures: [] });
      expect(await again.openTicketFor('messenger', 'p1')).toBeNull();
    });

    it('applies retention exactly as the pure applyRetention does, and a second run finds nothing left', async () => {
      const { store, reopen } = h();
      await seed(store);
      const expected = structuredClone(await store.snapshot());
      const expectedCounts = applyRetention(expected, CUTOFF, NOW);
      expect(expectedCounts).toEqual({ conversations: 1, transcriptItems: 2, tickets: 2, feedback: 3, deliveryFailures: 2 });
      expect(await store.applyRetention(CUTOFF, NOW)).toEqual(expectedCounts);
      const again = await reopen();
      expect(personal(await again.snapshot())).toEqual(personal(expected));
      expect(await again.applyRetention(CUTOFF, NOW + 1)).toEqual({ conversations: 0, transcriptItems: 0, tickets: 0, feedback: 0, deliveryFailures: 0 });
      // Erased tickets still count for reports: found by status and creation time.
      expect((await again.tickets({ statuses: ['closed'] })).map((t) => t.id)).toEqual([1, 3]);
    });
  });
}
