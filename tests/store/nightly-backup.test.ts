import { mkdir, mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nightlyBackups, pruneBackups } from '../../src/store/backup.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('nightly backups', () => {
  it('run at 01:30 Vietnam time every day, even when one never finishes', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-30T10:00:00+07:00'));
    const runs: string[] = [];
    // The first backup hangs (a stuck disk): the next night's must still run.
    const backup = (): Promise<never> => {
      runs.push(new Date(Date.now()).toISOString());
      return runs.length === 1 ? new Promise<never>(() => undefined) : Promise.resolve({ dir: 'x', manifest: { counts: { tickets: 0 } } } as never);
    };
    const logger = { info: () => undefined, error: () => undefined };
    const stop = nightlyBackups(await mkdtemp(path.join(os.tmpdir(), 'nb-')), 7, backup, logger, Date.now);
    await vi.advanceTimersByTimeAsync(15.5 * 3600_000 - 60_000);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(runs).toEqual(['2026-11-30T18:30:00.000Z']);
    await vi.advanceTimersByTimeAsync(24 * 3600_000);
    expect(runs).toEqual(['2026-11-30T18:30:00.000Z', '2026-12-01T18:30:00.000Z']);
    stop();
  });

  it('keep only the newest BACKUP_KEEP folders', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'prune-'));
    for (const day of ['01', '02', '03', '04', '05']) await mkdir(path.join(dir, `hoanhmo-2026-11-${day}T18-30-00-000Z`));
    await mkdir(path.join(dir, 'something-else'));
    await pruneBackups(dir, 2);
    expect((await readdir(dir)).sort()).toEqual(['hoanhmo-2026-11-04T18-30-00-000Z', 'hoanhmo-2026-11-05T18-30-00-000Z', 'something-else']);
  });
});
