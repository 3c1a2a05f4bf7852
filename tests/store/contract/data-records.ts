import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DELIVERY_FAILURE_LIMIT, type AuditEntry } from '../../../src/store/schema.js';
import type { DataStore } from '../../../src/store/types.js';
import { failureOf, feedbackOf } from './fixtures.js';
import { perTest, type Reopenable } from './harness.js';

const entry = (at: number, ticketId: number | null): AuditEntry => ({ at, actor: 'officer-1', action: 'ticket.note', ticketId, detail: `#${at}` });

export function recordsContract(open: () => Promise<Reopenable<DataStore>>): void {
  describe('audit, feedback and delivery failures', () => {
    const h = perTest(open, { beforeEach, afterEach });

    it('lists audit entries oldest first, by ticket, and the most recent `limit` of them', async () => {
      const { store, reopen } = h();
      for (const [at, ticket] of [[1, 7], [2, null], [3, 7], [4, 8], [5, 7]] as const) await store.audit(entry(at, ticket));
      const again = await reopen();
      expect((await again.auditEntries()).map((e) => e.at)).toEqual([1, 2, 3, 4, 5]);
      expect((await again.auditEntries({ ticketId: 7 })).map((e) => e.at)).toEqual([1, 3, 5]);
      expect((await again.auditEntries({ limit: 2 })).map((e) => e.at)).toEqual([4, 5]);
      expect((await again.auditEntries({ ticketId: 7, limit: 2 })).map((e) => e.at)).toEqual([3, 5]);
      expect(await again.auditEntries({ ticketId: 9 })).toEqual([]);
      expect((await again.auditEntries())[1]).toEqual(entry(2, null));
    });

    it('keeps feedback in the order given and reads a time range [from, to)', async () => {
      const { store, reopen } = h();
      await store.addFeedback(feedbackOf('messenger', 'p1', 100));
      await store.addFeedback(feedbackOf('zalo', 'z1', 200, false));
      await store.addFeedback(feedbackOf('web', 'w1', 300));
      const again = await reopen();
      expect(await again.feedback()).toEqual([feedbackOf('messenger', 'p1', 100), feedbackOf('zalo', 'z1', 200, false), feedbackOf('web', 'w1', 300)]);
      expect((await again.feedback({ from: 200, to: 300 })).map((f) => f.at)).toEqual([200]);
      expect((await again.feedback({ from: 100, to: 301 })).map((f) => f.at)).toEqual([100, 200, 300]);
    });

    it(`keeps the last ${DELIVERY_FAILURE_LIMIT} delivery failures in order, dropping the oldest`, async () => {
      const { store, reopen } = h();
      const total = DELIVERY_FAILURE_LIMIT + 3;
      for (let at = 0; at < total; at++) await store.addDeliveryFailure(failureOf('messenger', `p${at % 7}`, at));
      const kept = await (await reopen()).deliveryFailures();
      expect(kept).toHaveLength(DELIVERY_FAILURE_LIMIT);
      expect(kept[0]).toEqual(failureOf('messenger', 'p3', 3));
      expect(kept.at(-1)?.at).toBe(total - 1);
    });
  });
}
