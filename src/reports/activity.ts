import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChannelName, Decision, Outcome } from '../conversation/types.js';
import { vietnamMonth } from '../days.js';

/**
 * One line per message the bot handled, for the activity reports: no message text and no platform id (users are
 * a salted hash), so the log can be kept after transcripts are deleted. Monthly files DATA_DIR/activity/YYYY-MM.jsonl,
 * appended: the reports read only the months they need and the main database stays small.
 */
export interface Activity {
  readonly at: number;
  readonly ch: ChannelName;
  /** Hash of channel + user id. */
  readonly u: string;
  readonly d: Decision;
  readonly v: Outcome['via'];
  /** The answered entry (answers and taps), null otherwise. */
  readonly e: string | null;
  readonly s: number;
}

/** The end of any period: every line. */
export const ALL_TIME = Date.parse('9999-12-31T00:00:00Z');

const monthOf = vietnamMonth;

export class ActivityLog {
  private buffer: string[] = [];
  private bufferMonth: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly salt: string,
  ) {}

  /** The pseudonym of a user in the log. */
  userKey(channel: ChannelName, userId: string): string {
    return createHash('sha256').update(`${this.salt}:${channel}:${userId}`).digest('hex').slice(0, 24);
  }

  record(channel: ChannelName, userId: string, outcome: Outcome, at: number): void {
    const line: Activity = { at, ch: channel, u: this.userKey(channel, userId), d: outcome.decision, v: outcome.via, e: outcome.entryId, s: Math.round(outcome.score * 1000) / 1000 };
    const month = monthOf(at);
    if (this.bufferMonth !== null && month !== this.bufferMonth) void this.flush();
    this.bufferMonth = month;
    this.buffer.push(JSON.stringify(line));
    this.timer ??= setTimeout(() => void this.flush(), 1000);
  }

  /** Writes what is buffered (a crash loses at most a second of statistics, never a message). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const lines = this.buffer;
    const month = this.bufferMonth;
    this.buffer = [];
    if (lines.length === 0 || month === null) return this.writing;
    // A failed append (disk full) must not stop the later ones.
    this.writing = this.writing.catch(() => undefined).then(async () => {
      await mkdir(this.dir, { recursive: true });
      await appendFile(path.join(this.dir, `${month}.jsonl`), `${lines.join('\n')}\n`);
    });
    return this.writing;
  }

  /** Activity in [from, to). */
  async read(from: number, to: number): Promise<Activity[]> {
    await this.flush();
    const out: Activity[] = [];
    for (const file of await this.files()) {
      const month = file.slice(0, 7);
      if (month < monthOf(from) || month > monthOf(to - 1)) continue;
      for (const line of (await readFile(path.join(this.dir, file), 'utf8')).split('\n')) {
        if (line.trim() === '') continue;
        try {
          const a = JSON.parse(line) as Activity;
          if (a.at >= from && a.at < to) out.push(a);
        } catch {
          // a torn line after a crash
        }
      }
    }
    return out;
  }

  /**
   * Unlinks one user's lines from them (a deletion request): their pseudonym is replaced by a random one, so the
   * counts stay and nothing leads back to the person. Returns how many lines.
   */
  async forget(channel: ChannelName, userId: string): Promise<number> {
    const key = this.userKey(channel, userId);
    const replacement = `x${randomBytes(12).toString('hex')}`;
    return this.rewrite(() => true, () => (u) => (u === key ? replacement : u));
  }

  /**
   * Retention: in the months before `month` (YYYY-MM), every pseudonym is replaced by one drawn afresh for that
   * file. Distinct users still count within a month, but no line can be tied to a person or to their other months.
   */
  async unlinkBefore(month: string): Promise<number> {
    return this.rewrite(
      (file) => file.slice(0, 7) < month,
      () => {
        const secret = randomBytes(16);
        return (u) => (u.startsWith('x') ? u : `x${createHmac('sha256', secret).update(u).digest('hex').slice(0, 24)}`);
      },
    );
  }

  /** One user's lines, for an access request. */
  async linesOf(channel: ChannelName, userId: string): Promise<Activity[]> {
    const key = this.userKey(channel, userId);
    return (await this.read(0, ALL_TIME)).filter((a) => a.u === key);
  }

  /**
   * Rewrites the `u` of every line of the chosen files; returns how many lines changed. `mapperFor` is called once
   * per file (retention draws a fresh secret for each month). Queued behind appends, so no line is lost.
   */
  private async rewrite(pick: (file: string) => boolean, mapperFor: () => (u: string) => string): Promise<number> {
    await this.flush();
    const job = this.writing.catch(() => undefined).then(async () => {
      let changed = 0;
      for (const file of (await this.files()).filter(pick)) {
        const map = mapperFor();
        const full = path.join(this.dir, file);
        let fileChanged = 0;
        const lines = (await readFile(full, 'utf8')).split('\n').filter((l) => l.trim() !== '').map((line) => {
          try {
            const a = JSON.parse(line) as Activity;
            const u = map(a.u);
            if (u === a.u) return line;
            fileChanged++;
            return JSON.stringify({ ...a, u });
          } catch {
            return line;
          }
        });
        if (fileChanged === 0) continue;
        changed += fileChanged;
        await writeFile(`${full}.tmp`, `${lines.join('\n')}\n`);
        await rename(`${full}.tmp`, full);
      }
      return changed;
    });
    this.writing = job.then(
      () => undefined,
      () => undefined,
    );
    return job;
  }

  private async files(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((f) => /^\d{4}-\d{2}\.jsonl$/.test(f)).sort();
    } catch {
      return [];
    }
  }
}
