import type { ChannelName } from '../conversation/types.js';
import type { Store } from '../store/store.js';
import { AUDIT_LIMIT, type Ticket, type TicketStatus, type TranscriptItem } from '../store/schema.js';
import { addWorkingMs, workingMsBetween, type WorkingCalendar } from './working-time.js';

export interface TicketsOptions {
  readonly store: Store;
  readonly calendar: WorkingCalendar;
  readonly slaFirstResponseMs: number;
  readonly slaWarningMs: number;
  /** After an officer's reply the bot stays silent this long (the takeover times out). */
  readonly takeoverMs: number;
  readonly clock?: () => number;
}

export type TicketFilter = 'open' | 'mine' | 'waiting' | 'answered' | 'closed' | 'all';

export type SlaState = 'met' | 'ok' | 'near' | 'late';

export interface SlaView {
  readonly state: SlaState;
  readonly dueAt: number;
  /** Working time left before the deadline (negative when late); 0 once met. */
  readonly workingLeftMs: number;
}

/** What an escalation knows when it opens a ticket. */
export interface NewTicket {
  readonly channel: ChannelName;
  readonly userId: string;
  readonly displayName: string | null;
  readonly question: string;
  readonly reason: Ticket['reason'];
  readonly transcript: readonly TranscriptItem[];
  readonly candidates: Ticket['candidates'];
  /** Why the bot did not answer, kept as the ticket's first note (by the bot) for the officer. */
  readonly botNote?: string;
}

/** The author of notes the bot writes on tickets. */
export const BOT_AUTHOR = 'bot';

const TICKET_TRANSCRIPT_LIMIT = 200;

/**
 * Tickets: questions handed over to officers, their lifecycle (open → claimed → answered → closed, reopen, hand back
 * to the bot), the human-takeover rule and the SLA clock. Every change is written durably and audited.
 */
export class Tickets {
  private changes = 0;

  constructor(private readonly o: TicketsOptions) {}

  /** Goes up with every change: the inbox page polls it to know when to refresh. */
  get version(): number {
    return this.changes;
  }

  bump(): void {
    this.changes++;
  }

  private now(): number {
    return (this.o.clock ?? Date.now)();
  }

  get all(): readonly Ticket[] {
    return this.o.store.data.tickets;
  }

  byId(id: number): Ticket | undefined {
    return this.o.store.data.tickets.find((t) => t.id === id);
  }

  /** The user's ticket that is not closed, if any: a user has at most one. */
  openFor(channel: ChannelName, userId: string): Ticket | undefined {
    return this.o.store.data.tickets.find((t) => t.channel === channel && t.userId === userId && t.status !== 'closed');
  }

  async create(n: NewTicket): Promise<Ticket> {
    const now = this.now();
    return this.o.store.update((d) => {
      d.counters.ticket += 1;
      const ticket: Ticket = {
        id: d.counters.ticket,
        channel: n.channel,
        userId: n.userId,
        displayName: n.displayName,
        question: n.question,
        reason: n.reason,
        transcript: [...n.transcript],
        candidates: n.candidates,
        status: 'open',
        assignee: null,
        createdAt: now,
        updatedAt: now,
        firstResponseAt: null,
        slaDueAt: addWorkingMs(this.o.calendar, now, this.o.slaFirstResponseMs),
        lastUserMessageAt: now,
        lastOfficerReplyAt: null,
        botResumedAt: null,
        closedAt: null,
        unread: true,
        notes: n.botNote ? [{ at: now, by: BOT_AUTHOR, text: n.botNote }] : [],
        replies: [],
      };
      d.tickets.push(ticket);
      this.auditIn(d, 'bot', 'ticket.create', ticket.id, `${n.channel} ${n.reason}`);
      this.bump();
      return ticket;
    });
  }

  /** A message from the user while the ticket is open: kept with it, and the ticket is unread again. */
  userWrote(ticket: Ticket, text: string, at: number): void {
    this.o.store.updateLazily(() => {
      pushTranscript(ticket, { at, from: 'user', text });
      ticket.lastUserMessageAt = Math.max(ticket.lastUserMessageAt, at);
      ticket.unread = true;
      ticket.updatedAt = this.now();
      if (ticket.status === 'answered') ticket.status = ticket.assignee ? 'claimed' : 'open';
    });
    this.bump();
  }

  botSaid(ticket: Ticket, text: string, at: number): void {
    this.o.store.updateLazily(() => pushTranscript(ticket, { at, from: 'bot', text }));
    this.bump();
  }

