import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { ChannelName, Outcome } from '../conversation/types.js';
import type { ActivityLine, ActivityStore } from '../store/types.js';

/**
 * One line per message the bot handled, for the activity reports: no message text and no platform id (users are
 * a salted hash), so the log can be kept after transcripts are deleted. Where lines are kept is the ActivityStore's
 * business (monthly files, or a table).
 */
export type Activity = ActivityLine;

/** The end of any period: every line. */
export const ALL_TIME = Date.parse('9999-12-31T00:00:00Z');


export class ActivityLog {
  private buffer: Activity[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: ActivityStore,
    private readonly salt: string,
  ) {}

  /** The pseudonym of a user in the log. */
  userKey(channel: ChannelName, userId: string): string {
    return createHash('sha256').update(`${this.salt}:${channel}:${userId}`).digest('hex').slice(0, 24);
  }

  record(channel: ChannelName, userId: string, outcome: Outcome, at: number): void {
    this.buffer.push({ at, ch: channel, u: this.userKey(channel, userId), d: outcome.decision, v: outcome.via, e: outcome.entryId, s: Math.round(outcome.score * 1000) / 1000 });
    this.timer ??= setTimeout(() => void this.flush(), 1000);
  }

  /** Writes what is buffered (a crash loses at most a second of statistics, never a message). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const lines = this.buffer;
    this.buffer = [];
    if (lines.length === 0) return this.writing;
    this.writing = this.writing.catch(() => undefined).then(() => this.store.append(lines));
    return this.writing;
  }

  /** Activity in [from, to). */
  async read(from: number, to: number): Promise<Activity[]> {
    await this.flush().catch(() => undefined);
    return this.store.read({ from, to });
  }

  /**
   * Unlinks one user's lines from them (a deletion request): their pseudonym is replaced by a random one, so the
   * counts stay and nothing leads back to the person. Returns how many lines.
   */
  async forget(channel: ChannelName, userId: string): Promise<number> {
    await this.flush().catch(() => undefined);
    const replacement = `x${randomBytes(12).toString('hex')}`;
    return this.store.rewriteUsers({ user: this.userKey(channel, userId) }, () => () => replacement);
  }

  /**
   * Retention: in the months before `month` (YYYY-MM), every pseudonym is replaced by one drawn afresh for that
   * month. Distinct users still count within a month, but no line can be tied to a person or to their other months.
   */
  async unlinkBefore(month: string): Promise<number> {
    await this.flush().catch(() => undefined);
    return this.store.rewriteUsers({ before: month }, () => {
      const secret = randomBytes(16);
      return (u) => (u.startsWith('x') ? u : `x${createHmac('sha256', secret).update(u).digest('hex').slice(0, 24)}`);
    });
  }

  /** One user's lines, for an access request. */
  async linesOf(channel: ChannelName, userId: string): Promise<Activity[]> {
    const key = this.userKey(channel, userId);
    return (await this.read(0, ALL_TIME)).filter((a) => a.u === key);
  }
}
