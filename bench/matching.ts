import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import Fuse from 'fuse.js';
import { toIndexable } from '../src/conversation/knowledge.js';
import { loadKnowledgeBase } from '../src/knowledge/load.js';
import { decide } from '../src/matching/decide.js';
import { buildIndexInParallel, PARALLEL_FROM, type IndexableEntry } from '../src/matching/index.js';
import { fitScorer, type LearnedModel } from '../src/matching/learned.js';
import { normalize } from '../src/matching/normalize.js';
import { search } from '../src/matching/search.js';
import { loadOutOfScope } from '../src/knowledge/out-of-scope.js';
import { cliConfig, parseArgs } from '../src/cli/common.js';
import { parseEvalFile } from '../src/cli/eval-core.js';

// npm run bench: matching latency, index build time (the learned scorer's training included, and alone) and memory
// at the real size, 1,000 and 10,000 entries, beside plain fuse.js (default options over every question string).
// Matching and training alone run on one core; the build is the server's (two cores from PARALLEL_FROM questions on).
// BENCH_SIZES=10000 (comma-separated) measures only those sizes.
const { flags } = parseArgs(process.argv.slice(2));
const config = cliConfig();
const kb = await loadKnowledgeBase(config.knowledgeDir);
const real = kb.entries.map(toIndexable);
const outOfScope = await loadOutOfScope();

const queryFiles = ['tests/fixtures/eval/dev.jsonl', 'tests/fixtures/eval/independent.jsonl', 'tests/fixtures/eval/styles.jsonl'];
const queries: string[] = [];
for (const file of queryFiles) {
  try {
    queries.push(...parseEvalFile(await readFile(file, 'utf8'), file).map((c) => c.q));
  } catch {
    // a missing file just means fewer queries
  }
}

/** Deterministic pseudo-random numbers, so every run synthesises the same entries. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ONSETS = ['b', 'c', 'd', 'g', 'h', 'k', 'l', 'm', 'n', 'ph', 'qu', 'r', 's', 't', 'th', 'tr', 'v', 'x', 'ch', 'kh', 'ng', 'nh'];
const RHYMES = ['a', 'ai', 'an', 'ang', 'anh', 'ao', 'at', 'e', 'em', 'en', 'i', 'in', 'inh', 'o', 'oi', 'on', 'ong', 'u', 'ui', 'un', 'ung', 'uoc', 'uong', 'ut', 'y'];

/**
 * n entries made from the real ones: entry i copies real entry i mod N with its questions reordered and two
 * synthetic words (a made-up goods name) added to every question, so the vocabulary grows like a real, larger FAQ.
 */
function synthesise(n: number): IndexableEntry[] {
  const random = rng(n);
  const word = () => ONSETS[Math.floor(random() * ONSETS.length)]! + RHYMES[Math.floor(random() * RHYMES.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const base = real[i % real.length]!;
    if (i < real.length) return base;
    const goods = `${word()} ${word()}`;
    const questions = [...base.questions].sort(() => random() - 0.5).map((q) => `${q} ${goods}`);
    return { id: `${base.id}-s${i}`, questions, tags: [...base.tags, goods], body: base.body };
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** JavaScript heap plus typed-array buffers (the learned weights and the index's posting lists live there). */
function heapMb(): number {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1024 / 1024;
}

interface Row {
  size: number;
  strings: number;
  buildMs: number;
  heapMb: number;
  learnedKind: LearnedModel['kind'];
  trainMs: number;
  learnedMb: number;
  p50: number;
  p95: number;
  fuseP50: number;
  fuseP95: number;
  fuseQueries: number;
}

const words = (text: string) => normalize(text).content.map((t) => t.text);

/** Training alone (uncached), and the heap the trained model keeps. */
function measureTraining(entries: IndexableEntry[]): { kind: LearnedModel['kind']; ms: number; mb: number } {
  const questions = entries.map((e) => e.questions.map(words).filter((w) => w.length > 0));
  const oos = outOfScope.map(words);
  const before = heapMb();
  const t0 = performance.now();
  const model = fitScorer(questions, oos);
  const ms = performance.now() - t0;
  const mb = heapMb() - before;
  return { kind: model.kind, ms, mb };
}

async function measure(entries: IndexableEntry[], fuseQueries: number): Promise<Row> {
  const training = measureTraining(entries);
  const before = heapMb();
  const t0 = performance.now();
  const index = await buildIndexInParallel(entries, outOfScope);
  const buildMs = performance.now() - t0;
  process.stderr.write(`${entries.length} entries: built in ${buildMs.toFixed(0)} ms (training alone ${training.ms.toFixed(0)} ms); timing queries…\n`);
  const heap = heapMb() - before;
  for (const q of queries.slice(0, 50)) decide(search(index, q)); // warm-up (JIT)
  const times: number[] = [];
  for (const q of queries) {
    const start = performance.now();
    decide(search(index, q));
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  process.stderr.write(`  p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms; now plain fuse.js…\n`);

  const strings = entries.flatMap((e) => e.questions);
  const fuse = new Fuse(strings);
  const fuseTimes: number[] = [];
  const sample = queries.filter((_, i) => i % Math.max(1, Math.floor(queries.length / fuseQueries)) === 0).slice(0, fuseQueries);
  fuse.search(sample[0] ?? 'thủ tục');
  for (const q of sample) {
    const start = performance.now();
    fuse.search(q);
    fuseTimes.push(performance.now() - start);
  }
  fuseTimes.sort((a, b) => a - b);
  void index;
  return {
    size: entries.length,
    strings: strings.length,
    buildMs,
    heapMb: heap,
    learnedKind: training.kind,
    trainMs: training.ms,
    learnedMb: training.mb,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    fuseP50: percentile(fuseTimes, 50),
    fuseP95: percentile(fuseTimes, 95),
    fuseQueries: sample.length,
  };
}

const chosen = process.env.BENCH_SIZES?.split(',').map((n) => (n === 'real' ? real.length : Number(n)));
const sizes = chosen ?? (flags.has('quick') ? [real.length, 1000] : [real.length, 1000, 10000]);
const fuseBudget: Record<number, number> = { [real.length]: 200, 1000: 60, 10000: 12 };
const rows: Row[] = [];
for (const n of sizes) rows.push(await measure(n === real.length ? real : synthesise(n), fuseBudget[n] ?? 25));

const f = (x: number) => x.toFixed(2);
const out = [
  `Matching benchmark — ${queries.length} queries (dev, independent and styles eval sets), Node ${process.version}; matching and training on one core, the build on two from ${PARALLEL_FROM} question strings`,
  '',
  '| entries | question strings | build incl. training (ms) | index heap (MB) | learned scorer | training (ms) | its heap (MB) | p50 (ms) | p95 (ms) | plain fuse.js p50 / p95 (ms) | speed-up at p50 / p95 |',
  '| ---: | ---: | ---: | ---: | :--- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.size} | ${r.strings} | ${r.buildMs.toFixed(0)} | ${r.heapMb.toFixed(1)} | ${r.learnedKind} | ${r.trainMs.toFixed(0)} | ${r.learnedMb.toFixed(1)} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.fuseP50)} / ${f(r.fuseP95)} (${r.fuseQueries} q.) | ${(r.fuseP50 / r.p50).toFixed(0)}× / ${(r.fuseP95 / r.p95).toFixed(0)}× |`,
  ),
  '',
  `Process RSS at the end: ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB.`,
];
process.stdout.write(`${out.join('\n')}\n`);
