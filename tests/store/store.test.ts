import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PhrasingProposals, phrasingKey } from '../../src/store/phrasings.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { Store, StoreCorruptError } from '../../src/store/store.js';
import { LowdbDataStore } from '../../src/store/lowdb-data.js';

const tempDir = () => mkdtemp(path.join(os.tmpdir(), 'store-'));

describe('Store', () => {
  it('creates db.json with the schema version on first open', async () => {
    const dir = await tempDir();
    await Store.open(dir);
    const data = JSON.parse(await readFile(path.join(dir, 'db.json'), 'utf8'));
    expect(data.version).toBe(SCHEMA_VERSION);
    expect(data.conversations).toEqual({});
  });

  it('persists an update before resolving and reads it back after a restart', async () => {
    const dir = await tempDir();
    const store = await Store.open(dir);
    await store.update((d) => {
      d.conversations['web:u1'] = { channel: 'web', userId: 'u1', displayName: 'An', state: { awaiting: null, at: 0 }, lastUserMessageAt: 5, transcript: [], pausedUntil: 0 };
    });
    const reopened = await Store.open(dir);
    expect(reopened.data.conversations['web:u1']?.displayName).toBe('An');
  });

  it('group-commits a burst of updates into few writes and loses none', async () => {
    const dir = await tempDir();
    const store = await Store.open(dir);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.update((d) => {
          d.conversations[`web:${i}`] = { channel: 'web', userId: String(i), displayName: null, state: { awaiting: null, at: 0 }, lastUserMessageAt: i, transcript: [], pausedUntil: 0 };
        }),
      ),
    );
    const data = JSON.parse(await readFile(path.join(dir, 'db.json'), 'utf8'));
    expect(Object.keys(data.conversations)).toHaveLength(200);
    // Only the final file remains: writes go through a temp file renamed over db.json.
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a corrupt file and leaves it untouched', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'db.json');
    await writeFile(file, '{"version": 1, "conversations": {');
    await expect(Store.open(dir)).rejects.toBeInstanceOf(StoreCorruptError);
    await expect(Store.open(dir)).rejects.toThrow(/bị hỏng/);
    expect(await readFile(file, 'utf8')).toBe('{"version": 1, "conversations": {');
  });

  it('refuses a file written by a newer version', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'db.json'), JSON.stringify({ version: SCHEMA_VERSION + 1 }));
    await expect(Store.open(dir)).rejects.toThrow(/mới hơn/);
  });

  it('refuses a file without a version', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'db.json'), JSON.stringify({ conversations: {} }));
    await expect(Store.open(dir)).rejects.toThrow(/version/);
  });
});

describe('Store crash safety', () => {
  it('a process killed in the middle of writes never leaves a corrupt file', async () => {
    const { spawn } = await import('node:child_process');
    const dir = await tempDir();
    const script = path.join(dir, 'writer.mts');
    await writeFile(
      script,
      `import { Store } from ${JSON.stringify(path.resolve('src/store/store.ts'))};
const store = await Store.open(${JSON.stringify(dir)});
process.stdout.write('ready\\n');
for (let i = 0; ; i++) {
  await store.update((d) => { d.audit.push({ at: i, actor: 'x'.repeat(200), action: 'a', ticketId: null, detail: 'y'.repeat(500) }); });
}
`,
    );
    for (let round = 0; round < 3; round++) {
      // node itself (not the tsx wrapper, which would leave its child running when killed).
      const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, 150 + round * 100));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const store = await Store.open(dir); // parses: never a half-written file
      expect(store.data.audit.length).toBeGreaterThan(0);
    }
  }, 30_000);

  it('fills collections added since the file was written', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'db.json'), JSON.stringify({ version: 1, conversations: {} }));
    const store = await Store.open(dir);
    expect(store.data.tickets).toEqual([]);
    expect(store.data.counters).toEqual({ ticket: 0 });
  });
});

