import { addDays } from '../days.js';
import { isValidOn } from './dated.js';
import { changeTouches, citationKey, type ChangeKind, type LegalRegister } from './legal.js';
import { citationsOf, entryCites } from './timeline.js';
import type { FaqEntry } from './types.js';

/** "What's new" looks this many days back and ahead. */
export const NEWS_WINDOW_DAYS = 90;

/** A document taking effect, or a time-limited one ending, with what it changes and the entries it concerns. */
export interface LegalNewsItem {
  /** effective: the document applies from `day`; expires: `day` is its last day. */
  readonly kind: 'effective' | 'expires';
  readonly day: string;
  readonly number: string;
  readonly title: string | null;
  /** What the document does to others: "thay thế 85/2019/NĐ-CP". */
  readonly changes: ReadonlyArray<{ readonly kind: Exclude<ChangeKind, 'expires'>; readonly number: string; readonly articles: readonly string[] }>;
  /** Served entries (valid on the day) citing it or a document it changes, or named in its `topics`. */
  readonly entries: readonly FaqEntry[];
}

export interface LegalNews {
  readonly day: string;
  /** In force within the last `windowDays` (up to today), newest first. */
  readonly recent: readonly LegalNewsItem[];
  /** Taking effect or ending within the next `windowDays`, soonest first. */
  readonly upcoming: readonly LegalNewsItem[];
}

/**
 * From the register, the documents that took effect in the last `windowDays` and those taking effect (or, for a
 * time-limited rule, ending) in the next `windowDays`. Pure: a function of the register, the entries and the day.
 */
export function legalNews(entries: readonly FaqEntry[], register: LegalRegister, day: string, windowDays = NEWS_WINDOW_DAYS): LegalNews {
  const first = addDays(day, -windowDays);
  const last = addDays(day, windowDays);
  const inWindow = (d: string) => first <= d && d <= last;
  const served = entries.filter((e) => isValidOn(e, day));
  const citations = citationsOf(served, register);
  const docOf = (number: string) => register.documents.find((d) => citationKey(d.number) === citationKey(number));

  type Draft = { kind: LegalNewsItem['kind']; day: string; number: string; title: string | null; changes: Array<LegalNewsItem['changes'][number]>; entries: Set<FaqEntry> };
  const items = new Map<string, Draft>();
  const item = (kind: Draft['kind'], when: string, number: string): Draft => {
    const key = `${kind} ${citationKey(number)}`;
    let d = items.get(key);
    if (!d) {
      d = { kind, day: when, number, title: docOf(number)?.title ?? null, changes: [], entries: new Set() };
      items.set(key, d);
    }
    return d;
  };
  const concerns = (d: Draft, number: string) => {
    for (const e of served) if (entryCites(e, number, register)) d.entries.add(e);
    for (const id of docOf(number)?.topics ?? []) {
      const e = served.find((s) => s.id === id);
      if (e) d.entries.add(e);
    }
  };

  for (const doc of register.documents) {
    if (doc.effective && inWindow(doc.effective)) concerns(item('effective', doc.effective, doc.number), doc.number);
    for (const change of doc.changes) {
      if (change.kind === 'expires') {
        if (change.from && inWindow(change.from)) concerns(item('expires', addDays(change.from, -1), doc.number), doc.number);
        continue;
      }
      if (!change.by) continue;
      // The changing document takes effect on its own date when the register has one, else on the change's.
      const when = docOf(change.by)?.effective ?? change.from;
      if (!when || !inWindow(when)) continue;
      const d = item('effective', when, change.by);
      concerns(d, change.by);
      d.changes.push({ kind: change.kind, number: doc.number, articles: change.articles });
      for (const c of citations) if (c.doc === doc && changeTouches(change, c.articles)) d.entries.add(c.entry);
    }
  }

  const done = [...items.values()].map((d): LegalNewsItem => ({ ...d, entries: [...d.entries] }));
  // An ending is news on the day after its last day; a document taking effect, on that day.
  const changesOn = (i: LegalNewsItem) => (i.kind === 'expires' ? addDays(i.day, 1) : i.day);
  return {
    day,
    recent: done.filter((i) => changesOn(i) <= day).sort((a, b) => changesOn(b).localeCompare(changesOn(a))),
    upcoming: done.filter((i) => changesOn(i) > day).sort((a, b) => changesOn(a).localeCompare(changesOn(b))),
  };
}
