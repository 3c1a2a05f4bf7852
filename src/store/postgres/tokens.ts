import type { TokenVault, ZaloTokenRecord } from '../types.js';
import { json, type Pool } from './pool.js';

/** The advisory lock every instance takes around a token refresh (distinct from the migration lock). */
const REFRESH_LOCK = [0x686d, 2] as const;

export function emptyTokenRecord(): ZaloTokenRecord {
  return { accessToken: null, refreshToken: null, accessExpiresAt: 0, refreshedAt: 0, status: 'ok', lastError: null, seededFrom: null };
}

/**
 * Zalo's token pair in one row with a version counter. A refresh runs under a session advisory lock held on its own
 * connection, so one instance at a time refreshes and the others, once they get the lock, re-read the fresh pair.
 */
export class PostgresTokenVault implements TokenVault {
  /** Callers in this process queue here first: each waiter would otherwise hold a pooled connection while blocked. */
  private local: Promise<unknown> = Promise.resolve();

  constructor(private readonly pool: Pool) {}

  async read(): Promise<ZaloTokenRecord> {
    const { rows } = await this.pool.query<{ record: ZaloTokenRecord }>('SELECT record FROM zalo_tokens WHERE id = 1');
    return { ...emptyTokenRecord(), ...rows[0]?.record };
  }

  async write(record: ZaloTokenRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO zalo_tokens (id, version, record) VALUES (1, 1, $1)
       ON CONFLICT (id) DO UPDATE SET version = zalo_tokens.version + 1, record = EXCLUDED.record`,
      [json(record)],
    );
  }

  async version(): Promise<number> {
    const { rows } = await this.pool.query<{ version: number }>('SELECT version FROM zalo_tokens WHERE id = 1');
    return rows[0]?.version ?? 0;
  }

  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.local.then(
      () => this.underAdvisoryLock(task),
      () => this.underAdvisoryLock(task),
    );
    this.local = run.catch(() => undefined);
    return run;
  }

  /** The lock belongs to the connection: it is released on that same connection, and dies with it if it breaks. */
  private async underAdvisoryLock<T>(task: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection that failed while locking or unlocking may still hold the lock: destroy it rather than pool it.
    let broken = true;
    try {
      await client.query('SELECT pg_advisory_lock($1, $2)', [...REFRESH_LOCK]);
      try {
        return await task();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [...REFRESH_LOCK]).then(() => (broken = false), () => undefined);
      }
    } finally {
      client.release(broken);
    }
  }
}
