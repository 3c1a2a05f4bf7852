import { randomUUID } from 'node:crypto';
import { SendError, type ChannelAdapter } from '../channels/types.js';
import type { ChannelName } from '../conversation/types.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../dispatch/retry.js';
import { GateClosedError } from '../dispatch/send-gate.js';
import type { Logger } from '../log.js';
import type { Conversations } from '../store/conversations.js';
import type { Ticket, TicketReply } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { Tickets } from './tickets.js';

export interface OfficerRepliesOptions {
  readonly store: Store;
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
    await this.o.store.update((d) => {
      ticket.replies.push(reply);
      d.audit.push({ at: reply.at, actor: by, action: 'ticket.reply', ticketId: ticket.id, detail: `${entryId ? `[${entryId}] ` : ''}${text.slice(0, 200)}` });
    });
    void this.deliver(ticket, reply);
    return reply;
  }

  async retry(ticket: Ticket, replyId: string, by: string): Promise<void> {
    const reply = ticket.replies.find((r) => r.id === replyId);
    if (!reply || reply.status !== 'failed') return;
    await this.o.store.update((d) => {
      reply.status = 'queued';
      reply.error = null;
      d.audit.push({ at: this.now(), actor: by, action: 'ticket.retry', ticketId: ticket.id, detail: replyId });
    });
    void this.deliver(ticket, reply);
  }

  /** After a restart: send what was queued and never finished. */
  resume(): number {
    let n = 0;
    for (const ticket of this.o.store.data.tickets) {
      for (const reply of ticket.replies) {
        if (reply.status === 'queued') {
          n++;
          void this.deliver(ticket, reply);
        }
      }
    }
    return n;
  }

  /** Delivery receipts from the platform (Messenger delivery/read, Zalo received/seen). */
  receipt(channel: ChannelName, userId: string, messageIds: readonly string[], status: 'delivered' | 'seen', at: number): void {
    const ticket = this.o.tickets.openFor(channel, userId) ?? [...this.o.store.data.tickets].reverse().find((t) => t.channel === channel && t.userId === userId);
    if (!ticket) return;
    this.o.store.updateLazily(() => {
      for (const reply of ticket.replies) {
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
    });
  }

  private async deliver(ticket: Ticket, reply: TicketReply): Promise<void> {
    if (this.inFlight.has(reply.id)) return;
    this.inFlight.add(reply.id);
    try {
      const adapter = this.o.channels.get(ticket.channel);
      if (!adapter) throw new SendError('not-configured', `kênh ${ticket.channel} chưa được cấu hình`);
      const record = this.o.conversations.record(ticket.channel, ticket.userId);
      const messages = adapter.render(ticket.userId, [{ kind: 'text', text: reply.text }], {
        author: 'officer',
        lastUserMessageAt: record?.lastUserMessageAt ?? ticket.lastUserMessageAt,
        now: this.now(),
      });
      // A long reply goes out in parts; a retry resumes after the parts already sent.
      for (const message of messages.slice(reply.messageIds.length)) {
        const sent = await withRetry(() => adapter.send(message), this.o.retry ?? DEFAULT_RETRY, undefined, () => {
          reply.attempts += 1;
        });
        reply.messageIds.push(sent.messageId);
      }
      const at = this.now();
      await this.o.store.update(() => {
        reply.status = 'sent';
        reply.sentAt = at;
        reply.attempts += 1;
      });
      this.o.tickets.officerReplied(ticket, at, reply.text);
      this.o.conversations.said(ticket.channel, ticket.userId, 'officer', reply.text, at);
    } catch (raw) {
      // Shutting down: the reply stays queued and goes out after the restart (resume()).
      if (raw instanceof GateClosedError) return;
      const err = raw instanceof SendError ? raw : new SendError('transient', (raw as Error)?.message ?? String(raw));
      this.o.logger.warn({ ticket: ticket.id, channel: ticket.channel, kind: err.kind, code: err.code }, 'officer reply not delivered');
      await this.o.store.update(() => {
        reply.status = 'failed';
        reply.attempts += 1;
        reply.error = err.platformMessage + (err.code !== undefined ? ` (mã ${err.code}${err.subcode !== undefined ? `/${err.subcode}` : ''})` : '');
      });
    } finally {
      this.inFlight.delete(reply.id);
      this.o.onChange?.(ticket);
    }
  }
}
