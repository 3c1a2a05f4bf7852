import type { HandoffHandler } from '../conversation/bot.js';
import { analyse } from '../conversation/intents.js';
import type { Knowledge } from '../conversation/knowledge.js';
import { TEXTS } from '../conversation/texts.js';
import type { ChannelName } from '../conversation/types.js';
import type { TicketHooks } from '../dispatch/pipeline.js';
import type { Logger } from '../log.js';
import { search } from '../matching/search.js';
import type { Conversations } from '../store/conversations.js';
import type { Notifier } from './notify.js';
import type { OfficerReplies } from './replies.js';
import type { Tickets } from './tickets.js';

export interface EscalationOptions {
  readonly tickets: Tickets;
  readonly replies: OfficerReplies;
  readonly conversations: Conversations;
  readonly notifier: Notifier;
  readonly knowledge: () => Knowledge;
  /** Told to the user when a ticket opens; {ticket} becomes "#12". */
  readonly handoffMessage: string;
  readonly logger: Logger;
}

export const ATTACHED_TO_TICKET = 'Tin nhắn của bạn đã được gắn vào phiếu số {ticket} đang chờ cán bộ trả lời.';

/**
 * Turns the conversation layer's hand-off into a ticket: the question, the recent conversation, what the matcher
 * considered (so an officer can send an existing answer in one click). A user with an open ticket gets the message
 * added to it instead of a second ticket.
 */
export function escalationHandler(o: EscalationOptions): HandoffHandler {
  return async (message, request, context) => {
    const record = await o.conversations.record(message.channel, message.userId);
    // "gặp cán bộ" alone: the question is the user's last real message before it.
    const lastQuestion = [...(record?.transcript ?? [])]
      .reverse()
      .find((t) => t.from === 'user' && t.text.trim().length > 0 && !analyse(t.text).humanRequest && analyse(t.text).smallTalk === null)?.text;
    const question = request.question.trim() || lastQuestion || message.text;
    const existing = await o.tickets.openFor(message.channel, message.userId);
    if (existing) {
      // The pipeline already added the user's message to the open ticket.
      return [{ kind: 'text', text: ATTACHED_TO_TICKET.replace('{ticket}', `#${existing.id}`) }];
    }
    if (context.admitTicket?.() === false) {
      o.logger.warn({ channel: message.channel }, 'new ticket refused: too many from one address');
      return [{ kind: 'text', text: TEXTS.handoffLimited }];
    }
    const knowledge = o.knowledge();
    const candidates = search(knowledge.index, question).candidates.map((c) => ({
      id: c.id,
      score: c.score,
      question: knowledge.base.byId.get(c.id)?.question ?? c.id,
    }));
    const ticket = await o.tickets.create({
      channel: message.channel,
      userId: message.userId,
      displayName: record?.displayName ?? message.displayName ?? null,
      question,
      reason: request.reason,
      transcript: record?.transcript ?? [],
      candidates,
      ...(request.detail ? { botNote: request.detail } : {}),
    });
    o.logger.info({ ticket: ticket.id, channel: ticket.channel, reason: ticket.reason }, 'ticket opened');
    o.notifier.ticketCreated(ticket);
    return [{ kind: 'text', text: o.handoffMessage.replace('{ticket}', `#${ticket.id}`) }];
  };
}

/** How the message pipeline keeps tickets up to date and respects officers who took a conversation over. */
export function ticketHooks(tickets: Tickets, replies: OfficerReplies): TicketHooks {
  return {
    async userWrote(channel: ChannelName, userId: string, text: string, at: number) {
      const t = await tickets.openFor(channel, userId);
      return t ? tickets.userWrote(t, text, at) : null;
    },
    humanHandling: (ticket, now) => tickets.handledByPerson(ticket, now),
    botSaid: (ticket, texts, at) => tickets.botSaid(ticket, texts, at),
    receipt: (channel, userId, ids, status, at) => replies.receipt(channel, userId, ids, status, at),
  };
}
