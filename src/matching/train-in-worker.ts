import { Worker } from 'node:worker_threads';
import type { LearnedModel } from './learned.js';
import type { TrainingInput } from './training-input.js';

/** Training under way in a worker thread. */
export interface Training {
  /** The trained model; rejects if the worker cannot start or fails. */
  readonly model: Promise<LearnedModel>;
  cancel(): void;
}

// Run from the TypeScript sources (npm start, tests), the worker registers the TypeScript loader (tsx, a dev
// dependency) before it loads its module: a worker does not inherit the main thread's loader hooks.
const fromSource = import.meta.url.endsWith('.ts');
const workerUrl = new URL(fromSource ? './train-worker.ts' : './train-worker.js', import.meta.url);

function startWorker(input: TrainingInput): Worker {
  if (!fromSource) return new Worker(workerUrl, { workerData: input });
  const api = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: input });
}

/** Starts training the learned scorer on another core; the caller goes on building the word index meanwhile. */
export function trainInWorker(input: TrainingInput): Training {
  const worker = startWorker(input);
  const model = new Promise<LearnedModel>((resolve, reject) => {
    worker.once('message', (trained: LearnedModel) => {
      resolve(trained);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the training worker stopped (exit code ${code}) before sending a model`)));
  });
  // A cancelled training is never awaited: its rejection is expected, not unhandled.
  model.catch(() => undefined);
  return { model, cancel: () => void worker.terminate() };
}
