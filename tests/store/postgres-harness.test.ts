import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../helpers/postgres.js';

const url = inject('pgUrl');
if (!url) console.warn('Skipping the PostgreSQL harness test: PostgreSQL is not installed.');

describe.skipIf(!url)('throwaway PostgreSQL', () => {
  it('runs on a random local port with its own database per test file', async () => {
    const db = await createDatabase(url, 'harness');
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    const { rows } = await client.query<{ db: string; version: string }>('SELECT current_database() AS db, version() AS version');
    await client.end();
    expect(rows[0]!.db).toBe('harness');
    expect(rows[0]!.version).toMatch(/^PostgreSQL \d+/);
    expect(new URL(db).hostname).toBe('127.0.0.1');
  });
});
