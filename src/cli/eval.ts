import { readFile } from 'node:fs/promises';
import { cliConfig, cliKnowledge, fail, parseArgs } from './common.js';
import { evaluateOne, parseEvalFile, summarize } from './eval-core.js';

// npm run --silent eval -- FILE.jsonl [--jsonl]
const { flags, positional } = parseArgs(process.argv.slice(2));
const file = positional[0];
if (!file) fail('Cách dùng: npm run --silent eval -- TỆP.jsonl [--jsonl]');
const config = cliConfig();
const knowledge = await cliKnowledge(config);
let cases;
try {
  cases = parseEvalFile(await readFile(file, 'utf8'), file);
} catch (err) {
  fail((err as Error).message);
}
const ctx = { knowledge, thresholds: config.thresholds, footer: config.footer, now: Date.now() };
const results = cases.map((c) => evaluateOne(c, ctx));

if (flags.has('jsonl')) {
  process.stdout.write(results.map((r) => JSON.stringify(r)).join('\n') + (results.length ? '\n' : ''));
} else {
  const s = summarize(cases, results);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `Câu hỏi: ${s.total} (trong phạm vi FAQ: ${s.inScope}, ngoài phạm vi: ${s.outOfScope})`,
    `top-1 (trả lời đúng):           ${pct(s.top1)}`,
    `trả lời sai:                    ${pct(s.wrong)}`,
    `gợi ý có câu đúng:              ${pct(s.suggestionHit)}`,
    `trả lời nhầm câu ngoài phạm vi: ${pct(s.falseAnswer)}`,
  ];
  if (s.misses.length > 0) {
    lines.push('', 'Chưa đạt:');
    for (const m of s.misses) {
      const got = m.result.decision === 'answer' ? `answer ${m.result.id}` : m.result.decision === 'suggest' ? `suggest [${m.result.suggestions.join(', ')}]` : m.result.decision;
      lines.push(`  - "${m.case.q}" → ${got} (${m.result.score.toFixed(2)}), cần ${m.case.expect ?? 'không trả lời FAQ'}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
