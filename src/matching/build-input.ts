import { PROTOTYPE_QUESTIONS, usesPrototypes, type QuestionWords } from './learned.js';
import { normalize } from './normalize.js';

/** What a worker thread reads to help build an index: each entry's questions and answer, and the out-of-scope questions. */
export interface BuildInput {
  readonly questions: readonly (readonly string[])[];
  readonly outOfScope: readonly string[];
  readonly answers: readonly string[];
  /** The worker normalises the questions of entries from this one on; the main thread, those before. */
  readonly split: number;
}

/** A content word and how it was spelled: all the index keeps of an answer's words. */
export interface SpelledWord {
  readonly text: string;
  readonly spelling: string | null;
}

/** A text's content words (folded), as the learned scorer reads them. */
export function contentWords(text: string): string[] {
  return normalize(text).content.map((t) => t.text);
}

/** An answer's distinct content words (a word's tokens are one shared object, normalize.ts): long answers repeat. */
export function answerWords(answer: string): SpelledWord[] {
  return [...new Set(normalize(answer).content)];
}

/**
 * Lists of spelled words packed to cross threads cheaply: the distinct words once (text, spelling or "", …) and each
 * list as numbers (millions of strings made the message itself cost seconds to read).
 */
export interface PackedWordLists {
  readonly words: string[];
  readonly lengths: Int32Array;
  readonly tokens: Int32Array;
}

export function packWordLists(lists: readonly (readonly SpelledWord[])[]): PackedWordLists {
  // By identity: normalize.ts shares one token object per word, so this finds the distinct words without strings.
  const ids = new Map<SpelledWord, number>();
  const words: string[] = [];
  const tokens: number[] = [];
  for (const list of lists) {
    for (const t of list) {
      let id = ids.get(t);
      if (id === undefined) {
        ids.set(t, (id = ids.size));
        words.push(t.text, t.spelling ?? '');
      }
      tokens.push(id);
    }
  }
  return { words, lengths: Int32Array.from(lists, (l) => l.length), tokens: Int32Array.from(tokens) };
}

export function unpackWordLists(packed: PackedWordLists): SpelledWord[][] {
  const words: SpelledWord[] = [];
  for (let i = 0; i < packed.words.length; i += 2) words.push(spelledWord(packed.words[i]!, packed.words[i + 1] || null));
  let t = 0;
  return Array.from(packed.lengths, (length) => {
    const list: SpelledWord[] = [];
    for (let j = 0; j < length; j++) list.push(words[packed.tokens[t++]!]!);
    return list;
  });
}

/**
 * Shaped like normalize.ts's tokens (same fields, same order): the index reads both kinds, and objects of one shape
 * keep its property reads fast.
 */
function spelledWord(text: string, spelling: string | null): SpelledWord {
  const word: SpelledWord & { readonly accented: null } = { text, accented: null, spelling };
  return word;
}

/** Normalised questions of consecutive entries: per entry, how many; then every question's words. */
export interface PackedQuestions {
  readonly perEntry: Int32Array;
  readonly questions: PackedWordLists;
}

/** Normalises the questions of entries `from` onwards; also gives their content words, as training reads them. */
export function normalizeQuestions(questions: BuildInput['questions'], from: number): { packed: PackedQuestions; entries: QuestionWords[] } {
  const part = questions.slice(from);
  const contents: (readonly SpelledWord[])[] = [];
  const entries = part.map((texts) =>
    texts
      .map((text) => {
        const { content } = normalize(text);
        contents.push(content);
        return content.map((t) => t.text);
      })
      .filter((w) => w.length > 0),
  );
  return { packed: { perEntry: Int32Array.from(part, (t) => t.length), questions: packWordLists(contents) }, entries };
}

/** Per entry, per question (empty ones included), its content words. */
export function unpackQuestions(packed: PackedQuestions): SpelledWord[][][] {
  const contents = unpackWordLists(packed.questions);
  let q = 0;
  return Array.from(packed.perEntry, (count) => contents.slice(q, (q += count)));
}

/**
 * What the learned scorer is trained on, when the questions of entries `split` onwards are normalised already
 * (`tail`): of the others, only as many as it reads. Prototypes read PROTOTYPE_QUESTIONS per entry, so once the
 * questions counted so far are enough to choose prototypes, the rest need not be normalised; `examples` is that count.
 */
export function trainingInput(
  questions: BuildInput['questions'],
  tail: readonly QuestionWords[],
  none: QuestionWords,
): { entries: QuestionWords[]; examples?: number } {
  const head = questions.slice(0, questions.length - tail.length).map((texts) => {
    const first: string[][] = [];
    let read = 0;
    while (read < texts.length && first.length < PROTOTYPE_QUESTIONS) {
      const w = contentWords(texts[read++]!);
      if (w.length > 0) first.push(w);
    }
    return { first, unread: texts.slice(read) };
  });
  const examples = [...head.map((h) => h.first), ...tail].reduce((n, e) => n + e.length, 0) + none.length;
  if (usesPrototypes(questions.length, examples)) return { entries: [...head.map((h) => h.first), ...tail], examples };
  const full = head.map((h) => [...h.first, ...h.unread.map(contentWords).filter((w) => w.length > 0)]);
  return { entries: [...full, ...tail] };
}
