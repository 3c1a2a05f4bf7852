import type { BotResponse, IncomingMessage } from '../conversation/types.js';
import type { Tickets } from '../inbox/tickets.js';
import type { PhrasingProposals } from '../store/phrasings.js';
import type { DataStore } from '../store/types.js';
import type { ActivityLog } from './activity.js';

/**
 * What the bot learns from each message: for the reports, the activity line, 👍/👎 on answers, 1–5 ratings of
 * officers' answers and the comments after them; for the knowledge base, the phrasings use confirmed (a suggested
 * entry picked for a typed question, a 👍 on an answer).
 */
export function outcomeRecorder(o: { store: DataStore; tickets: Tickets; activity: ActivityLog; phrasings?: PhrasingProposals; clock?: () => number }) {
  const now = () => (o.clock ?? Date.now)();
  return async (message: IncomingMessage, outcome: BotResponse['outcome']): Promise<void> => {
    if (message.channel === 'cli') return;
    o.activity.record(message.channel, message.userId, outcome, message.timestamp || now());
    if (outcome.chosen) await o.phrasings?.record(outcome.chosen.entryId, outcome.chosen.question, 'choice', now());
    if (outcome.feedback?.helpful) await o.phrasings?.record(outcome.feedback.entryId, outcome.feedback.question, 'helpful', now());
    if (outcome.feedback) {
      const f = outcome.feedback;
      await o.store.addFeedback({ at: now(), channel: message.channel, userId: message.userId, entryId: f.entryId, question: f.question, helpful: f.helpful });
    }
    if (outcome.rating) await o.tickets.rate(Number(outcome.rating.ticket), message, outcome.rating.stars, now());
    if (outcome.comment) await o.tickets.comment(Number(outcome.comment.ticket), message, outcome.comment.text);
  };
}
