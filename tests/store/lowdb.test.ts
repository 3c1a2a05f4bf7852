import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe } from 'vitest';
import { FileActivityStore } from '../../src/store/activity-files.js';
import { FileTokenVault } from '../../src/store/file-token-vault.js';
import { Journal } from '../../src/store/journal.js';
import { LocalCoordination } from '../../src/store/local-coordination.js';
import { LowdbDataStore } from '../../src/store/lowdb-data.js';
import { LoginThrottle } from '../../src/web/limits.js';
import { activityContract } from './contract/activity.js';
import { coordinationContract } from './contract/coordination.js';
import { dataStoreContract } from './contract/data-store.js';
import type { Reopenable, TestClock } from './contract/harness.js';
import { loginAttemptsContract } from './contract/login-attempts.js';
import { queueContract, type TestEvent, type TestSend } from './contract/queue.js';
import { tokenVaultContract } from './contract/tokens.js';

/**
 * The same contract suites as tests/store/postgres.test.ts, against the embedded store: lowdb file, journal, token
 * file and activity files in a fresh DATA_DIR for each test.
 */
type Closable = { close?(): Promise<void> };

/**
 * A fresh DATA_DIR; `reopen` closes what is open (the embedded store has one process at a time) and opens the same
 * directory again, as a restart; `another` opens a second handle beside the first, as another process would.
 */
async function opened<T>(open: (dir: string) => Promise<T>): Promise<Reopenable<T> & { another(): Promise<T> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lowdb-contract-'));
  const all: T[] = [];
  const closeAll = async () => void (await Promise.all(all.splice(0).map((s) => (s as Closable).close?.())));
  const next = async () => {
    const store = await open(dir);
    all.push(store);
    return store;
  };
  return {
    store: await next(),
    reopen: async () => {
      await closeAll();
      return next();
    },
    another: next,
    close: closeAll,
  };
}

describe('embedded store (lowdb)', () => {
  dataStoreContract('lowdb', () => opened((dir) => LowdbDataStore.open(dir)));
  queueContract('lowdb', (clock?: TestClock) => opened((dir) => Journal.open<TestEvent, TestSend>(dir, clock?.now)));
  tokenVaultContract('lowdb', () => opened((dir) => FileTokenVault.open(dir)));
  activityContract('lowdb', () => opened(async (dir) => FileActivityStore.at(dir)));
  coordinationContract('lowdb', (clock?: TestClock) => opened(async () => new LocalCoordination(clock?.now)));
  loginAttemptsContract('lowdb', () => opened(async () => new LoginThrottle()));
});
