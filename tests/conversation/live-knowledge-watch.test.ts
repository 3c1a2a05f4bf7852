import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveKnowledge } from '../../src/conversation/live-knowledge.js';
import { silentLogger } from '../../src/log.js';
import { CATEGORIES, entry, VARIABLES, writeKnowledge } from '../helpers/kb.js';

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  for (const started = Date.now(); !condition(); ) {
    if (Date.now() - started > ms) throw new Error('timed out waiting for a reload');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const stops: Array<() => void> = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

// Files changed by hand (an editor, git pull) are picked up without a restart; the watcher covers the directory and
// each category folder, including one created after the server started.
describe('knowledge directory watch', () => {
  it('reloads when an entry file changes, and when a file appears in a folder made later', async () => {
    const dir = await writeKnowledge({
      '_variables.yml': VARIABLES,
      '_categories.yml': CATEGORIES,
      'thue/a.md': entry({ id: 'a' }),
      'thu-tuc/b.md': entry({ id: 'b' }),
    });
    const live = await LiveKnowledge.load(dir, silentLogger());
    stops.push(live.watch(30));
    expect(live.current.base.byId.get('a')?.question).toBe('Câu hỏi về a?');

    await writeFile(path.join(dir, 'thue', 'a.md'), entry({ id: 'a', question: 'Câu hỏi đã sửa về thuế?' }));
    await until(() => live.current.base.byId.get('a')?.question === 'Câu hỏi đã sửa về thuế?');

    await mkdir(path.join(dir, 'lien-he'));
    await new Promise((r) => setTimeout(r, 100)); // the new folder's watcher starts on its creation event
    await writeFile(path.join(dir, 'lien-he', 'c.md'), entry({ id: 'c' }));
    await until(() => live.current.base.byId.has('c'));
  });

  it('ignores files that are not knowledge (editor swap files)', async () => {
    const dir = await writeKnowledge({ '_variables.yml': VARIABLES, '_categories.yml': CATEGORIES, 'thue/a.md': entry({ id: 'a' }) });
    const live = await LiveKnowledge.load(dir, silentLogger());
    stops.push(live.watch(30));
    const before = live.loadedAt;
    await writeFile(path.join(dir, 'thue', '.a.md.swp'), 'x');
    await new Promise((r) => setTimeout(r, 300));
    expect(live.loadedAt).toBe(before);
  });
});
