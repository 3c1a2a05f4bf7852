import { addDays, daysBetween } from '../days.js';
import { isValidOn } from './dated.js';
import { changeTouches, citationKey, citedDocuments, type LegalChange, type LegalDocument, type LegalRegister } from './legal.js';
import type { AnswerPart, FaqEntry } from './types.js';

/**
 * The knowledge base judged on a day against the legal register and its own dates: which citations are out of date,
 * what changes soon, which dated statements ended or start soon, which entries are outside their validity, and which
 * are marked for the office's review. Pure: a function of the register, the entries and the day.
 */
export interface Timeline {
  readonly asOf: string;
  readonly lookaheadDays: number;
  /** A citation of a document replaced, repealed or expired on or before the day, without its replacement. */
  readonly outdated: readonly OutdatedCitation[];
  /** A citation of a document not yet in force on the day. */
  readonly notYetInForce: readonly CitationOf[];
  /** Changes taking effect after the day, within the lookahead, with the citations they touch. */
  readonly upcoming: readonly UpcomingChange[];
  readonly statements: readonly DatedStatement[];
  readonly entries: readonly EntryValidity[];
  readonly reviews: readonly FaqEntry[];
}

export interface CitationOf {
  readonly entry: FaqEntry;
  /** Line of the legal_basis item in the entry's file. */
  readonly line: number;
  readonly doc: LegalDocument;
  readonly articles: readonly string[];
}

export interface OutdatedCitation extends CitationOf {
  readonly change: LegalChange;
  /** The change concerns other articles than the citation names (the citation names none). */
  readonly partial: boolean;
}

export interface UpcomingChange {
  readonly doc: LegalDocument;
  readonly change: LegalChange & { readonly from: string };
  readonly inDays: number;
  readonly citations: readonly CitationOf[];
}

export interface DatedStatement {
  readonly entry: FaqEntry;
  readonly part: AnswerPart;
  /** ended: its last day has passed; starts / ends: it starts or ends within the lookahead. */
  readonly state: 'ended' | 'starts' | 'ends';
  /** The day the shown text changes: the block's first day, or the day after its last. */
  readonly day: string;
  readonly inDays: number;
}

export interface EntryValidity {
  readonly entry: FaqEntry;
  /** expired / not-yet: not served on the day; ends / starts: within the lookahead. */
  readonly state: 'expired' | 'not-yet' | 'ends' | 'starts';
  /** The day the entry stops (day after valid_until) or starts being served. */
  readonly day: string;
  readonly inDays: number;
}

/** Every citation of a register document in the entries' legal_basis. */
export function citationsOf(entries: readonly FaqEntry[], register: LegalRegister): CitationOf[] {
  return entries.flatMap((entry) =>
    entry.legalBasis.flatMap((text, i) => citedDocuments(text, register.documents).map((c) => ({ entry, line: entry.lines.legalBasis[i] ?? 1, doc: c.doc, articles: c.articles }))),
  );
}

/** Whether an entry cites a document (by number or alias) anywhere in its legal basis. */
export function entryCites(entry: FaqEntry, number: string, register: LegalRegister): boolean {
  const key = citationKey(number);
  return entry.legalBasis.some((line) => citationKey(line).includes(key) || citedDocuments(line, register.documents).some((c) => citationKey(c.doc.number) === key));
}

/** A change that ends what it concerns: after it, citing the document alone is out of date. */
const ends = (c: LegalChange) => c.kind !== 'amended';

export function judgeTimeline(entries: readonly FaqEntry[], register: LegalRegister, asOf: string, lookaheadDays: number): Timeline {
  const horizon = addDays(asOf, lookaheadDays);
  const citations = citationsOf(entries, register);
  // Citing the replacement next to the old document ("169/2026, thay thế 128/2020") is the way to update an entry.
  const handled = (c: CitationOf, change: LegalChange) => change.by !== null && entryCites(c.entry, change.by, register);

  const outdated: OutdatedCitation[] = [];
  for (const c of citations) {
    const change = c.doc.changes.find((ch) => ends(ch) && (ch.from === null || ch.from <= asOf) && changeTouches(ch, c.articles) && !handled(c, ch));
    if (change) outdated.push({ ...c, change, partial: change.articles.length > 0 && c.articles.length === 0 });
  }

  // Content written for that day in a dated block ("::: từ <effective>") is the right way to cite a coming law.
  const notYetInForce = citations.filter((c) => c.doc.effective !== null && asOf < c.doc.effective && !c.entry.answerParts.some((p) => p.from === c.doc.effective));

  const upcoming: UpcomingChange[] = register.documents.flatMap((doc) =>
    doc.changes
      .filter((ch): ch is LegalChange & { from: string } => ch.from !== null && asOf < ch.from && ch.from <= horizon)
      .map((change) => ({
        doc,
        change,
        inDays: daysBetween(asOf, change.from),
        citations: citations.filter((c) => c.doc === doc && changeTouches(change, c.articles) && !(ends(change) && handled(c, change))),
      })),
  );
  upcoming.sort((a, b) => a.change.from.localeCompare(b.change.from));

  const statements: DatedStatement[] = entries.flatMap((entry) =>
    entry.answerParts.flatMap((part): DatedStatement[] => {
      const out: DatedStatement[] = [];
      const after = part.until ? addDays(part.until, 1) : null;
      if (after && after <= asOf) out.push({ entry, part, state: 'ended', day: after, inDays: daysBetween(asOf, after) });
      if (part.from && asOf < part.from && part.from <= horizon) out.push({ entry, part, state: 'starts', day: part.from, inDays: daysBetween(asOf, part.from) });
      if (after && asOf < after && after <= horizon) out.push({ entry, part, state: 'ends', day: after, inDays: daysBetween(asOf, after) });
      return out;
    }),
  );

  const validity: EntryValidity[] = entries.flatMap((entry): EntryValidity[] => {
    const stop = entry.validUntil ? addDays(entry.validUntil, 1) : null;
    if (!isValidOn(entry, asOf)) {
      return stop && stop <= asOf
        ? [{ entry, state: 'expired', day: stop, inDays: daysBetween(asOf, stop) }]
        : [{ entry, state: 'not-yet', day: entry.validFrom!, inDays: daysBetween(asOf, entry.validFrom!) }];
    }
    return stop && stop <= horizon ? [{ entry, state: 'ends', day: stop, inDays: daysBetween(asOf, stop) }] : [];
  });
  for (const entry of entries) {
    if (entry.validFrom && asOf < entry.validFrom && entry.validFrom <= horizon) {
      const i = validity.findIndex((v) => v.entry === entry && v.state === 'not-yet');
      if (i >= 0) validity[i] = { ...validity[i]!, state: 'starts' };
    }
  }

  return {
    asOf,
    lookaheadDays,
    outdated,
    notYetInForce,
    upcoming,
    statements,
    entries: validity,
    reviews: entries.filter((e) => e.needsReview !== null),
  };
}
