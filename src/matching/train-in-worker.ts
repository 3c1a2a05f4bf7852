import { Worker } from 'node:worker_threads';
import type { LearnedModel } from './learned.js';
import { unpackQuestions, unpackWordLists, type BuildInput, type PackedQuestions, type PackedWordLists, type SpelledWord } from './build-input.js';

/** A worker thread's help with an index: the answers' words, the questions of entries from `split` on, the trained model. */
export interface Training {
  /** Each answer's distinct content words; rejects if the worker cannot start or fails. */
  readonly answers: Promise<SpelledWord[][]>;
  /** Per entry from `split` on, per question, its content words; rejects likewise. */
  readonly questions: Promise<SpelledWord[][][]>;
  /** The trained model; rejects likewise. */
  readonly model: Promise<LearnedModel>;
  cancel(): void;
}

// Run from the TypeScript sources (npm start, tests), the worker registers the TypeScript loader (tsx) before it
// loads its module: a worker does not inherit the main thread's loader hooks.
const fromSource = import.meta.url.endsWith('.ts');
const workerUrl = new URL(fromSource ? './train-worker.ts' : './train-worker.js', import.meta.url);

function startWorker(input: BuildInput): Worker {
  if (!fromSource) return new Worker(workerUrl, { workerData: input });
  const api = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: input });
}

/** Starts reading the answers and training the learned scorer on another core; the caller indexes the questions meanwhile. */
export function trainInWorker(input: BuildInput): Training {
  const worker = startWorker(input);
  const answers = deferred<SpelledWord[][]>();
  const questions = deferred<SpelledWord[][][]>();
  const model = deferred<LearnedModel>();
  const fail = (err: Error) => (answers.reject(err), questions.reject(err), model.reject(err));
  worker.on('message', (message: { answers?: PackedWordLists; questions?: PackedQuestions; model?: LearnedModel }) => {
    if (message.answers) answers.resolve(unpackWordLists(message.answers));
    if (message.questions) questions.resolve(unpackQuestions(message.questions));
    if (message.model) {
      model.resolve(message.model);
      void worker.terminate();
    }
  });
  worker.once('error', fail);
  worker.once('exit', (code) => fail(new Error(`the training worker stopped (exit code ${code}) before sending a model`)));
  // A cancelled worker is never awaited: its rejections are expected, not unhandled.
  for (const d of [answers, questions, model]) d.promise.catch(() => undefined);
  return { answers: answers.promise, questions: questions.promise, model: model.promise, cancel: () => void worker.terminate() };
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (err: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}
