import type { LegalRegister } from './legal.js';

/** A link shown under an answer. */
export interface FaqLink {
  readonly title: string;
  readonly url: string;
}

/** One FAQ entry: one markdown file knowledge/<category>/<id>.md. */
export interface FaqEntry {
  readonly id: string;
  readonly category: string;
  /** Canonical question, with diacritics. */
  readonly question: string;
  readonly alternates: readonly string[];
  readonly tags: readonly string[];
  readonly legalBasis: readonly string[];
  readonly links: readonly FaqLink[];
  /** ISO date (YYYY-MM-DD) of the last review, or null when not given (drafts). */
  readonly reviewedOn: string | null;
  /** Drafts are loaded for admins but never served. */
  readonly draft: boolean;
  readonly sourceTicket: string | null;
  /** First and last day (YYYY-MM-DD, both included) the entry may be served as an answer; null: no limit. */
  readonly validFrom: string | null;
  readonly validUntil: string | null;
  /** Why the office must review the entry (a fact not confirmed from an official text), or null. */
  readonly needsReview: string | null;
  /** The answer's undated text and dated blocks, in order; what is shown on a day is `answerTextOn(parts, day)`. */
  readonly answerParts: readonly AnswerPart[];
  /**
   * Every part rendered as chat plain text (no footer), dated blocks included whatever the day: what the search
   * index and the admin pages read. Users are shown `answerTextOn(entry.answerParts, today)`.
   */
  readonly answerText: string;
  /** Path relative to the knowledge directory's parent, e.g. "knowledge/thue/hoan-thue.md". */
  readonly file: string;
  /** Where things are in the file, for reports. */
  readonly lines: EntryLines;
}

export interface EntryLines {
  readonly question: number;
  readonly alternates: readonly number[];
  readonly legalBasis: readonly number[];
  readonly reviewedOn: number;
  readonly validFrom: number;
  readonly validUntil: number;
  readonly needsReview: number;
}

/** A piece of an answer: undated text (from and until null) or a dated block ("::: từ … đến …"). */
/** Kept rendered only: the markdown stays in the file (the editor reads it there), not in memory ×10,000 entries. */
export interface AnswerPart {
  /** Rendered as chat plain text, variables filled in. */
  readonly text: string;
  readonly from: string | null;
  readonly until: string | null;
  /** Line of the block's opening marker (or of the undated text) in the file. */
  readonly line: number;
}

export interface Category {
  readonly id: string;
  readonly title: string;
}

/** A validated knowledge base: what the bot serves. Immutable; a reload builds a new one. */
export interface KnowledgeBase {
  /** Served entries (drafts excluded), sorted by category then id. */
  readonly entries: readonly FaqEntry[];
  readonly drafts: readonly FaqEntry[];
  /** Drafts left out because they are invalid or reuse an id: listed for admins to fix or reject. */
  readonly brokenDrafts: readonly BrokenDraft[];
  readonly byId: ReadonlyMap<string, FaqEntry>;
  readonly categories: readonly Category[];
  readonly variables: Readonly<Record<string, string>>;
  /** knowledge/_legal.yml: the documents cited and when they change. */
  readonly legal: LegalRegister;
  readonly warnings: readonly KnowledgeProblem[];
}

export interface BrokenDraft {
  readonly category: string;
  readonly id: string;
  readonly file: string;
  readonly problems: readonly KnowledgeProblem[];
}

/** A change written to one knowledge file, and how to take it back if the reload it triggers is refused. */
export interface KnowledgeEdit {
  readonly file: string;
  undo(): Promise<void>;
}

export type Severity = 'error' | 'warning';

/** A problem in a knowledge file, reported as `file:line: message`. */
export interface KnowledgeProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
  readonly severity: Severity;
}

export function formatProblem(p: KnowledgeProblem): string {
  return `${p.file}:${p.line}: ${p.severity === 'warning' ? 'cảnh báo: ' : ''}${p.message}`;
}

/** Thrown when the knowledge base cannot be served; carries every problem found, not just the first. */
export class KnowledgeBaseError extends Error {
  constructor(readonly problems: readonly KnowledgeProblem[]) {
    super(
      `Cơ sở tri thức có ${problems.filter((p) => p.severity === 'error').length} lỗi:\n` +
        problems.map(formatProblem).join('\n'),
    );
    this.name = 'KnowledgeBaseError';
  }
}
