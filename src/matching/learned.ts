import { buildFeatureSpace, buildHashedSpace, vectorOf, vectorsOf, type FeatureSpace } from './feature-space.js';
import { logitsInto, softmaxInPlace, trainLogistic, type LogisticWeights } from './logistic.js';
import { similarities, trainPrototypes, type Prototypes } from './prototypes.js';
import { featureCounts } from './text-features.js';

/**
 * A scorer learned from the knowledge base itself, beside the word index: TF-IDF weighted character n-grams and
 * words (text-features.ts), one class per entry plus a "none" class taught by out-of-scope questions. It reads a
 * message as a whole, so it recognises phrasings the word index misses (typos, dictation, colloquial turns), and
 * its "none" class knows what other agencies' questions look like.
 *
 * Up to about a hundred entries (LOGISTIC_BUDGET) it is a multinomial logistic regression over every class. Beyond
 * that the regression would cost too much to train on every reload, and the scorer falls back to nearest prototypes
 * over the same features (prototypes.ts), scored only on the word index's shortlist.
 */
export type LearnedModel =
  | { readonly kind: 'logistic'; readonly entries: number; readonly space: FeatureSpace; readonly logistic: LogisticWeights }
  | { readonly kind: 'prototypes'; readonly entries: number; readonly space: FeatureSpace; readonly prototypes: Prototypes };

/** What the scorer says of one message. */
export interface LearnedScores {
  /** Probability that this entry answers the message (0 for an entry the scorer did not consider). */
  probability(entry: number): number;
  /** Probability that no entry does. */
  readonly none: number;
  /** The entries it considered, most probable first (at most BEST). */
  readonly best: readonly number[];
}

/** The content words of each question of one entry (as normalize.ts reads them). */
export type QuestionWords = readonly (readonly string[])[];

/**
 * Out-of-scope questions together weigh this share of the in-scope ones, whatever the sizes: a small knowledge base
 * must not learn that almost everything is out of scope.
 */
const NONE_SHARE = 0.2;
/** Examples × classes up to which the logistic model is trained (the shipped base: about 95,000). */
const LOGISTIC_BUDGET = 400_000;
/** Beyond it, prototypes are built from this many questions per entry: enough for a centre, cheap at any size… */
export const PROTOTYPE_QUESTIONS = 3;
/** …and document frequencies estimated on the first of them (a sample is enough for IDF). */
const PROTOTYPE_DF_QUESTIONS = 1;
/** Prototypes hash features into 2^18 columns, no vocabulary to build (at 10,000 entries a fifth of them share one). */
const PROTOTYPE_COLUMN_BITS = 18;
/** Sharpness of the prototypes' softmax over cosines. */
const PROTOTYPE_TEMPERATURE = 0.1;
const BEST = 3;

// The model is a pure function of its input: identical input (a reload that changed nothing the scorer reads, or
// several servers started on the same files) reuses the last models instead of training again.
const trained = new Map<string, LearnedModel>();
const TRAINED_KEPT = 4;

function inputKey(entries: readonly QuestionWords[], outOfScope: QuestionWords): string {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x01000193 | 0;
  const eat = (code: number) => {
    h1 = Math.imul(h1 ^ code, 0x01000193);
    h2 = Math.imul(h2 ^ code, 0x5bd1e995);
  };
  // Word by word, separators included, without joining anything: this reads every question of the knowledge base.
  const eatAll = (questions: QuestionWords) => {
    for (const words of questions) {
      for (const word of words) {
        for (let i = 0; i < word.length; i++) eat(word.charCodeAt(i));
        eat(0x20);
      }
      eat(0x0a);
    }
    eat(0x01);
  };
  entries.forEach(eatAll);
  eatAll(outOfScope);
  return `${entries.length}:${h1 >>> 0}:${h2 >>> 0}`;
}

/** The scorer for these questions: trained, or the last model trained on the very same input. */
export function trainScorer(entries: readonly QuestionWords[], outOfScope: QuestionWords): LearnedModel {
  const key = inputKey(entries, outOfScope);
  const cached = trained.get(key);
  if (cached) return cached;
  const model = fitScorer(entries, outOfScope);
  trained.set(key, model);
  if (trained.size > TRAINED_KEPT) trained.delete(trained.keys().next().value!);
  return model;
}

/** Whether a knowledge base of `entries` entries and `examples` training questions gets prototypes. */
export function usesPrototypes(entries: number, examples: number): boolean {
  return examples * (entries + 1) > LOGISTIC_BUDGET;
}

