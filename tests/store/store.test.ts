import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { Store, StoreCorruptError } from '../../src/store/store.js';

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
