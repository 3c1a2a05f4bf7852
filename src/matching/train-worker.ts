import { parentPort, workerData } from 'node:worker_threads';
import { answerWords, contentWords, normalizeQuestions, packWordLists, trainingInput, type BuildInput } from './build-input.js';
import { fitScorer } from './learned.js';

// Worker thread (train-in-worker.ts): reads the answers, then the questions of the entries from `split` on, and
// sends both while the main thread indexes the questions before `split`; then trains the learned scorer.
const { questions, outOfScope, answers, split } = workerData as BuildInput;
parentPort!.postMessage({ answers: packWordLists(answers.map(answerWords)) });
const { packed, entries: tail } = normalizeQuestions(questions, split);
parentPort!.postMessage({ questions: packed });
const none = outOfScope.map(contentWords);
const { entries, examples } = trainingInput(questions, tail, none);
parentPort!.postMessage({ model: fitScorer(entries, none, examples) });
