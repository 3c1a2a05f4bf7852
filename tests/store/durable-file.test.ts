import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableJsonFile, jsonPieces } from '../../src/store/durable-file.js';

const SAMPLES: unknown[] = [
  {},
  [],
  { a: 1, b: 'thuế nhập khẩu "C/O"\n', c: null, d: undefined, e: [1, undefined, () => 1, { f: true }], g: { h: { i: [] } } },
  { conversations: { 'messenger:1': { transcript: [{ at: 1, text: 'hq làm việc t7 ko' }], state: undefined } }, when: new Date(0), list: [[1, [2, [3]]]] },
  [{ a: undefined }, null, 'x'],
];

describe('jsonPieces', () => {
  it('joins to exactly what JSON.stringify gives, at every depth', () => {
    for (const value of SAMPLES) {
      for (const depth of [0, 1, 2, 3, 5]) expect([...jsonPieces(value, depth)].join('')).toBe(JSON.stringify(value));
    }
  });

  it('gives a large collection member by member, not as one string', () => {
    const conversations = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`messenger:${i}`, { text: 'hải quan '.repeat(20) }]));
    const pieces = [...jsonPieces({ version: 3, conversations }, 2)];
    expect(pieces.length).toBeGreaterThan(2000);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(300);
  });
});

describe('DurableJsonFile', () => {
  it('writes a file that reads back equal, and is byte for byte JSON.stringify', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'durable-'));
    const file = new DurableJsonFile<Record<string, unknown>>(path.join(dir, 'db.json'));
    const data = { version: 3, conversations: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`zalo:${i}`, { text: `câu hỏi số ${i} về thủ tục hải quan`.repeat(3) }])) };
    await file.write(data);
    expect(await readFile(path.join(dir, 'db.json'), 'utf8')).toBe(JSON.stringify(data));
    expect(await file.read()).toEqual(data);
  });
});
