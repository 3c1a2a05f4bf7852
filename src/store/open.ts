import type { InboundEvent, OutboundMessage } from '../channels/types.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { LoginThrottle } from '../web/limits.js';
import { FileActivityStore } from './activity-files.js';
import { nightlyBackups, takeSnapshot, writeBackup, type BackupManifest } from './backup.js';
import { FileTokenVault } from './file-token-vault.js';
import { Journal } from './journal.js';
import { LocalCoordination } from './local-coordination.js';
import { lockDataDir } from './lock.js';
import { LowdbDataStore } from './lowdb-data.js';
import type { ActivityStore, Coordination, DataStore, InboundQueue, LoginAttempts, TokenVault } from './types.js';

/** Everything the product keeps, from one of the two stores (see types.ts). */
export interface Stores {
  readonly kind: 'lowdb' | 'postgres';
  readonly data: DataStore;
  readonly queue: InboundQueue<InboundEvent, OutboundMessage>;
  readonly tokens: TokenVault;
  readonly activity: ActivityStore;
  readonly coordination: Coordination;
  readonly loginAttempts: LoginAttempts;
  /**
   * A consistent copy of the embedded store's DATA_DIR (null with PostgreSQL: its own tools back it up). `flush` is
   * called first to write what the caller still buffers (the activity log).
   */
  readonly backup: ((outDir: string, flush: () => Promise<void>) => Promise<{ dir: string; manifest: BackupManifest }>) | null;
  close(): Promise<void>;
}

export interface OpenOptions {
  readonly clock?: () => number;
  readonly logger: Logger;
}

/**
 * Opens the embedded store: lowdb file, journal, token file and activity files in DATA_DIR, claimed by this
 * process (a second server or a writing command on the same directory is refused).
 */
export async function openEmbeddedStores(dataDir: string, o: OpenOptions): Promise<Stores> {
  const clock = o.clock ?? Date.now;
  const unlock = await lockDataDir(dataDir);
  try {
    const data = await LowdbDataStore.open(dataDir);
    const journal = await Journal.open<InboundEvent, OutboundMessage>(dataDir, clock, (line) => o.logger.warn({ line }, 'unreadable line in the inbound journal skipped'));
    return {
      kind: 'lowdb',
      data,
      queue: journal,
      tokens: await FileTokenVault.open(dataDir),
      activity: FileActivityStore.at(dataDir),
      coordination: new LocalCoordination(clock),
      loginAttempts: new LoginThrottle(),
      backup: async (outDir, flush) => {
        await flush();
        return writeBackup(dataDir, outDir, takeSnapshot(data, journal), clock());
      },
      async close() {
        await journal.close();
        await data.close();
        await unlock();
      },
    };
  } catch (err) {
    await unlock();
    throw err;
  }
}

/** Opens every store on the PostgreSQL database at `url`; several instances may share it. */
export async function openPostgresStores(url: string, o: OpenOptions): Promise<Stores> {
  // Loaded only when DATABASE_URL asks for it: the pg client costs memory an office on the embedded store need not pay.
  const { openPostgres } = await import('./postgres/open.js');
  const pg = await openPostgres<InboundEvent, OutboundMessage>(url, { ...(o.clock ? { clock: o.clock } : {}), logger: o.logger });
  await pg.listening();
  return { kind: 'postgres', data: pg.data, queue: pg.queue, tokens: pg.tokens, activity: pg.activity, coordination: pg.coordination, loginAttempts: pg.loginAttempts, backup: null, close: () => pg.close() };
}

/** The stores the configuration asks for: PostgreSQL with DATABASE_URL, else the embedded one in DATA_DIR. */
export function openStores(config: Config, o: OpenOptions): Promise<Stores> {
  return config.databaseUrl ? openPostgresStores(config.databaseUrl, o) : openEmbeddedStores(config.dataDir, o);
}

