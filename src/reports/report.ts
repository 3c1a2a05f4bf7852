import type { ChannelName } from '../conversation/types.js';
import { workingMsBetween, type WorkingCalendar } from '../inbox/working-time.js';
import type { FeedbackRecord, StaffUser, Ticket } from '../store/schema.js';
import type { Activity } from './activity.js';

/** Everything a report is computed from; the computation itself is pure. */
export interface ReportInput {
  readonly from: number;
  readonly to: number;
  readonly activity: readonly Activity[];
  readonly tickets: readonly Ticket[];
  readonly feedback: readonly FeedbackRecord[];
  readonly calendar: WorkingCalendar;
  readonly staff: readonly StaffUser[];
  readonly entryQuestions: ReadonlyMap<string, string>;
  /** Knowledge gaps of the period (sizes and key words only: reports never carry message text). */
  readonly gaps: ReadonlyArray<{ readonly size: number; readonly terms: readonly string[] }>;
}

export interface ChannelFigures {
  readonly channel: ChannelName | 'total';
  /** A user's messages with less than 30 minutes between them. */
  readonly conversations: number;
  /** Distinct users (enterprises). */
  readonly users: number;
  /** Typed questions (including requests for a person); taps on choices are not new questions. */
  readonly questions: number;
  /** Answered from the FAQ directly, or by a choice the user picked among suggestions or the menu. */
  readonly answeredAutomatically: number;
  readonly answeredRate: number | null;
  readonly suggestionsAccepted: number;
  /** Tickets opened. */
  readonly escalated: number;
  /** Tickets that got a first officer reply in the period. */
  readonly ticketsAnswered: number;
  /** First-response time of tickets opened in the period, in working hours. */
  readonly firstResponseMedianHours: number | null;
  readonly firstResponseP90Hours: number | null;
  readonly slaMetRate: number | null;
  readonly helpfulRate: number | null;
  readonly meanRating: number | null;
}

export interface Report {
  readonly from: number;
  readonly to: number;
  readonly channels: readonly ChannelFigures[];
  readonly topEntries: ReadonlyArray<{ readonly id: string; readonly question: string; readonly answers: number }>;
  readonly helpfulness: ReadonlyArray<{ readonly id: string; readonly question: string; readonly up: number; readonly down: number; readonly rate: number }>;
  readonly ratings: { readonly count: number; readonly mean: number | null; readonly byOfficer: ReadonlyArray<{ readonly officer: string; readonly count: number; readonly mean: number }> };
  readonly gaps: ReadonlyArray<{ readonly size: number; readonly terms: readonly string[] }>;
  /** Per week (Monday, Vietnam time): messages by outcome. */
  readonly weekly: ReadonlyArray<{ readonly week: string; readonly answer: number; readonly suggest: number; readonly escalate: number; readonly smalltalk: number }>;
  /** First-response times (working hours) of the period's tickets, for the histogram. */
  readonly responseHours: readonly number[];
}

const SESSION_GAP_MS = 30 * 60 * 1000;
const HOUR = 3600_000;
const VN = 7 * HOUR;

/** The value at quantile q (nearest rank) of sorted numbers. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const ratio = (n: number, d: number) => (d === 0 ? null : n / d);
const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

function sessions(activity: readonly Activity[]): number {
  const byUser = new Map<string, number[]>();
  for (const a of activity) {
    const list = byUser.get(`${a.ch}:${a.u}`) ?? [];
    list.push(a.at);
    byUser.set(`${a.ch}:${a.u}`, list);
  }
  let n = 0;
  for (const times of byUser.values()) {
    times.sort((a, b) => a - b);
    n += 1 + times.slice(1).filter((t, i) => t - times[i]! >= SESSION_GAP_MS).length;
  }
  return n;
}

function figures(channel: ChannelFigures['channel'], input: ReportInput, activity: readonly Activity[], tickets: readonly Ticket[], feedback: readonly FeedbackRecord[]): ChannelFigures {
  const inPeriod = (t: number | null | undefined) => t !== null && t !== undefined && t >= input.from && t < input.to;
  const questions = activity.filter((a) => a.v === 'question' || a.v === 'human-request').length;
  const direct = activity.filter((a) => a.v === 'question' && a.d === 'answer').length;
  const accepted = activity.filter((a) => a.v === 'choice' && a.d === 'answer').length;
  const opened = tickets.filter((t) => inPeriod(t.createdAt));
  const responseHours = opened
    .filter((t) => t.firstResponseAt !== null)
    .map((t) => workingMsBetween(input.calendar, t.createdAt, t.firstResponseAt!) / HOUR)
    .sort((a, b) => a - b);
  // SLA: of the tickets whose deadline has come (answered, or overdue now), how many were answered in time.
  const judged = opened.filter((t) => t.firstResponseAt !== null || t.slaDueAt < input.to);
  const met = judged.filter((t) => t.firstResponseAt !== null && t.firstResponseAt <= t.slaDueAt).length;
  const up = feedback.filter((f) => f.helpful).length;
  const ratings = tickets.filter((t) => t.rating && inPeriod(t.rating.at)).map((t) => t.rating!.stars);
  return {
    channel,
    conversations: sessions(activity),
    users: new Set(activity.map((a) => `${a.ch}:${a.u}`)).size,
    questions,
    answeredAutomatically: direct + accepted,
    answeredRate: round2(ratio(direct + accepted, questions)),
    suggestionsAccepted: accepted,
    escalated: opened.length,
    ticketsAnswered: tickets.filter((t) => inPeriod(t.firstResponseAt)).length,
    firstResponseMedianHours: round2(quantile(responseHours, 0.5)),
    firstResponseP90Hours: round2(quantile(responseHours, 0.9)),
    slaMetRate: round2(ratio(met, judged.length)),
    helpfulRate: round2(ratio(up, feedback.length)),
    meanRating: round2(ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : null),
  };
}

/** Monday (YYYY-MM-DD, Vietnam time) of the week containing t. */
export function weekOf(t: number): string {
  const local = new Date(t + VN);
  const day = (local.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - day)).toISOString().slice(0, 10);
}