/**
 * Trains a scorer (no cache): what a reload costs, measured by `npm run bench`. `examples` is how many questions
 * (out-of-scope included) the whole input has, when `entries` holds only the PROTOTYPE_QUESTIONS first of each entry.
 */
export function fitScorer(entries: readonly QuestionWords[], outOfScope: QuestionWords, examples?: number): LearnedModel {
  const count = examples ?? entries.reduce((n, e) => n + e.length, 0) + outOfScope.length;
  return usesPrototypes(entries.length, count) ? fitPrototypes(entries, outOfScope) : fitLogistic(entries, outOfScope);
}

/** Out-of-scope questions together weigh NONE_SHARE of the in-scope ones. */
function noneWeight(inScope: number, outOfScope: number): number {
  return outOfScope === 0 ? 0 : (NONE_SHARE * inScope) / outOfScope;
}

/** Two passes over the questions (features counted again rather than kept): vocabulary and IDF, then vectors. */
function fitLogistic(entries: readonly QuestionWords[], outOfScope: QuestionWords): LearnedModel {
  const texts = [...entries, outOfScope];
  const counted = function* () {
    for (const questions of texts) for (const words of questions) yield featureCounts(words);
  };
  const inScope = entries.reduce((n, questions) => n + questions.length, 0);
  const none = noneWeight(inScope, outOfScope.length);
  const labels = Int32Array.from(texts.flatMap((questions, label) => questions.map(() => label)));
  const weights = Float64Array.from(labels, (label) => (label === entries.length ? none : 1));
  const space = buildFeatureSpace(counted());
  const logistic = trainLogistic(entries.length + 1, space.size, { vectors: vectorsOf(space, counted()), labels, weights });
  return { kind: 'logistic', entries: entries.length, space, logistic };
}

/** Two streaming passes (document frequencies on a sample, then prototypes): nothing per question is kept between. */
function fitPrototypes(entries: readonly QuestionWords[], outOfScope: QuestionWords): LearnedModel {
  const taken = entries.map((questions) => questions.slice(0, PROTOTYPE_QUESTIONS));
  const classes = [...taken, outOfScope];
  const none = noneWeight(taken.reduce((n, q) => n + q.length, 0), outOfScope.length);
  const space = buildHashedSpace(
    (function* () {
      for (const questions of taken) for (const words of questions.slice(0, PROTOTYPE_DF_QUESTIONS)) yield featureCounts(words);
      for (const words of outOfScope) yield featureCounts(words);
    })(),
    PROTOTYPE_COLUMN_BITS,
  );
  const examples = classes.map((questions, label) =>
    (function* () {
      for (const words of questions) yield { x: vectorOf(space, featureCounts(words)), weight: label === entries.length ? none : 1 };
    })(),
  );
  return { kind: 'prototypes', entries: entries.length, space, prototypes: trainPrototypes(space.size, examples) };
}

function top(classes: readonly number[], p: (k: number) => number): number[] {
  return [...classes].sort((a, b) => p(b) - p(a) || a - b).slice(0, BEST);
}

// Per model: a zeroed scratch vector for the prototypes' dot products (search is synchronous).
const scratches = new WeakMap<Prototypes, Float32Array>();

/**
 * Scores a message's content words. The logistic model scores every entry; prototypes score only `shortlist`
 * (the word index's candidates) against "none".
 */
export function scoreLearned(model: LearnedModel, words: readonly string[], shortlist: readonly number[]): LearnedScores {
  const x = vectorOf(model.space, featureCounts(words));
  if (model.kind === 'logistic') {
    const p = new Float64Array(model.entries + 1);
    logitsInto(p, model.logistic, x);
    softmaxInPlace(p);
    const all = Array.from({ length: model.entries }, (_, e) => e);
    return { probability: (e) => p[e]!, none: p[model.entries]!, best: top(all, (e) => p[e]!) };
  }
  let dense = scratches.get(model.prototypes);
  if (!dense) scratches.set(model.prototypes, (dense = new Float32Array(model.space.size)));
  const classes = [...shortlist, model.entries];
  const z = Float64Array.from(similarities(model.prototypes, x, classes, dense), (s) => s / PROTOTYPE_TEMPERATURE);
  softmaxInPlace(z);
  const byEntry = new Map(shortlist.map((e, i) => [e, z[i]!]));
  return { probability: (e) => byEntry.get(e) ?? 0, none: z[shortlist.length]!, best: top(shortlist, (e) => byEntry.get(e)!) };
}
