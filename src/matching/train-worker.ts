import { parentPort, workerData } from 'node:worker_threads';
import { fitScorer } from './learned.js';
import { questionWords, type TrainingInput } from './training-input.js';

// Worker thread: trains the learned scorer from raw question strings while the main thread builds the word index.
const { questions, outOfScope } = workerData as TrainingInput;
const { entries, none } = questionWords(questions, outOfScope);
parentPort!.postMessage(fitScorer(entries, none));
