import type { ChannelName } from '../conversation/types.js';
import type { Ticket, TicketStatus, TranscriptItem } from '../store/schema.js';
import type { DataStore, TicketQuery } from '../store/types.js';
import { addWorkingMs, workingMsBetween, type WorkingCalendar } from './working-time.js';

export interface TicketsOptions {
  readonly store: DataStore;
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
 * to the bot), the human-takeover rule and the SLA clock. Every change is made on the stored ticket (the current
 * version, also with several instances) and audited.
 */
export class Tickets {
  private changes = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly o: TicketsOptions) {}

  /** Goes up with every change seen by this instance: the inbox page polls it to know when to refresh. */
  get version(): number {
    return this.changes;
  }

  /** Something changed tickets here: open pages refresh, and listeners (other instances) are told. */
  bump(): void {
    this.changes++;
    for (const l of this.listeners) l();
  }

  /** Another instance changed tickets: pages open here refresh too. */
  changedElsewhere(): void {
    this.changes++;
  }

  /** Called on every change made by this instance (the server tells the other instances). */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  private now(): number {
    return (this.o.clock ?? Date.now)();
  }

  all(query?: TicketQuery): Promise<Ticket[]> {
    return this.o.store.tickets(query);
  }

  byId(id: number): Promise<Ticket | null> {
    return Number.isInteger(id) && id > 0 ? this.o.store.ticket(id) : Promise.resolve(null);
  }

  /** The user's ticket that is not closed, if any: a user has at most one. */
  openFor(channel: ChannelName, userId: string): Promise<Ticket | null> {
    return this.o.store.openTicketFor(channel, userId);
  }

  async create(n: NewTicket): Promise<Ticket> {
    const now = this.now();
    const ticket = await this.o.store.createTicket(
      (id) => ({
        id,
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
      }),
      () => ({ at: now, actor: BOT_AUTHOR, action: 'ticket.create', detail: `${n.channel} ${n.reason}` }),
    );
    this.bump();
    return ticket;
  }

  /** A message from the user while the ticket is open: kept with it, and the ticket is unread again. */
  async userWrote(ticket: Ticket, text: string, at: number): Promise<Ticket | null> {
    const updated = await this.o.store.updateTicket(
      ticket.id,
      (t) => {
        pushTranscript(t, { at, from: 'user', text });
        t.lastUserMessageAt = Math.max(t.lastUserMessageAt, at);
        t.unread = true;
        t.updatedAt = this.now();
        if (t.status === 'answered') t.status = t.assignee ? 'claimed' : 'open';
      },
      { lazy: true },
    );
    this.bump();
    return updated;
  }

  async botSaid(ticket: Ticket, texts: readonly string[], at: number): Promise<void> {
    await this.o.store.updateTicket(ticket.id, (t) => texts.forEach((text) => pushTranscript(t, { at, from: 'bot', text })), { lazy: true });
    this.bump();
  }

  /**
   * A person handles this user: the ticket is claimed, or an officer replied within the takeover time and nobody
   * handed the conversation back to the bot since.
   */
  async humanHandling(channel: ChannelName, userId: string, now = this.now()): Promise<boolean> {
    return this.handledByPerson(await this.openFor(channel, userId), now);
  }

  /** The same rule on a ticket at hand (the user's open one, or null). */
  handledByPerson(t: Ticket | null, now = this.now()): boolean {
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
    const open = await this.openFor(ticket.channel, ticket.userId);
    if (open && open.id !== ticket.id) throw new Error('Người dùng này đang có một phiếu khác chưa đóng.');
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
    await this.o.store.updateTicket(ticket.id, (t) => (t.unread = false));
    this.bump();
  }

  /** Officer replied (called by the reply sender once the message is accepted for sending). */
  async officerReplied(ticket: Ticket, at: number, text: string): Promise<void> {
    await this.o.store.updateTicket(
      ticket.id,
      (t) => {
        t.firstResponseAt ??= at;
        t.lastOfficerReplyAt = at;
        t.updatedAt = at;
        pushTranscript(t, { at, from: 'officer', text });
        if (t.status !== 'closed') t.status = 'answered';
      },
      { lazy: true },
    );
    this.bump();
  }

  /** The 1–5 survey went out to the ticket's user: from now on their rating counts. */
  async surveySent(ticket: Ticket, at: number): Promise<void> {
    await this.o.store.updateTicket(ticket.id, (t) => (t.surveySentAt = at), { lazy: true });
  }

  /**
   * A rating counts only from the ticket's own user, for a closed ticket that an officer answered and whose survey
   * was sent, once. Anything else (a payload typed by someone else, a rating of an open ticket) is ignored.
   */
  async rate(id: number, from: { channel: ChannelName; userId: string }, stars: number, at: number): Promise<boolean> {
    let counted = false;
    await this.o.store.updateTicket(
      id,
      (t) => {
        const answered = t.replies.some((r) => r.status === 'sent');
        if (t.channel !== from.channel || t.userId !== from.userId || t.status !== 'closed' || !t.surveySentAt || !answered || t.rating) return;
        const officer = t.assignee ?? [...t.replies].reverse().find((r) => r.status === 'sent')?.by ?? null;
        t.rating = { stars, at, officer, comment: null };
        counted = true;
      },
      { lazy: true },
    );
    if (counted) this.bump();
    return counted;
  }

  /** "Góp ý: …" after the rating, by the same user, once. */
  async comment(id: number, from: { channel: ChannelName; userId: string }, text: string): Promise<boolean> {
    let counted = false;
    await this.o.store.updateTicket(
      id,
      (t) => {
        if (t.channel !== from.channel || t.userId !== from.userId || !t.rating || t.rating.comment !== null) return;
        t.rating.comment = text.slice(0, 2000);
        counted = true;
      },
      { lazy: true },
    );
    if (counted) this.bump();
    return counted;
  }

  sla(ticket: Ticket, now = this.now()): SlaView {
    if (ticket.firstResponseAt !== null) return { state: 'met', dueAt: ticket.slaDueAt, workingLeftMs: 0 };
    const left = now <= ticket.slaDueAt ? workingMsBetween(this.o.calendar, now, ticket.slaDueAt) : -workingMsBetween(this.o.calendar, ticket.slaDueAt, now);
    const state: SlaState = now > ticket.slaDueAt ? 'late' : left <= this.o.slaWarningMs ? 'near' : 'ok';
    return { state, dueAt: ticket.slaDueAt, workingLeftMs: left };
  }

  /** Tickets for a filter, most urgent first: past SLA, then near it, then the oldest. */
  async list(filter: TicketFilter, me: string, query = ''): Promise<Ticket[]> {
    const q = query.trim().toLowerCase();
    const now = this.now();
    const rank: Record<SlaState, number> = { late: 0, near: 1, ok: 2, met: 3 };
    return (await this.o.store.tickets())
      .filter((t) => matchesFilter(t, filter, me))
      .filter((t) => q === '' || searchable(t).includes(q) || `#${t.id}` === q || String(t.id) === q)
      .sort((a, b) => {
        if (filter === 'closed') return (b.closedAt ?? 0) - (a.closedAt ?? 0);
        return rank[this.sla(a, now).state] - rank[this.sla(b, now).state] || a.createdAt - b.createdAt;
      });
  }

  /** Tickets not closed, by SLA state (metrics). */
  async openBySla(now = this.now()): Promise<Record<SlaState, number>> {
    const out: Record<SlaState, number> = { late: 0, near: 0, ok: 0, met: 0 };
    for (const t of await this.o.store.tickets({ statuses: ['open', 'claimed', 'answered'] })) out[this.sla(t, now).state]++;
    return out;
  }

  async counts(me: string): Promise<Record<TicketFilter, number> & { unread: number }> {
    const tickets = await this.o.store.tickets();
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
    const now = this.now();
    await this.o.store.updateTicket(
      ticket.id,
      (t) => {
        apply(t);
        t.updatedAt = now;
      },
      { audit: { at: now, actor: by, action, detail } },
    );
    this.bump();
  }

  audit(actor: string, action: string, ticketId: number | null, detail: string): Promise<void> {
    return this.o.store.audit({ at: this.now(), actor, action, ticketId, detail });
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
