import { lowerNfc, wordForms } from './fold.js';
import {
  ABBREVIATIONS,
  FILLER_ACCENTED,
  FILLER_PHRASES,
  FILLERS_UNACCENTED,
  PHRASE_REWRITES,
  WEEKDAY_NUMBERS,
} from './lexicon.js';

/** One word as the matcher sees it. */
export interface Token {
  /** Folded form: lower-case, no diacritics, đ→d. What the index is keyed on. */
  readonly text: string;
  /** NFC lower-case form when the user typed diacritics; null for plain ASCII or rewritten words. */
  readonly accented: string | null;
  /**
   * How the word is spelled, when the spelling tells something: the word as typed (NFC, lower-case) if it carries
   * marks or if the whole message was typed with diacritics (then "quan" really is "quan", not "quần"). Null in a
   * message typed without diacritics, and for expanded abbreviations.
   */
  readonly spelling: string | null;
}

export interface Normalized {
  /** Every word after abbreviation expansion and rewrites (fillers included): small-talk detection reads these. */
  readonly words: readonly Token[];
  /** The words that carry content: fillers and politeness removed. */
  readonly content: readonly Token[];
}

// Domain tokens that punctuation stripping or folding would destroy ("C/O" would become "co" = "có").
// Each with the characters it needs (one of): most texts have none of them, and a cheap search skips the pattern.
const PROTECT: ReadonlyArray<readonly [readonly string[], RegExp, string]> = [
  [['/', '.'], /(?<![\p{L}\p{N}])c\s*[/.]\s*o(?![\p{L}\p{N}])/gu, ' c_o '],
  [['/'], /(?<![\p{L}\p{N}])24\s*\/\s*7(?![\p{L}\p{N}])/gu, ' 24_7 '],
  [['/'], /(?<![\p{L}\p{N}])đ\s*\/\s*c(?![\p{L}\p{N}])/gu, ' dia chi '],
  [['%'], /%/gu, ' phan tram '],
  [['&'], /&/gu, ' va '],
];

const WORD = /[\p{L}\p{M}\p{N}_]+/gu;
const NUMBER_UNIT = /^(\d+)([a-z]+)(\d*)$/;
const NEGATION_OR_END = new Set(['khong', 'ko', 'k', 'kh', 'khg', 'a', 'nhe', 'nha', 'chu', 'roi', 'chua', 'ha', 'vay', 'ne']);
const ACCOUNT_CONTEXT = new Set(['vnaccs', 'vcis', 'ngan', 'dang', 'khai', 'dien', 'hai', 'ecus', 'nop']);
// "vat" is VAT, except in "động vật", "thực vật", "vật tư", "vật liệu"... typed without marks.
const VAT_BEFORE = new Set(['dong', 'thuc', 'do', 'hien', 'vat', 'sinh', 'nhan', 'cua']);
const VAT_AFTER = new Set(['tu', 'lieu', 'pham', 'dung', 'chat', 'nuoi', 'ly', 'the', 'kien', 'can', 'mau']);
// A filler phrase never eats the first half of these words ("cho hội nghị" keeps "hội").
const PROTECTED_BIGRAMS = new Set(['hoi nghi', 'hoi dong', 'hoi vien', 'hoi chu']);
// Accented words that may appear inside a filler phrase.
const PHRASE_ACCENTED = new Set([
  ...FILLER_ACCENTED, 'cho', 'muốn', 'cần', 'chút', 'xíu', 'biết', 'làm', 'ơn', 'vui', 'lòng', 'cảm', 'quan', 'hải',
  'bọn', 'chúng', 'bên', 'nhà',
]);
/** Groups patterns by their first word, so each position is tested only against patterns that can start there. */
function byFirstWord<T extends { readonly from: readonly string[] }>(patterns: readonly T[]): ReadonlyMap<string, readonly T[]> {
  const map = new Map<string, T[]>();
  for (const p of patterns) {
    const list = map.get(p.from[0]!) ?? [];
    list.push(p);
    map.set(p.from[0]!, list);
  }
  return map;
}
const FILLER_PHRASE_TOKENS = byFirstWord(FILLER_PHRASES.map((p) => ({ from: p.split(' ') })));
const REWRITE_TOKENS = byFirstWord(
  PHRASE_REWRITES.map(([from, to, flag]) => ({ from: from.split(' '), to: to.split(' '), plainFirst: flag === 'plain-first' })),
);

function rawWords(text: string): string[] {
  let s = lowerNfc(text);
  for (const [needed, pattern, replacement] of PROTECT) if (needed.some((c) => s.includes(c))) s = s.replace(pattern, replacement);
  const words: string[] = [];
  for (const w of s.match(WORD) ?? []) {
    const first = w.charCodeAt(0);
    const m = first >= 48 && first <= 57 ? NUMBER_UNIT.exec(w) : null;
    if (m) {
      words.push(m[1]!, m[2]!);
      if (m[3]) words.push(m[3]);
    } else {
      words.push(w);
    }
  }
  return words;
}

/** One raw word analysed once: its forms, and its token in a message typed with or without diacritics. */
class Word {
  readonly folded: string;
  readonly accented: string | null;
  readonly plain: boolean;
  readonly hasDigit: boolean;
  readonly inPlainMessage: Token;
  readonly inAccentedMessage: Token;

  constructor(readonly raw: string) {
    ({ folded: this.folded, accented: this.accented, plain: this.plain, hasDigit: this.hasDigit } = wordForms(raw));
    this.inPlainMessage = { text: this.folded, accented: this.accented, spelling: this.accented };
    this.inAccentedMessage = this.accented === null ? { text: this.folded, accented: null, spelling: raw } : this.inPlainMessage;
  }
}