  /**
   * A person handles this user: the ticket is claimed, or an officer replied within the takeover time and nobody
   * handed the conversation back to the bot since.
   */
  humanHandling(channel: ChannelName, userId: string, now = this.now()): boolean {
    const t = this.openFor(channel, userId);
    if (!t) return false;
    if (t.status === 'claimed') return true;
    const replied = t.lastOfficerReplyAt;
    return replied !== null && now - replied < this.o.takeoverMs && (t.botResumedAt === null || replied > t.botResumedAt);
  }

  async claim(ticket: Ticket, by: string): Promise<void> {
    await this.change(ticket, by, 'ticket.claim', '', (t) => {
      t.assignee = by;
      if (t.status !== 'closed') t.status = 'claimed';
    });
  }

  async assign(ticket: Ticket, assignee: string, by: string, assigneeName: string): Promise<void> {
    await this.change(ticket, by, 'ticket.assign', assigneeName, (t) => {
      t.assignee = assignee;
      if (t.status === 'open') t.status = 'claimed';
    });
  }

  async close(ticket: Ticket, by: string): Promise<void> {
    await this.change(ticket, by, 'ticket.close', '', (t) => {
      t.status = 'closed';
      t.closedAt = this.now();
    });
  }

  async reopen(ticket: Ticket, by: string): Promise<void> {
    if (this.openFor(ticket.channel, ticket.userId)) throw new Error('Người dùng này đang có một phiếu khác chưa đóng.');
    await this.change(ticket, by, 'ticket.reopen', '', (t) => {
      t.status = t.assignee ? 'claimed' : 'open';
      t.closedAt = null;
    });
  }

  /** The bot answers this user again; the ticket stays for the record (answered or open). */
  async handBack(ticket: Ticket, by: string): Promise<void> {
    await this.change(ticket, by, 'ticket.hand-back', '', (t) => {
      t.botResumedAt = this.now();
      t.assignee = null;
      if (t.status === 'claimed') t.status = t.lastOfficerReplyAt ? 'answered' : 'open';
    });
  }

  async note(ticket: Ticket, by: string, text: string): Promise<void> {
    await this.change(ticket, by, 'ticket.note', text.slice(0, 200), (t) => t.notes.push({ at: this.now(), by, text }));
  }

  async markRead(ticket: Ticket): Promise<void> {
    if (!ticket.unread) return;
    await this.o.store.update(() => (ticket.unread = false));
    this.bump();
  }

  /** Officer replied (called by the reply sender once the message is accepted for sending). */
  officerReplied(ticket: Ticket, at: number, text: string): void {
    this.o.store.updateLazily(() => {
      ticket.firstResponseAt ??= at;
      ticket.lastOfficerReplyAt = at;
      ticket.updatedAt = at;
      pushTranscript(ticket, { at, from: 'officer', text });
      if (ticket.status !== 'closed') ticket.status = 'answered';
    });
    this.bump();
  }

  /** The 1–5 survey went out to the ticket's user: from now on their rating counts. */
  surveySent(ticket: Ticket, at: number): void {
    this.o.store.updateLazily(() => (ticket.surveySentAt = at));
  }

  /**
   * A rating counts only from the ticket's own user, for a closed ticket that an officer answered and whose survey
   * was sent, once. Anything else (a payload typed by someone else, a rating of an open ticket) is ignored.
   */
  rate(ticket: Ticket, from: { channel: ChannelName; userId: string }, stars: number, at: number): boolean {
    const answered = ticket.replies.some((r) => r.status === 'sent');
    if (ticket.channel !== from.channel || ticket.userId !== from.userId || ticket.status !== 'closed' || !ticket.surveySentAt || !answered || ticket.rating) return false;
    const officer = ticket.assignee ?? [...ticket.replies].reverse().find((r) => r.status === 'sent')?.by ?? null;
    this.o.store.updateLazily(() => (ticket.rating = { stars, at, officer, comment: null }));
    this.bump();
    return true;
  }

  /** "Góp ý: …" after the rating, by the same user, once. */
  comment(ticket: Ticket, from: { channel: ChannelName; userId: string }, text: string): boolean {
    const rating = ticket.rating;
    if (ticket.channel !== from.channel || ticket.userId !== from.userId || !rating || rating.comment !== null) return false;
    this.o.store.updateLazily(() => (rating.comment = text.slice(0, 2000)));
    this.bump();
    return true;
  }

