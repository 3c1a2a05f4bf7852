import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataStore } from '../../../src/store/types.js';
import { reply, ticketFor } from './fixtures.js';
import { perTest, type Reopenable } from './harness.js';

const created = (actor = 'bot') => ({ at: 1_000, actor, action: 'ticket.create', detail: 'messenger no-answer' });

export function ticketsContract(open: () => Promise<Reopenable<DataStore>>): void {
  describe('tickets', () => {
    const h = perTest(open, { beforeEach, afterEach });

    it('numbers tickets from 1, gives the number to build, and audits the creation under it', async () => {
      const { store } = h();
      const seen: number[] = [];
      for (let i = 0; i < 3; i++) await store.createTicket((id) => (seen.push(id), ticketFor(id, { userId: `u${i}` })), (t) => created(`bot-${t.id}`));
      expect(seen).toEqual([1, 2, 3]);
      expect((await store.ticket(2))?.userId).toBe('u1');
      expect(await store.auditEntries({ ticketId: 2 })).toEqual([{ ...created('bot-2'), ticketId: 2 }]);
    });

    it('gives concurrent creations distinct numbers and keeps every ticket', async () => {
      const { store } = h();
      const tickets = await Promise.all(Array.from({ length: 20 }, (_, i) => store.createTicket((id) => ticketFor(id, { userId: `u${i}` }))));
      expect(tickets.map((t) => t.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect((await store.tickets()).map((t) => t.id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('reads null for a missing ticket, and updating one changes and audits nothing', async () => {
      const { store } = h();
      expect(await store.ticket(42)).toBeNull();
      let called = false;
      expect(await store.updateTicket(42, () => void (called = true), { audit: { at: 1, actor: 'officer-1', action: 'ticket.claim', detail: '' } })).toBeNull();
      expect(called).toBe(false);
      expect(await store.auditEntries()).toEqual([]);
    });

    it('applies a change to the stored ticket with its audit entry, and keeps it across a reopen', async () => {
      const { store, reopen } = h();
      await store.createTicket((id) => ticketFor(id));
      const updated = await store.updateTicket(
        1,
        (t) => {
          t.status = 'claimed';
          t.assignee = 'officer-1';
          t.updatedAt = 3_000;
        },
        { audit: { at: 3_000, actor: 'officer-1', action: 'ticket.claim', detail: '' } },
      );
      expect(updated).toEqual(ticketFor(1, { status: 'claimed', assignee: 'officer-1', updatedAt: 3_000 }));
      const again = await reopen();
      expect(await again.ticket(1)).toEqual(updated);
      expect(await again.auditEntries({ ticketId: 1 })).toEqual([{ at: 3_000, actor: 'officer-1', action: 'ticket.claim', detail: '', ticketId: 1 }]);
    });

    it('loses none of many concurrent changes to one ticket', async () => {
      const { store } = h();
      await store.createTicket((id) => ticketFor(id));
      await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          store.updateTicket(1, (t) => void t.notes.push({ at: i, by: `officer-${i}`, text: `ghi chú ${i}` }), { audit: { at: i, actor: `officer-${i}`, action: 'ticket.note', detail: '' } }),
        ),
      );
      expect((await store.ticket(1))?.notes.map((n) => n.at).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
      expect(await store.auditEntries({ ticketId: 1 })).toHaveLength(25);
    });

    it('hands out copies: created, read, updated and listed tickets can be changed freely', async () => {
      const { store } = h();
      const made = await store.createTicket((id) => ticketFor(id));
      made.notes.push({ at: 1, by: 'x', text: 'not stored' });
      const read = (await store.ticket(1))!;
      read.status = 'closed';
      const updated = (await store.updateTicket(1, (t) => void (t.unread = false)))!;
      updated.transcript.length = 0;
      const [listed] = await store.tickets();
      listed!.assignee = 'nobody';
      expect(await store.ticket(1)).toEqual(ticketFor(1, { unread: false }));
    });

    it("finds a user's ticket that is not closed, and their latest whatever its status", async () => {
      const { store } = h();
      await store.createTicket((id) => ticketFor(id, { status: 'closed', closedAt: 2_000 }));
      await store.createTicket((id) => ticketFor(id, { userId: 'psid-2' }));
      expect(await store.openTicketFor('messenger', 'psid-1')).toBeNull();
      expect((await store.latestTicketFor('messenger', 'psid-1'))?.id).toBe(1);
      await store.createTicket((id) => ticketFor(id, { status: 'answered' }));
      expect((await store.openTicketFor('messenger', 'psid-1'))?.id).toBe(3);
      expect((await store.latestTicketFor('messenger', 'psid-1'))?.id).toBe(3);
      expect(await store.openTicketFor('zalo', 'psid-1')).toBeNull();
      expect(await store.latestTicketFor('zalo', 'psid-1')).toBeNull();
    });

    it('lists tickets by status, creation time [from, to), queued replies and last change, in number order', async () => {
      const { store } = h();
      await store.createTicket((id) => ticketFor(id, { createdAt: 1_000, updatedAt: 1_000 }));
      await store.createTicket((id) => ticketFor(id, { createdAt: 2_000, updatedAt: 8_000, status: 'closed', replies: [reply()] }));
      await store.createTicket((id) => ticketFor(id, { createdAt: 3_000, updatedAt: 3_000, status: 'claimed', replies: [reply(), reply({ id: 'r2', status: 'queued', sentAt: null })] }));
      await store.createTicket((id) => ticketFor(id, { createdAt: 4_000, updatedAt: 9_000, status: 'answered' }));
      const ids = async (q: Parameters<DataStore['tickets']>[0]) => (await store.tickets(q)).map((t) => t.id);
      expect(await ids(undefined)).toEqual([1, 2, 3, 4]);
      expect(await ids({ statuses: ['open', 'claimed'] })).toEqual([1, 3]);
      expect(await ids({ statuses: [] })).toEqual([]);
      expect(await ids({ created: { from: 2_000, to: 4_000 } })).toEqual([2, 3]);
      expect(await ids({ queuedReplies: true })).toEqual([3]);
      expect(await ids({ untouchedSince: 8_000 })).toEqual([1, 3]);
      expect(await ids({ statuses: ['closed', 'answered'], untouchedSince: 9_000 })).toEqual([2]);
      // A reply leaving the queue takes the ticket out of the queued ones.
      await store.updateTicket(3, (t) => void (t.replies[1]!.status = 'sent'));
      expect(await ids({ queuedReplies: true })).toEqual([]);
    });
  });
}
