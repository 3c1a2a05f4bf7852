import { vietnamMonth } from '../../days.js';
import type { ActivityLine, ActivityStore, TimeRange } from '../types.js';
import { inTransaction, type Pool, type PoolClient } from './pool.js';

interface LineRow {
  at: number;
  ch: ActivityLine['ch'];
  u: string;
  d: ActivityLine['d'];
  v: string;
  e: string | null;
  s: number;
}

/** The activity log as a table; `month` is the Vietnam month, as in the monthly files' names. */
export class PostgresActivity implements ActivityStore {
  constructor(private readonly pool: Pool) {}

  async append(lines: readonly ActivityLine[]): Promise<void> {
    if (lines.length === 0) return;
    const column = <K extends keyof ActivityLine>(k: K) => lines.map((l) => l[k]);
    await this.pool.query(
      `INSERT INTO activity (at, month, ch, u, d, v, e, s)
       SELECT at, month, ch, u, d, v, e, s FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::float8[]) WITH ORDINALITY AS l(at, month, ch, u, d, v, e, s, n) ORDER BY n`,
      [column('at'), lines.map((l) => vietnamMonth(l.at)), column('ch'), column('u'), column('d'), column('v'), column('e'), column('s')],
    );
  }

  /** Lines in [from, to), in time order. */
  async read(range: TimeRange): Promise<ActivityLine[]> {
    const { rows } = await this.pool.query<LineRow>('SELECT at, ch, u, d, v, e, s FROM activity WHERE at >= $1 AND at < $2 ORDER BY at, seq', [range.from, range.to]);
    return rows.map((r) => ({ at: r.at, ch: r.ch, u: r.u, d: r.d, v: r.v, e: r.e, s: r.s }));
  }

  /**
   * Month by month, as the files are rewritten: `map(month)` is asked once per month for that month's mapper, which
   * is then applied to each pseudonym of the month (every line with that pseudonym gets the same new one).
   */
  rewriteUsers(pick: { readonly before?: string; readonly user?: string }, map: (month: string) => (u: string) => string): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      let changed = 0;
      for (const month of await months(client, pick)) changed += await rewriteMonth(client, month, pick.user, map(month));
      return changed;
    });
  }
}

async function months(client: PoolClient, pick: { readonly before?: string; readonly user?: string }): Promise<string[]> {
  const { rows } = await client.query<{ month: string }>(
    'SELECT DISTINCT month FROM activity WHERE ($1::text IS NULL OR month < $1) AND ($2::text IS NULL OR u = $2) ORDER BY month',
    [pick.before ?? null, pick.user ?? null],
  );
  return rows.map((r) => r.month);
}

async function rewriteMonth(client: PoolClient, month: string, user: string | undefined, mapper: (u: string) => string): Promise<number> {
  const { rows } = await client.query<{ u: string }>('SELECT DISTINCT u FROM activity WHERE month = $1 AND ($2::text IS NULL OR u = $2)', [month, user ?? null]);
  const pairs = rows.map((r) => ({ from: r.u, to: mapper(r.u) })).filter((p) => p.to !== p.from);
  if (pairs.length === 0) return 0;
  const { rowCount } = await client.query(
    `UPDATE activity a SET u = m.to_u FROM unnest($2::text[], $3::text[]) AS m(from_u, to_u) WHERE a.month = $1 AND a.u = m.from_u`,
    [month, pairs.map((p) => p.from), pairs.map((p) => p.to)],
  );
  return rowCount ?? 0;
}
