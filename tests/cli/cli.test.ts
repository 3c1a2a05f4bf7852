import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsx = path.resolve('node_modules/.bin/tsx');

describe('command-line tools', () => {
  it('eval --jsonl prints exactly one JSON line per input line and nothing else', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eval-'));
    const file = path.join(dir, 'q.jsonl');
    await writeFile(file, ['{"q": "hq lam viec t7 ko", "expect": "gio-lam-viec"}', '{"q": "xin chào", "expect": null}', '{"q": "thủ tục ly hôn", "expect": null}'].join('\n'));
    const { stdout } = await run(tsx, ['src/cli/eval.ts', file, '--jsonl']);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(Object.keys(l).sort()).toEqual(['decision', 'id', 'q', 'score', 'suggestions']);
    expect(lines[0]).toMatchObject({ q: 'hq lam viec t7 ko', decision: 'answer', id: 'gio-lam-viec' });
    expect(lines[1]).toMatchObject({ decision: 'smalltalk', id: null });
    expect(lines[2]).toMatchObject({ decision: 'escalate', id: null });
  });

  it('eval prints a summary with the four rates', async () => {
    const { stdout } = await run(tsx, ['src/cli/eval.ts', 'tests/fixtures/eval/dev.jsonl']);
    expect(stdout).toMatch(/top-1 \(trả lời đúng\): +\d+\.\d%/);
    expect(stdout).toContain('trả lời nhầm câu ngoài phạm vi');
  });

  it('kb:export prints the parsed knowledge base', async () => {
    const { stdout } = await run(tsx, ['src/cli/kb-export.ts'], { maxBuffer: 16 * 1024 * 1024 });
    const entries = JSON.parse(stdout);
    expect(entries.length).toBeGreaterThanOrEqual(46);
    expect(Object.keys(entries[0]).sort()).toEqual(['alternates', 'answer', 'category', 'id', 'question', 'tags']);
  });

  it('ask prints the reply', async () => {
    const { stdout } = await run(tsx, ['src/cli/ask.ts', 'thủ tục ly hôn']);
    expect(stdout).toContain('Chuyển cán bộ');
  });
});
