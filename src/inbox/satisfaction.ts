import { SendError, type ChannelAdapter } from '../channels/types.js';
import { encodePayload } from '../conversation/payloads.js';
import { fill, TEXTS } from '../conversation/texts.js';
import type { ChannelName, Choice } from '../conversation/types.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../dispatch/retry.js';
import type { Logger } from '../log.js';
import type { Conversations } from '../store/conversations.js';
import type { Ticket } from '../store/schema.js';
import type { Tickets } from './tickets.js';

export interface SurveyOptions {
  readonly channels: ReadonlyMap<ChannelName, ChannelAdapter>;
  readonly tickets: Tickets;
  readonly conversations: Conversations;
  readonly logger: Logger;
  readonly retry?: RetryPolicy;
  readonly clock?: () => number;
}

/**
 * When a ticket an officer answered is closed, the user is asked to rate the answer from 1 to 5 (buttons, or typing
 * the number). Sent as the bot, so only within the platform's standard window; outside it the survey is skipped.
 */
export class SatisfactionSurvey {
  constructor(private readonly o: SurveyOptions) {}

  async ask(ticket: Ticket): Promise<boolean> {
    if (ticket.rating || !ticket.replies.some((r) => r.status === 'sent')) return false;
    const adapter = this.o.channels.get(ticket.channel);
    const record = await this.o.conversations.record(ticket.channel, ticket.userId);
    if (!adapter || !record) return false;
    const now = (this.o.clock ?? Date.now)();
    const choices: Choice[] = [1, 2, 3, 4, 5].map((stars) => ({ title: String(stars), payload: encodePayload({ kind: 'rating', ticket: String(ticket.id), stars }) }));
    const text = fill(TEXTS.ratingQuestion, { ticket: `#${ticket.id}` });
    try {
      const messages = adapter.render(ticket.userId, [{ kind: 'choices', text, choices }], { author: 'bot', lastUserMessageAt: record.lastUserMessageAt, now });
      for (const m of messages) await withRetry(() => adapter.send(m), this.o.retry ?? DEFAULT_RETRY);
    } catch (err) {
      const reason = err instanceof SendError ? `${err.kind}: ${err.platformMessage}` : String(err);
      this.o.logger.info({ ticket: ticket.id, reason }, 'satisfaction survey not sent');
      return false;
    }
    await this.o.tickets.surveySent(ticket, now);
    // Typing "4" now means 4 stars.
    await this.o.conversations.set(ticket, {
      awaiting: { payloads: choices.map((c) => c.payload), titles: choices.map((c) => c.title), question: null, yesNo: false },
      at: now,
    });
    await this.o.conversations.said(ticket.channel, ticket.userId, 'bot', text, now);
    return true;
  }
}