// Chat text reuses a few thousand words, and so does the knowledge base: analysing each once (tokens are immutable,
// so they are shared) keeps normalisation cheap on the hot path and the index build short.
const analysed = new Map<string, Word>();
const ANALYSED_LIMIT = 50_000;

function analyse(raw: string): Word {
  let word = analysed.get(raw);
  if (word === undefined) {
    word = new Word(raw);
    if (analysed.size >= ANALYSED_LIMIT) analysed.clear();
    analysed.set(raw, word);
  }
  return word;
}

/** A message counts as typed with diacritics when this share of its words carry marks. */
const ACCENTED_MESSAGE_SHARE = 0.4;

function typedWithDiacritics(words: readonly Word[]): boolean {
  let letters = 0;
  let accented = 0;
  for (const w of words) {
    if (w.raw.length <= 1 || w.hasDigit) continue;
    letters++;
    if (w.accented !== null) accented++;
  }
  return letters > 0 && accented / letters >= ACCENTED_MESSAGE_SHARE;
}

/** Appends the tokens of words[i]: itself, or what its abbreviation stands for. */
function expandInto(out: Token[], words: readonly Word[], i: number, accentedMessage: boolean): void {
  const word = words[i]!;
  const token = accentedMessage ? word.inAccentedMessage : word.inPlainMessage;
  if (!word.plain) {
    out.push(token);
    return;
  }
  const { folded } = word;
  const nextFolded = words[i + 1]?.folded;
  let replacement: string | undefined;
  if (folded === 'dk') {
    replacement = nextFolded === undefined || NEGATION_OR_END.has(nextFolded) ? 'duoc' : 'dang ky';
  } else if (folded === 'vat') {
    const before = words[i - 1]?.folded;
    const isVat = !(before !== undefined && VAT_BEFORE.has(before)) && !(nextFolded !== undefined && VAT_AFTER.has(nextFolded));
    replacement = isVat ? 'gtgt' : undefined;
  } else if (folded === 'tk') {
    replacement = nextFolded !== undefined && ACCOUNT_CONTEXT.has(nextFolded) && nextFolded !== 'khai' ? 'tai khoan' : 'to khai';
  } else {
    replacement = ABBREVIATIONS[folded];
  }
  if (replacement === undefined) out.push(token);
  else for (const text of replacement.split(' ')) out.push({ text, accented: null, spelling: null });
}

function matchesAt(tokens: readonly Token[], at: number, pattern: readonly string[]): boolean {
  if (at + pattern.length > tokens.length) return false;
  return pattern.every((p, i) => tokens[at + i]!.text === p);
}

function applyRewrites(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; ) {
    const tok = tokens[i]!;
    const next = tokens[i + 1];
    if (tok.text === 'thu' && next !== undefined && WEEKDAY_NUMBERS[next.text] !== undefined) {
      out.push(tok, { text: WEEKDAY_NUMBERS[next.text]!, accented: null, spelling: null });
      i += 2;
      continue;
    }
    const rule = REWRITE_TOKENS.get(tok.text)?.find((r) => matchesAt(tokens, i, r.from) && !(r.plainFirst && tok.accented !== null));
    if (rule) {
      for (const text of rule.to) out.push({ text, accented: null, spelling: null });
      i += rule.from.length;
      continue;
    }
    out.push(tok);
    i += 1;
  }
  return out;
}

function isFillerWord(tok: Token): boolean {
  return tok.accented === null ? FILLERS_UNACCENTED.has(tok.text) : FILLER_ACCENTED.has(tok.accented);
}

function fillerPhraseAt(tokens: readonly Token[], at: number): number {
  for (const { from: phrase } of FILLER_PHRASE_TOKENS.get(tokens[at]!.text) ?? []) {
    if (!matchesAt(tokens, at, phrase)) continue;
    const inPhrase = tokens.slice(at, at + phrase.length);
    if (inPhrase.some((t) => t.accented !== null && !PHRASE_ACCENTED.has(t.accented))) continue;
    const last = inPhrase[inPhrase.length - 1]!;
    const after = tokens[at + phrase.length];
    if (after && PROTECTED_BIGRAMS.has(`${last.text} ${after.text}`)) continue;
    return phrase.length;
  }
  return 0;
}

function removeFillers(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; ) {
    const phraseLength = fillerPhraseAt(tokens, i);
    if (phraseLength > 0) {
      i += phraseLength;
      continue;
    }
    const tok = tokens[i]!;
    if (!isFillerWord(tok)) out.push(tok);
    i += 1;
  }
  return out;
}

/**
 * Vietnamese chat text → tokens: NFC/NFD-insensitive, lower-case, diacritics folded (keeping what was typed
 * for accent agreement), punctuation and emoji dropped, chat abbreviations and domain shorthands expanded,
 * politeness and filler separated from content.
 */
export function normalize(text: string): Normalized {
  const raw = rawWords(text).map(analyse);
  const accentedMessage = typedWithDiacritics(raw);
  const expanded: Token[] = [];
  for (let i = 0; i < raw.length; i++) expandInto(expanded, raw, i, accentedMessage);
  const words = applyRewrites(expanded);
  return { words, content: removeFillers(words) };
}

/** The folded content words as one string: what the index stores and what debugging output shows. */
export function contentText(text: string): string {
  return normalize(text)
    .content.map((t) => t.text)
    .join(' ');
}
