import type { QuestionWords } from './learned.js';
import { normalize } from './normalize.js';

/** What the learned scorer is trained on, as text: each entry's questions, and the out-of-scope questions. */
export interface TrainingInput {
  readonly questions: readonly (readonly string[])[];
  readonly outOfScope: readonly string[];
}

/**
 * The content words the scorer reads, the same in the main thread and in a worker: an entry's questions without the
 * ones that normalise to nothing; out-of-scope questions as they come.
 */
export function questionWords(questions: TrainingInput['questions'], outOfScope: readonly string[]): { entries: QuestionWords[]; none: string[][] } {
  const words = (text: string) => normalize(text).content.map((t) => t.text);
  return {
    entries: questions.map((texts) => texts.map(words).filter((w) => w.length > 0)),
    none: outOfScope.map(words),
  };
}