export function buildReport(input: ReportInput): Report {
  const within = (t: number) => t >= input.from && t < input.to;
  const activity = input.activity.filter((a) => within(a.at));
  const feedback = input.feedback.filter((f) => within(f.at));
  const channels = [...new Set<ChannelName>([...activity.map((a) => a.ch), ...input.tickets.filter((t) => within(t.createdAt)).map((t) => t.channel)])].sort();
  const rows = channels.map((ch) =>
    figures(ch, input, activity.filter((a) => a.ch === ch), input.tickets.filter((t) => t.channel === ch), feedback.filter((f) => f.channel === ch)),
  );
  const total = figures('total', input, activity, input.tickets, feedback);

  const answers = new Map<string, number>();
  for (const a of activity) if (a.d === 'answer' && a.e) answers.set(a.e, (answers.get(a.e) ?? 0) + 1);
  const helpful = new Map<string, { up: number; down: number }>();
  for (const f of feedback) {
    const h = helpful.get(f.entryId) ?? { up: 0, down: 0 };
    if (f.helpful) h.up++;
    else h.down++;
    helpful.set(f.entryId, h);
  }
  const rated = input.tickets.filter((t) => t.rating && within(t.rating.at));
  const byOfficer = new Map<string, number[]>();
  for (const t of rated) {
    const name = input.staff.find((s) => s.id === t.rating!.officer)?.displayName ?? '(không rõ)';
    byOfficer.set(name, [...(byOfficer.get(name) ?? []), t.rating!.stars]);
  }
  const weeks = new Map<string, { week: string; answer: number; suggest: number; escalate: number; smalltalk: number }>();
  for (const a of activity) {
    const week = weekOf(a.at);
    const w = weeks.get(week) ?? { week, answer: 0, suggest: 0, escalate: 0, smalltalk: 0 };
    w[a.d]++;
    weeks.set(week, w);
  }
  const responseHours = input.tickets
    .filter((t) => within(t.createdAt) && t.firstResponseAt !== null)
    .map((t) => workingMsBetween(input.calendar, t.createdAt, t.firstResponseAt!) / HOUR);
  const question = (id: string) => input.entryQuestions.get(id) ?? id;
  const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;

  return {
    from: input.from,
    to: input.to,
    channels: [...rows, total],
    topEntries: [...answers].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10).map(([id, n]) => ({ id, question: question(id), answers: n })),
    helpfulness: [...helpful]
      .map(([id, h]) => ({ id, question: question(id), up: h.up, down: h.down, rate: Math.round((h.up / (h.up + h.down)) * 100) / 100 }))
      .sort((a, b) => a.rate - b.rate || b.down - a.down),
    ratings: {
      count: rated.length,
      mean: rated.length ? mean(rated.map((t) => t.rating!.stars)) : null,
      byOfficer: [...byOfficer].map(([officer, stars]) => ({ officer, count: stars.length, mean: mean(stars) })).sort((a, b) => b.count - a.count),
    },
    gaps: input.gaps.slice(0, 10),
    weekly: [...weeks.values()].sort((a, b) => a.week.localeCompare(b.week)),
    responseHours,
  };
}
