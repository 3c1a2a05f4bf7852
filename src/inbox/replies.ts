import { randomUUID } from 'node:crypto';
import { SendError, type ChannelAdapter } from '../channels/types.js';
import type { ChannelName } from '../conversation/types.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../dispatch/retry.js';
import { GateClosedError } from '../dispatch/gate.js';
import type { Logger } from '../log.js';
import type { Conversations } from '../store/conversations.js';
import type { Ticket, TicketReply } from '../store/schema.js';
import type { DataStore } from '../store/types.js';
import type { Tickets } from './tickets.js';

export interface OfficerRepliesOptions {
  readonly store: DataStore;
  readonly tickets: Tickets;
  readonly conversations: Conversations;
  readonly channels: ReadonlyMap<ChannelName, ChannelAdapter>;
  readonly logger: Logger;
  readonly retry?: RetryPolicy;
  readonly clock?: () => number;
  /** Reports each status change (the inbox page refreshes on it). */
  readonly onChange?: (ticket: Ticket) => void;
}

/**
 * Officers' replies: written durably as "queued" before anything is sent, then sent on the ticket's channel with
 * that channel's rules for human replies (Messenger's HUMAN_AGENT tag between 24 h and 7 days, Zalo within 7 days),
 * retried on temporary errors, and marked "sent" or "failed" with the platform's reason. Failed replies can be
 * retried; queued ones are resumed after a restart.
 */
export class OfficerReplies {
  private readonly inFlight = new Set<string>();

  constructor(private readonly o: OfficerRepliesOptions) {}

  private now(): number {
    return (this.o.clock ?? Date.now)();
  }

  async reply(ticket: Ticket, by: string, text: string, entryId: string | null = null): Promise<TicketReply> {
    const reply: TicketReply = {
      id: randomUUID(),
      at: this.now(),
      by,
      text,
      entryId,
      status: 'queued',
      attempts: 0,
      error: null,
      sentAt: null,
      messageIds: [],
      deliveredAt: null,
      seenAt: null,
    };
    await this.o.store.updateTicket(ticket.id, (t) => t.replies.push(reply), {
      audit: { at: reply.at, actor: by, action: 'ticket.reply', detail: `${entryId ? `[${entryId}] ` : ''}${text.slice(0, 200)}` },
    });
    void this.deliver(ticket, reply.id);
    return reply;
  }

  async retry(ticket: Ticket, replyId: string, by: string): Promise<void> {
    let retried = false;
    await this.o.store.updateTicket(
      ticket.id,
      (t) => {
        const reply = t.replies.find((r) => r.id === replyId);
        if (!reply || reply.status !== 'failed') return;
        reply.status = 'queued';
        reply.error = null;
        retried = true;
      },
      { audit: { at: this.now(), actor: by, action: 'ticket.retry', detail: replyId } },
    );
    if (retried) void this.deliver(ticket, replyId);
  }

  /** After a restart: send what was queued and never finished. */
  async resume(): Promise<number> {
    let n = 0;
    for (const ticket of await this.o.store.tickets({ queuedReplies: true })) {
      for (const reply of ticket.replies) {
        if (reply.status === 'queued') {
          n++;
          void this.deliver(ticket, reply.id);
        }
      }
    }
    return n;
  }

  /** Delivery receipts from the platform (Messenger delivery/read, Zalo received/seen). */
  async receipt(channel: ChannelName, userId: string, messageIds: readonly string[], status: 'delivered' | 'seen', at: number): Promise<void> {
    const ticket = (await this.o.tickets.openFor(channel, userId)) ?? (await this.o.store.latestTicketFor(channel, userId));
    if (!ticket) return;
    await this.o.store.updateTicket(ticket.id, (t) => {
      for (const reply of t.replies) {
        if (reply.status !== 'sent' || reply.sentAt === null) continue;
        // Messenger's read receipts carry only a watermark: everything sent before it is seen.
        const matches = messageIds.length > 0 ? reply.messageIds.some((id) => messageIds.includes(id)) : reply.sentAt <= at;
        if (!matches) continue;
        if (status === 'delivered') reply.deliveredAt ??= at;
        else {
          reply.deliveredAt ??= at;
          reply.seenAt ??= at;
        }
      }
    }, { lazy: true });
  }

  /**
   * Sends one queued reply. Progress (the platform ids of the parts sent) is stored after each part, so a retry or a
   * restart resumes after the parts already sent.
   */
  private async deliver(ticket: Ticket, replyId: string): Promise<void> {
    if (this.inFlight.has(replyId)) return;
    this.inFlight.add(replyId);
    const update = (change: (reply: TicketReply, t: Ticket) => void, lazy = false) =>
      this.o.store.updateTicket(ticket.id, (t) => {
        const reply = t.replies.find((r) => r.id === replyId);
        if (reply) change(reply, t);
      }, { lazy });
    try {
      const current = (await this.o.store.ticket(ticket.id))?.replies.find((r) => r.id === replyId);
      if (!current || current.status !== 'queued') return;
      const adapter = this.o.channels.get(ticket.channel);
      if (!adapter) throw new SendError('not-configured', `kênh ${ticket.channel} chưa được cấu hình`);
      const record = await this.o.conversations.record(ticket.channel, ticket.userId);
      const messages = adapter.render(ticket.userId, [{ kind: 'text', text: current.text }], {
        author: 'officer',
        lastUserMessageAt: record?.lastUserMessageAt ?? ticket.lastUserMessageAt,
        now: this.now(),
      });
      let attempts = 0;
      for (const message of messages.slice(current.messageIds.length)) {
        const sent = await withRetry(() => adapter.send(message), this.o.retry ?? DEFAULT_RETRY, undefined, () => {
          attempts += 1;
        });
        await update((reply) => reply.messageIds.push(sent.messageId));
      }
      const at = this.now();
      await update((reply) => {
        reply.status = 'sent';
        reply.sentAt = at;
        reply.attempts += attempts + 1;
      });
      await this.o.tickets.officerReplied(ticket, at, current.text);
      await this.o.conversations.said(ticket.channel, ticket.userId, 'officer', current.text, at);
    } catch (raw) {
      // Shutting down: the reply stays queued and goes out after the restart (resume()).
      if (raw instanceof GateClosedError) return;
      const err = raw instanceof SendError ? raw : new SendError('transient', (raw as Error)?.message ?? String(raw));
      this.o.logger.warn({ ticket: ticket.id, channel: ticket.channel, kind: err.kind, code: err.code }, 'officer reply not delivered');
      await update((reply) => {
        reply.status = 'failed';
        reply.attempts += 1;
        reply.error = err.platformMessage + (err.code !== undefined ? ` (mã ${err.code}${err.subcode !== undefined ? `/${err.subcode}` : ''})` : '');
      });
    } finally {
      this.inFlight.delete(replyId);
      this.o.onChange?.(ticket);
    }
  }
}
