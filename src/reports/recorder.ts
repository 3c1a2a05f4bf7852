import type { BotResponse, IncomingMessage } from '../conversation/types.js';
import type { Tickets } from '../inbox/tickets.js';
import type { Store } from '../store/store.js';
import type { ActivityLog } from './activity.js';

/**
 * What the bot learns from each message, for the reports: the activity line, 👍/👎 on answers, 1–5 ratings of
 * officers' answers and the comments after them.
 */
export function outcomeRecorder(o: { store: Store; tickets: Tickets; activity: ActivityLog; clock?: () => number }) {
  const now = () => (o.clock ?? Date.now)();
  return (message: IncomingMessage, outcome: BotResponse['outcome']): void => {
    if (message.channel === 'cli') return;
    o.activity.record(message.channel, message.userId, outcome, message.timestamp || now());
    if (outcome.feedback) {
      const f = outcome.feedback;
      o.store.updateLazily((d) =>
        d.feedback.push({ at: now(), channel: message.channel, userId: message.userId, entryId: f.entryId, question: f.question, helpful: f.helpful }),
      );
    }
    if (outcome.rating) {
      const ticket = o.tickets.byId(Number(outcome.rating.ticket));
      if (ticket) o.tickets.rate(ticket, message, outcome.rating.stars, now());
    }
    if (outcome.comment) {
      const ticket = o.tickets.byId(Number(outcome.comment.ticket));
      if (ticket) o.tickets.comment(ticket, message, outcome.comment.text);
    }
  };
}
