import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Logger } from '../../log.js';
import { inTransaction, type Pool, type PoolClient } from './pool.js';

/** The numbered SQL files beside this module (copied to dist/ by `npm run build`). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Held for the whole migration transaction: instances starting together apply each file exactly once. */
const MIGRATION_LOCK = [0x686d, 1] as const;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** `NNN_name.sql`, in version order; a malformed name or a repeated number is refused rather than skipped. */
export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = /^(\d+)_([a-z0-9_-]+)\.sql$/i.exec(file);
    if (!match) throw new MigrationError(`tên tệp chuyển đổi không hợp lệ: ${file} (cần dạng 001_ten.sql)`);
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) throw new MigrationError(`hai tệp chuyển đổi cùng số ${version}`);
    migrations.push({ version, name: match[2]!, sql: await readFile(path.join(dir, file), 'utf8') });
  }
  return migrations.sort((a, b) => a.version - b.version);
}

/**
 * Brings the database up to date: every migration not yet recorded in schema_migrations, in order, in one
 * transaction under an advisory lock (a second instance waits, then finds nothing left to do). Returns the versions
 * applied here.
 */
export async function applyMigrations(pool: Pool, logger: Logger, dir = MIGRATIONS_DIR): Promise<number[]> {
  const migrations = await loadMigrations(dir);
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = await appliedVersions(client);
    const newer = [...done].filter((v) => !migrations.some((m) => m.version === v));
    if (newer.length > 0) logger.warn({ versions: newer }, 'PostgreSQL: the database has migrations this version does not know (a newer version ran)');
    const applied: number[] = [];
    for (const m of migrations.filter((m) => !done.has(m.version))) {
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    if (applied.length > 0) logger.info({ versions: applied }, 'PostgreSQL: migrations applied');
    return applied;
  });
}

async function appliedVersions(client: PoolClient): Promise<Set<number>> {
  const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
  return new Set(rows.map((r) => r.version));
}
