import type { ChannelName } from '../conversation/types.js';
import type { ConversationRecord, DeliveryFailure, FeedbackRecord, Schema, Ticket } from '../store/schema.js';

/**
 * What the database holds about the people who write to the bot, and how it is removed: on a person's request
 * (export / delete) and by age (retention). Removal keeps what the reports count — tickets with their times and
 * status, 👍/👎 per entry, ratings — and drops who it was and what they wrote. Pure functions over the data.
 */

export const ERASED_TEXT = '(nội dung đã xoá)';

/** A ticket without its person: no user id, name, question, transcript, notes, reply texts or comment. */
export function eraseTicket(t: Ticket, now: number): Ticket {
  return {
    ...t,
    userId: `erased-${t.id}`,
    displayName: null,
    question: ERASED_TEXT,
    transcript: [],
    notes: [],
    replies: t.replies.map((r) => ({ ...r, text: ERASED_TEXT })),
    rating: t.rating ? { ...t.rating, comment: null } : (t.rating ?? null),
    erasedAt: now,
  };
}

const eraseFeedback = (f: FeedbackRecord): FeedbackRecord => ({ ...f, userId: '', question: '' });

export interface UserData {
  readonly channel: ChannelName;
  readonly userId: string;
  readonly conversation: ConversationRecord | null;
  readonly tickets: readonly Ticket[];
  readonly feedback: readonly FeedbackRecord[];
  readonly deliveryFailures: readonly DeliveryFailure[];
}

/** Everything the database holds about one person (an access request). */
export function collectUserData(data: Readonly<Schema>, channel: ChannelName, userId: string): UserData {
  const mine = (x: { channel: ChannelName; userId: string }) => x.channel === channel && x.userId === userId;
  return {
    channel,
    userId,
    conversation: data.conversations[`${channel}:${userId}`] ?? null,
    tickets: data.tickets.filter(mine),
    feedback: data.feedback.filter(mine),
    deliveryFailures: data.deliveryFailures.filter(mine),
  };
}

export interface ErasureCounts {
  conversations: number;
  transcriptItems: number;
  tickets: number;
  feedback: number;
  deliveryFailures: number;
}

const noErasure = (): ErasureCounts => ({ conversations: 0, transcriptItems: 0, tickets: 0, feedback: 0, deliveryFailures: 0 });

/** Removes one person's data (a deletion request, or Zalo's user_withdraw). Open tickets are closed. */
export function eraseUser(data: Schema, channel: ChannelName, userId: string, now: number): ErasureCounts {
  const counts = noErasure();
  const mine = (x: { channel: ChannelName; userId: string }) => x.channel === channel && x.userId === userId;
  if (data.conversations[`${channel}:${userId}`]) {
    delete data.conversations[`${channel}:${userId}`];
    counts.conversations = 1;
  }
  data.tickets = data.tickets.map((t) => {
    if (!mine(t)) return t;
    counts.tickets++;
    return eraseTicket(t.status === 'closed' ? t : { ...t, status: 'closed', closedAt: now, updatedAt: now, unread: false }, now);
  });
  data.feedback = data.feedback.map((f) => (mine(f) ? (counts.feedback++, eraseFeedback(f)) : f));
  const failures = data.deliveryFailures.length;
  data.deliveryFailures = data.deliveryFailures.filter((f) => !mine(f));
  counts.deliveryFailures = failures - data.deliveryFailures.length;
  return counts;
}

/**
 * Retention: what is older than `cutoff` loses its personal part. Conversations quiet since before the cutoff go
 * entirely; newer ones lose their older lines. Tickets untouched since the cutoff are erased; feedback keeps its
 * verdict without the question and the user; undelivered replies go.
 */
export function applyRetention(data: Schema, cutoff: number, now: number): ErasureCounts {
  const counts = noErasure();
  for (const [key, record] of Object.entries(data.conversations)) {
    const last = Math.max(record.lastUserMessageAt, ...record.transcript.map((i) => i.at));
    if (last < cutoff) {
      delete data.conversations[key];
      counts.conversations++;
      continue;
    }
    const kept = record.transcript.filter((i) => i.at >= cutoff);
    counts.transcriptItems += record.transcript.length - kept.length;
    record.transcript = kept;
  }
  data.tickets = data.tickets.map((t) => (t.updatedAt < cutoff && !t.erasedAt ? (counts.tickets++, eraseTicket(t, now)) : t));
  data.feedback = data.feedback.map((f) => (f.at < cutoff && (f.userId !== '' || f.question !== '') ? (counts.feedback++, eraseFeedback(f)) : f));
  const failures = data.deliveryFailures.length;
  data.deliveryFailures = data.deliveryFailures.filter((f) => f.at >= cutoff);
  counts.deliveryFailures = failures - data.deliveryFailures.length;
  return counts;
}

/** The start of the retention window: `months` calendar months before now. */
export function retentionCutoff(now: number, months: number): number {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.getTime();
}
