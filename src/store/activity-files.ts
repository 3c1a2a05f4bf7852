import { appendFile, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { vietnamMonth } from '../days.js';
import type { ActivityLine, ActivityStore, TimeRange } from './types.js';

export const ACTIVITY_DIR = 'activity';

/**
 * The activity log of the embedded store: monthly files DATA_DIR/activity/YYYY-MM.jsonl, appended, so reports read
 * only the months they need and the main database stays small. Writes are queued one after another, so a rewrite
 * (retention, a deletion request) never loses a line appended meanwhile.
 */
export class FileActivityStore implements ActivityStore {
  private writing: Promise<unknown> = Promise.resolve();

  constructor(private readonly dir: string) {}

  static at(dataDir: string): FileActivityStore {
    return new FileActivityStore(path.join(dataDir, ACTIVITY_DIR));
  }

  append(lines: readonly ActivityLine[]): Promise<void> {
    const byMonth = new Map<string, string[]>();
    for (const line of lines) {
      const month = vietnamMonth(line.at);
      byMonth.set(month, [...(byMonth.get(month) ?? []), JSON.stringify(line)]);
    }
    return this.queue(async () => {
      await mkdir(this.dir, { recursive: true });
      for (const [month, text] of byMonth) await appendFile(path.join(this.dir, `${month}.jsonl`), `${text.join('\n')}\n`);
    });
  }

  async read(range: TimeRange): Promise<ActivityLine[]> {
    await this.writing.catch(() => undefined);
    const out: ActivityLine[] = [];
    for (const file of await this.files()) {
      const month = file.slice(0, 7);
      if (month < vietnamMonth(range.from) || month > vietnamMonth(range.to - 1)) continue;
      for (const a of parse(await readFile(path.join(this.dir, file), 'utf8'))) if (a.at >= range.from && a.at < range.to) out.push(a);
    }
    return out;
  }

  rewriteUsers(pick: { readonly before?: string; readonly user?: string }, map: (month: string) => (u: string) => string): Promise<number> {
    return this.queue(async () => {
      let changed = 0;
      for (const file of await this.files()) {
        const month = file.slice(0, 7);
        if (pick.before !== undefined && !(month < pick.before)) continue;
        const mapper = map(month);
        const full = path.join(this.dir, file);
        let fileChanged = 0;
        const lines = (await readFile(full, 'utf8')).split('\n').filter((l) => l.trim() !== '').map((line) => {
          try {
            const a = JSON.parse(line) as ActivityLine;
            if (pick.user !== undefined && a.u !== pick.user) return line;
            const u = mapper(a.u);
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
  }

  private queue<T>(task: () => Promise<T>): Promise<T> {
    // A failed append (disk full) must not stop the later ones.
    const run = this.writing.catch(() => undefined).then(task);
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async files(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((f) => /^\d{4}-\d{2}\.jsonl$/.test(f)).sort();
    } catch {
      return [];
    }
  }
}

function parse(text: string): ActivityLine[] {
  const out: ActivityLine[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as ActivityLine);
    } catch {
      // a torn line after a crash
    }
  }
  return out;
}
