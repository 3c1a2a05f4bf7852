import { readFile, writeFile } from 'node:fs/promises';
import { analyse } from '../conversation/intents.js';
import { toIndexable } from '../conversation/knowledge.js';
import { loadKnowledgeBase } from '../knowledge/load.js';
import { calibratedConfidence, featureVector, fitCalibration, type CalibrationModel } from '../matching/calibration.js';
import { buildIndex, type IndexableEntry } from '../matching/index.js';
import { search, signalsOf } from '../matching/search.js';
import { cliConfig, parseArgs } from './common.js';

// npm run calibrate [-- --dry-run]: refits the confidence model (src/matching/calibration-model.ts) on the
// knowledge base itself and on calibration/out-of-scope.txt. Run it after large changes to the knowledge base.
const OUT_OF_SCOPE = 'calibration/out-of-scope.txt';
const MODEL_FILE = 'src/matching/calibration-model.ts';
const { flags } = parseArgs(process.argv.slice(2));
const config = cliConfig();
const kb = await loadKnowledgeBase(config.knowledgeDir);
const entries = kb.entries.map(toIndexable);
type Sample = { x: number[]; y: 0 | 1; text: string };
const samples: Sample[] = [];

/** Messages the conversation layer answers before the FAQ (small talk, "gặp cán bộ") never reach the matcher. */
const reachesMatcher = (text: string) => {
  const a = analyse(text);
  return a.smallTalk === null && !a.humanRequest;
};

// Two folds: every other alternate is held out and asked as a question of an index built without it.
for (const fold of [0, 1]) {
  const held = new Map<string, string[]>();
  const training: IndexableEntry[] = entries.map((e) => {
    const [question, ...alternates] = e.questions;
    held.set(e.id, alternates.filter((_, i) => i % 2 === fold));
    return { ...e, questions: [question!, ...alternates.filter((_, i) => i % 2 !== fold)] };
  });
  const index = buildIndex(training);
  for (const [id, questions] of held) {
    for (const text of questions.filter(reachesMatcher)) {
      const result = search(index, text);
      const signals = signalsOf(result);
      if (signals) samples.push({ x: featureVector(signals), y: result.candidates[0]!.id === id ? 1 : 0, text });
    }
  }
}
const inScope = samples.length;
const fullIndex = buildIndex(entries);
const outOfScope = (await readFile(OUT_OF_SCOPE, 'utf8')).split('\n').map((l) => l.trim()).filter((l) => l !== '');
for (const text of outOfScope.filter(reachesMatcher)) {
  const signals = signalsOf(search(fullIndex, text));
  if (signals) samples.push({ x: featureVector(signals), y: 0, text });
}

const model: CalibrationModel = fitCalibration(samples, {
  date: new Date().toISOString().slice(0, 10),
  entries: entries.length,
  heldOutAlternates: inScope,
  heldOutFoundTheirEntry: samples.filter((s) => s.y === 1).length,
  outOfScope: samples.length - inScope,
});

const rows = [0.5, 0.6, 0.7, 0.8, 0.9].map((t) => {
  const answered = samples.filter((s) => calibratedConfidence(model, s.x) >= t);
  const right = answered.filter((s) => s.y === 1).length;
  const oos = answered.filter((s) => samples.indexOf(s) >= inScope).length;
  return `  ≥ ${t}: answers ${answered.length}, right ${right} (${((right / Math.max(1, answered.length)) * 100).toFixed(1)}%), out-of-scope answered ${oos}`;
});
process.stdout.write(`Fitted on ${samples.length} samples (${inScope} held-out alternates, ${samples.length - inScope} out-of-scope).\n`);
process.stdout.write(`Weights: ${model.features.map((f, i) => `${f} ${model.weights[i]}`).join(', ')}; bias ${model.bias}\n`);
process.stdout.write(`On the training samples:\n${rows.join('\n')}\n`);
if (!flags.has('dry-run')) {
  const source = `import type { CalibrationModel } from './calibration.js';

// Written by \`npm run calibrate\`; do not edit by hand.
export const CALIBRATION_MODEL: CalibrationModel = ${JSON.stringify(model, null, 2)};
`;
  await writeFile(MODEL_FILE, source);
  process.stdout.write(`Wrote ${MODEL_FILE}.\n`);
}