describe('DATA_DIR lock', () => {
  it('creates a missing data directory, refuses a second live owner, takes over a dead one', async () => {
    const { spawn } = await import('node:child_process');
    const { DataDirBusyError, lockDataDir, LOCK_FILE } = await import('../../src/store/lock.js');
    const dir = path.join(await tempDir(), 'not', 'yet');
    const release = await lockDataDir(dir);
    expect(await readFile(path.join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    await release();
    expect(await readdir(dir)).toEqual([]);

    // Another process holds it.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    await new Promise((r) => other.once('spawn', r));
    await writeFile(path.join(dir, LOCK_FILE), String(other.pid));
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirBusyError);
    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r));
    // Its owner is gone: the lock is taken over.
    const again = await lockDataDir(dir);
    expect(await readFile(path.join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    await again();
  });

  it('opens a file written before phrasing proposals existed with an empty list, without a version bump', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'db.json'), JSON.stringify({ version: 1, conversations: {}, deliveryFailures: [], users: [], sessions: [], tickets: [], audit: [], feedback: [], counters: { ticket: 0 }, meta: { salt: 'abc' } }));
    const store = await Store.open(dir);
    expect(store.data.proposals).toEqual([]);
    expect(store.data.version).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(1);
  });
});

describe('PhrasingProposals', () => {
  it('counts confirmations of one phrasing however it is accented or punctuated, per entry and source', async () => {
    const store = await LowdbDataStore.open(await tempDir());
    const proposals = new PhrasingProposals(store);
    await proposals.record('gio-lam-viec', 'hq làm việc t7 ko', 'choice', 1);
    await proposals.record('gio-lam-viec', 'HQ lam viec T7 ko?', 'helpful', 2);
    await proposals.record('lien-he', 'hq làm việc t7 ko', 'officer', 3);
    await proposals.record('lien-he', ' ', 'officer', 3);
    await proposals.record('lien-he', 'x'.repeat(400), 'officer', 3);
    expect(phrasingKey('hq làm việc t7 ko')).toBe(phrasingKey('HQ lam viec T7 ko?'));
    expect(await proposals.list()).toEqual([
      expect.objectContaining({ entryId: 'gio-lam-viec', question: 'hq làm việc t7 ko', count: 2, sources: { choice: 1, officer: 0, helpful: 1 }, firstAt: 1, lastAt: 2 }),
      expect.objectContaining({ entryId: 'lien-he', count: 1, sources: { choice: 0, officer: 1, helpful: 0 } }),
    ]);
    await store.close();
  });

  it('accepted and dismissed phrasings leave the list and are not proposed again; purge keeps what was decided', async () => {
    const store = await LowdbDataStore.open(await tempDir());
    const proposals = new PhrasingProposals(store);
    await proposals.record('a', 'câu một', 'choice', 10);
    await proposals.record('b', 'câu hai', 'choice', 10);
    await proposals.record('c', 'câu ba', 'choice', 10);
    await proposals.record('d', 'câu bốn', 'choice', 100);
    await proposals.accept((await proposals.find('a', phrasingKey('câu một')))!, 20);
    await proposals.dismiss((await proposals.find('b', phrasingKey('câu hai')))!, 20);
    expect(await proposals.find('b', phrasingKey('câu hai'))).toBeUndefined();
    await proposals.record('a', 'câu một', 'helpful', 30);
    await proposals.record('b', 'Câu hai!', 'helpful', 30);
    expect((await proposals.list()).map((p) => p.entryId)).toEqual(['d', 'c']); // equally confirmed: the most recent first
    expect((await store.proposals('dismissed'))[0]).toMatchObject({ entryId: 'b', count: 1 });
    expect(await proposals.purgeOlderThan(50)).toBe(1);
    expect((await store.proposals()).map((p) => [p.entryId, p.status]).sort()).toEqual([['a', 'accepted'], ['b', 'dismissed'], ['d', 'open']]);
    await store.close();
  });
});
