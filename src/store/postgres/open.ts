import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { silentLogger, type Logger } from '../../log.js';
import type { ActivityStore, Coordination, DataStore, InboundQueue, LoginAttempts, TokenVault } from '../types.js';
import { PostgresActivity } from './activity.js';
import { PostgresCoordination } from './coordination.js';
import { PostgresDataStore } from './data-store.js';
import { PostgresLoginAttempts } from './login-attempts.js';
import { applyMigrations } from './migrate.js';
import { Notifications } from './notifications.js';
import { createPool } from './pool.js';
import { PostgresQueue } from './queue.js';
import { PostgresTokenVault } from './tokens.js';

export interface PostgresOptions {
  readonly clock?: () => number;
  readonly logger?: Logger;
  /** Names this process in job runs, notices and connection names; host, pid and a random suffix by default. */
  readonly instanceId?: string;
  /** Connections in the shared pool (default 20; the LISTEN connection and the 4 that store webhooks are extra). */
  readonly poolSize?: number;
}

/** E and S are the queue's event and send types (the dispatcher's), as in InboundQueue<E, S>. */
export interface PostgresStores<E = unknown, S = unknown> {
  readonly instanceId: string;
  readonly data: DataStore;
  readonly queue: InboundQueue<E, S>;
  readonly tokens: TokenVault;
  readonly activity: ActivityStore;
  readonly coordination: Coordination;
  readonly loginAttempts: LoginAttempts;
  /** Resolves once this process receives other instances' notices (the LISTEN connection is up). */
  listening(): Promise<void>;
  /** Ends the LISTEN connection and the pool: every store above stops working. Safe to call twice. */
  close(): Promise<void>;
}

const defaultInstanceId = () => `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;

/**
 * Opens every store on one PostgreSQL database (DATABASE_URL) through one pool, after bringing the schema up to
 * date. Several instances may open the same database at once: migrations run once, the secrets are created once.
 */
export async function openPostgres<E = unknown, S = unknown>(url: string, options: PostgresOptions = {}): Promise<PostgresStores<E, S>> {
  const clock = options.clock ?? Date.now;
  const logger = options.logger ?? silentLogger();
  const instanceId = options.instanceId ?? defaultInstanceId();
  const pool = createPool(url, { logger, applicationName: `hoanhmo:${instanceId}`.slice(0, 63), max: options.poolSize ?? 20 });
  // Webhooks are acknowledged once their events are stored: that insert must never wait behind the processing.
  const ingest = createPool(url, { logger, applicationName: `hoanhmo:${instanceId}:ingest`.slice(0, 63), max: 4 });
  try {
    await applyMigrations(pool, logger);
    const data = await PostgresDataStore.open(pool);
    const notifications = new Notifications(url, instanceId, logger);
    let closing: Promise<void> | null = null;
    return {
      instanceId,
      data,
      queue: new PostgresQueue<E, S>(pool, clock, ingest),
      tokens: new PostgresTokenVault(pool),
      activity: new PostgresActivity(pool),
      coordination: new PostgresCoordination(pool, notifications, clock, instanceId, logger),
      loginAttempts: new PostgresLoginAttempts(pool),
      listening: () => notifications.listening(),
      // Idempotent: a shutdown path and a test may both close.
      close() {
        closing ??= notifications.close().then(() => Promise.all([pool.end(), ingest.end()])).then(() => undefined);
        return closing;
      },
    };
  } catch (err) {
    await Promise.all([pool.end(), ingest.end()]).catch(() => undefined);
    throw err;
  }
}
