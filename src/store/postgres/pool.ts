import pg from 'pg';
import type { Logger } from '../../log.js';
import { StoreConflictError } from '../types.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Row = pg.QueryResultRow;
/** What runs a statement: the pool itself, or the connection of a transaction in progress. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

const INT8_OID = 20;

/**
 * bigint columns hold epoch milliseconds and counters, far below 2^53: read them as numbers, not the strings pg
 * returns by default. Per pool, not process-wide (pg.types.setTypeParser would change every other pg user).
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PoolOptions {
  readonly logger: Logger;
  readonly applicationName: string;
  readonly max?: number;
}

export function createPool(url: string, o: PoolOptions): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, types, max: o.max ?? 10, application_name: o.applicationName, idleTimeoutMillis: 30_000, keepAlive: true });
  // An idle connection dropped by the server (restart, failover) must not crash the process: the pool replaces it.
  pool.on('error', (err) => o.logger.warn({ err: err.message }, 'PostgreSQL: idle connection lost'));
  return pool;
}

/**
 * A client for one long-lived purpose (LISTEN) outside the pool, with the same number parsing. TCP keepalive: a
 * connection that died silently (a network cut) must end in an error, or notices would stop without anyone knowing.
 */
export function createClient(url: string, applicationName: string): pg.Client {
  return new pg.Client({ connectionString: url, types, application_name: applicationName, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
}

/**
 * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, mode = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query(mode);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // A connection that cannot even roll back is discarded, not handed to the next caller mid-transaction.
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw err;
  } finally {
    client.release(broken);
  }
}

const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === UNIQUE_VIOLATION;
}

/** Runs `work`, turning a unique-key violation into the store's conflict error with `message`. */
export async function refusingDuplicates<T>(message: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err)) throw new StoreConflictError(message);
    throw err;
  }
}

/**
 * JSON for a jsonb parameter (pg would send a JS array as a PostgreSQL array, not as JSON). PostgreSQL refuses the
 * NUL character in jsonb and text, and a message carrying one must not make a webhook fail forever: it becomes U+FFFD.
 */
export const json = (value: unknown): string => {
  // A replacer function makes JSON.stringify several times slower, and this runs for every event, plan and
  // conversation written: only a text that holds an escaped NUL (rare) is serialised again with one.
  const text = JSON.stringify(value);
  return text.includes('\\u0000') ? JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? withoutNul(v) : v)) : text;
};

export const withoutNul = (s: string): string => (s.includes('\0') ? s.replaceAll('\0', '\uFFFD') : s);
