import type { BotResponse, IncomingMessage } from '../conversation/types.js';
import type { Tickets } from '../inbox/tickets.js';
import type { PhrasingProposals } from '../store/phrasings.js';
import type { Store } from '../store/store.js';
import type { ActivityLog } from './activity.js';

/**
 * What the bot learns from each message: for the reports, the activity line, 👍/👎 on answers, 1–5 ratings of
 * officers' answers and the comments after them; for the knowledge base, the phrasings use confirmed (a suggested
 * entry picked for a typed question, a 👍 on an answer).
 */
export function outcomeRecorder(o: { store: Store; tickets: Tickets; activity: ActivityLog; phrasings?: PhrasingProposals; clock?: () => number }) {
  const now = () => (o.clock ?? Date.now)();
  return (message: IncomingMessage, outcome: BotResponse['outcome']): void => {
    if (message.channel === 'cli') return;
    o.activity.record(message.channel, message.userId, outcome, message.timestamp || now());
    if (outcome.chosen) o.phrasings?.record(outcome.chosen.entryId, outcome.chosen.question, 'choice', now());
    if (outcome.feedback?.helpful) o.phrasings?.record(outcome.feedback.entryId, outcome.feedback.question, 'feedback', now());
    if (outcome.feedback) {
      const f = outcome.feedback;
      o.store.updateLazily((d) =>
        d.feedback.push({ at: now(), channel: message.channel, userId: message.userId, entryId: f.entryId, question: f.question, helpful: f.helpful }),
      );
    }
    if (outcome.rating) {
      const ticket = o.tickets.byId(Number(outcome.rating.ticket));
      // Only the ticket's own user can rate it.
      if (ticket && ticket.channel === message.channel && ticket.userId === message.userId && !ticket.rating) {
        const officer = ticket.assignee ?? [...ticket.replies].reverse().find((r) => r.status === 'sent')?.by ?? null;
        o.store.updateLazily(() => (ticket.rating = { stars: outcome.rating!.stars, at: now(), officer, comment: null }));
        o.tickets.bump();
      }
    }
    if (outcome.comment) {
      const ticket = o.tickets.byId(Number(outcome.comment.ticket));
      const rating = ticket?.rating;
      if (ticket && ticket.channel === message.channel && ticket.userId === message.userId && rating && rating.comment === null) {
        o.store.updateLazily(() => (rating.comment = outcome.comment!.text.slice(0, 2000)));
        o.tickets.bump();
      }
    }
  };
}