  sla(ticket: Ticket, now = this.now()): SlaView {
    if (ticket.firstResponseAt !== null) return { state: 'met', dueAt: ticket.slaDueAt, workingLeftMs: 0 };
    const left = now <= ticket.slaDueAt ? workingMsBetween(this.o.calendar, now, ticket.slaDueAt) : -workingMsBetween(this.o.calendar, ticket.slaDueAt, now);
    const state: SlaState = now > ticket.slaDueAt ? 'late' : left <= this.o.slaWarningMs ? 'near' : 'ok';
    return { state, dueAt: ticket.slaDueAt, workingLeftMs: left };
  }

  /** Tickets for a filter, most urgent first: past SLA, then near it, then the oldest. */
  list(filter: TicketFilter, me: string, query = ''): Ticket[] {
    const q = query.trim().toLowerCase();
    const now = this.now();
    const rank: Record<SlaState, number> = { late: 0, near: 1, ok: 2, met: 3 };
    return this.o.store.data.tickets
      .filter((t) => matchesFilter(t, filter, me))
      .filter((t) => q === '' || searchable(t).includes(q) || `#${t.id}` === q || String(t.id) === q)
      .sort((a, b) => {
        if (filter === 'closed') return (b.closedAt ?? 0) - (a.closedAt ?? 0);
        return rank[this.sla(a, now).state] - rank[this.sla(b, now).state] || a.createdAt - b.createdAt;
      });
  }

  /** Tickets not closed, by SLA state (metrics). */
  openBySla(now = this.now()): Record<SlaState, number> {
    const out: Record<SlaState, number> = { late: 0, near: 0, ok: 0, met: 0 };
    for (const t of this.o.store.data.tickets) if (t.status !== 'closed') out[this.sla(t, now).state]++;
    return out;
  }

  counts(me: string): Record<TicketFilter, number> & { unread: number } {
    const tickets = this.o.store.data.tickets;
    const count = (f: TicketFilter) => tickets.filter((t) => matchesFilter(t, f, me)).length;
    return {
      open: count('open'),
      mine: count('mine'),
      waiting: count('waiting'),
      answered: count('answered'),
      closed: count('closed'),
      all: tickets.length,
      unread: tickets.filter((t) => t.unread && t.status !== 'closed').length,
    };
  }

  private async change(ticket: Ticket, by: string, action: string, detail: string, apply: (t: Ticket) => void): Promise<void> {
    await this.o.store.update((d) => {
      apply(ticket);
      ticket.updatedAt = this.now();
      this.auditIn(d, by, action, ticket.id, detail);
    });
    this.bump();
  }

  audit(actor: string, action: string, ticketId: number | null, detail: string): Promise<void> {
    return this.o.store.update((d) => this.auditIn(d, actor, action, ticketId, detail));
  }

  private auditIn(d: { audit: Array<{ at: number; actor: string; action: string; ticketId: number | null; detail: string }> }, actor: string, action: string, ticketId: number | null, detail: string): void {
    d.audit.push({ at: this.now(), actor, action, ticketId, detail });
    if (d.audit.length > AUDIT_LIMIT) d.audit.splice(0, d.audit.length - AUDIT_LIMIT);
  }
}

function pushTranscript(ticket: Ticket, item: TranscriptItem): void {
  ticket.transcript.push(item);
  if (ticket.transcript.length > TICKET_TRANSCRIPT_LIMIT) ticket.transcript.splice(0, ticket.transcript.length - TICKET_TRANSCRIPT_LIMIT);
}

function matchesFilter(t: Ticket, filter: TicketFilter, me: string): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'open':
      return t.status === 'open';
    case 'mine':
      return t.assignee === me && t.status !== 'closed';
    case 'waiting':
      // The user wrote after the last officer reply (or nobody replied yet): someone owes them an answer.
      return t.status !== 'closed' && (t.lastOfficerReplyAt === null || t.lastUserMessageAt > t.lastOfficerReplyAt);
    case 'answered':
      return t.status === 'answered';
    case 'closed':
      return t.status === 'closed';
  }
}

function searchable(t: Ticket): string {
  return [t.question, t.displayName ?? '', t.userId, ...t.transcript.map((i) => i.text)].join('\n').toLowerCase();
}

export const STATUS_LABELS: Readonly<Record<TicketStatus, string>> = {
  open: 'Mới',
  claimed: 'Đang xử lý',
  answered: 'Đã trả lời',
  closed: 'Đã đóng',
};
