import { createHash } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChannelName, Decision, Outcome } from '../conversation/types.js';

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

const monthOf = (t: number) => new Date(t + 7 * 3600_000).toISOString().slice(0, 7);

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
    this.writing = this.writing.then(async () => {
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

  /** Removes every line of one user (a deletion request); returns how many. */
  async forget(channel: ChannelName, userId: string): Promise<number> {
    await this.flush();
    const key = this.userKey(channel, userId);
    let removed = 0;
    for (const file of await this.files()) {
      const full = path.join(this.dir, file);
      const lines = (await readFile(full, 'utf8')).split('\n').filter((l) => l.trim() !== '');
      const kept = lines.filter((l) => !l.includes(`"u":"${key}"`));
      if (kept.length === lines.length) continue;
      removed += lines.length - kept.length;
      await writeFile(`${full}.tmp`, kept.length ? `${kept.join('\n')}\n` : '');
      await rename(`${full}.tmp`, full);
    }
    return removed;
  }

  private async files(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((f) => /^\d{4}-\d{2}\.jsonl$/.test(f)).sort();
    } catch {
      return [];
    }
  }
}
