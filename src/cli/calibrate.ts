import { writeFile } from 'node:fs/promises';
import { analyse } from '../conversation/intents.js';
import { toIndexable } from '../conversation/knowledge.js';
import { loadKnowledgeBase } from '../knowledge/load.js';
import { loadOutOfScope, OUT_OF_SCOPE_FILE } from '../knowledge/out-of-scope.js';
import { calibratedConfidence, featureVector, fitCalibration, type CalibrationModel } from '../matching/calibration.js';
import { decide, DEFAULT_THRESHOLDS } from '../matching/decide.js';
import { buildIndex, type IndexableEntry } from '../matching/index.js';
import { search, signalsOf, type SearchResult } from '../matching/search.js';
import { cliConfig, parseArgs } from './common.js';

// npm run calibrate [-- --dry-run]: refits the confidence model (src/matching/calibration-model.ts) by
// cross-validation on the knowledge base itself and on calibration/out-of-scope.txt. Run it after large changes to
// the knowledge base or to the out-of-scope questions, then re-run the eval.
const MODEL_FILE = 'src/matching/calibration-model.ts';
const FOLDS = 5;
const { flags } = parseArgs(process.argv.slice(2));
const config = cliConfig();
const kb = await loadKnowledgeBase(config.knowledgeDir);
const entries = kb.entries.map(toIndexable);
const outOfScope = await loadOutOfScope();

/** One question asked in cross-validation: what the matcher saw, and whether its best entry was right. */
interface Sample {
  readonly x: number[];
  readonly y: 0 | 1;
  readonly expect: string | null;
  readonly result: SearchResult;
}
const samples: Sample[] = [];

/** Messages the conversation layer answers before the FAQ (small talk, "gặp cán bộ") never reach the matcher. */
const reachesMatcher = (text: string) => {
  const a = analyse(text);
  return a.smallTalk === null && !a.humanRequest;
};

// Each fold holds out every FOLDS-th alternate of every entry and every FOLDS-th out-of-scope question: the index
// and the learned scorer are built without them, and they are asked as new questions. Canonical questions stay.
for (let fold = 0; fold < FOLDS; fold++) {
  const heldOut = (i: number) => i % FOLDS === fold;
  const held: Array<{ id: string; text: string }> = [];
  const training: IndexableEntry[] = entries.map((e) => {
    const [question, ...alternates] = e.questions;
    alternates.forEach((text, i) => heldOut(i) && held.push({ id: e.id, text }));
    return { ...e, questions: [question!, ...alternates.filter((_, i) => !heldOut(i))] };
  });
  const index = buildIndex(training, outOfScope.filter((_, i) => !heldOut(i)));
  const ask = (text: string, expect: string | null) => {
    if (!reachesMatcher(text)) return;
    const result = search(index, text);
    const signals = signalsOf(result);
    if (!signals) return;
    samples.push({ x: featureVector(signals), y: expect !== null && result.candidates[0]!.id === expect ? 1 : 0, expect, result });
  };
  for (const { id, text } of held) ask(text, id);
  outOfScope.forEach((text, i) => heldOut(i) && ask(text, null));
}
const inScope = samples.filter((s) => s.expect !== null).length;

const model: CalibrationModel = fitCalibration(samples, {
  date: new Date().toISOString().slice(0, 10),
  entries: entries.length,
  folds: FOLDS,
  heldOutAlternates: inScope,
  heldOutFoundTheirEntry: samples.filter((s) => s.y === 1).length,
  outOfScope: samples.length - inScope,
});

// What the whole decision (the confidence and the rule's tie margin) does with the held-out questions.
const pct = (n: number, d: number) => `${((n / Math.max(1, d)) * 100).toFixed(1)}%`;
const rows = [0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9].map((answer) => {
  let right = 0;
  let wrong = 0;
  let falseAnswers = 0;
  for (const s of samples) {
    const decision = decide({ ...s.result, confidence: calibratedConfidence(model, s.x) }, { ...DEFAULT_THRESHOLDS, answer });
    if (decision.kind !== 'answer') continue;
    if (s.expect === null) falseAnswers++;
    else if (decision.entry.id === s.expect) right++;
    else wrong++;
  }
  return `  ≥ ${answer.toFixed(2)}: đúng ${pct(right, inScope)}, sai ${pct(wrong, inScope)}, trả lời nhầm câu ngoài phạm vi ${pct(falseAnswers, samples.length - inScope)}`;
});
process.stdout.write(`Kiểm định chéo ${FOLDS} phần: ${samples.length} câu (${inScope} cách hỏi để riêng, ${samples.length - inScope} câu ngoài phạm vi từ ${OUT_OF_SCOPE_FILE}).\n`);
process.stdout.write(`Trọng số: ${model.features.map((f, i) => `${f} ${model.weights[i]}`).join(', ')}; hệ số chặn ${model.bias}\n`);
process.stdout.write(`Theo ngưỡng trả lời (các điều kiện khác như mặc định):\n${rows.join('\n')}\n`);
if (!flags.has('dry-run')) {
  const source = `import type { CalibrationModel } from './calibration.js';

// Written by \`npm run calibrate\`; do not edit by hand.
export const CALIBRATION_MODEL: CalibrationModel = ${JSON.stringify(model, null, 2)};
`;
  await writeFile(MODEL_FILE, source);
  process.stdout.write(`Đã ghi ${MODEL_FILE}.\n`);
}
