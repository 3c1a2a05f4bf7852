import { createHash } from 'node:crypto';
import { vietnamMonth } from '../../days.js';
import type { Schema } from '../schema.js';
import type { ActivityLine, QueuedEvent, ZaloTokenRecord } from '../types.js';
import { times } from './conversations.js';
import { silentLogger, type Logger } from '../../log.js';
import { applyMigrations } from './migrate.js';
import { createPool, inTransaction, json, type PoolClient, type Pool } from './pool.js';
import { feedbackErased } from './records.js';
import { ensureMeta, readSnapshot } from './snapshot.js';
import { TICKET_COLUMNS, ticketRow } from './tickets.js';

/** Held while importing: two `store:migrate` runs at once would interleave their rows. */
const IMPORT_LOCK = [0x686d, 3] as const;
const FINGERPRINT_KEY = 'import_fingerprint';
const ROWS_PER_STATEMENT = 500;
const DATA_TABLES = 'conversations, tickets, users, sessions, audit, feedback, delivery_failures, proposals';
/** Replaced with the source's too, but not looked at to refuse (they change with every message anyway). */
const RUN_TABLES = 'inbound_events, user_leases, waiting_users, zalo_tokens, activity';

export class ImportRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportRefusedError';
  }
}

export interface ImportCounts {
  readonly conversations: number;
  readonly tickets: number;
  readonly users: number;
  readonly sessions: number;
  readonly audit: number;
  readonly feedback: number;
  readonly deliveryFailures: number;
  readonly proposals: number;
  /** Inbound events not finished yet (resumed by the instances), and ids kept for deduplication. */
  readonly pendingEvents: number;
  readonly seenEvents: number;
  readonly activityLines: number;
  readonly zaloTokens: boolean;
  /** The last ticket number handed out: new tickets continue after it. */
  readonly lastTicket: number;
}

/** Everything an embedded DATA_DIR holds besides db.json: the journal, the Zalo pair, the activity log. */
export interface ImportExtras {
  readonly pending: readonly QueuedEvent<unknown, unknown>[];
  readonly seen: ReadonlyArray<{ readonly id: string; readonly at: number }>;
  readonly tokens: ZaloTokenRecord | null;
  readonly activity: readonly ActivityLine[];
}

const NO_EXTRAS: ImportExtras = { pending: [], seen: [], tokens: null, activity: [] };

/**
 * Copies an embedded store's data (db.json as a Schema) into PostgreSQL, ticket numbers, secrets and order kept, in
 * one transaction. Safe to re-run: allowed on an empty database, or over an earlier import that nothing has changed
 * since (its fingerprint is kept in meta), which it replaces; refused once instances have written their own data.
 * Returns the counts read back from the tables, after checking they match the source.
 * Run it before starting instances on the database: they read the secrets once, when they open.
 */
export function importSnapshot(pool: Pool, data: Schema, extras: ImportExtras = NO_EXTRAS): Promise<ImportCounts> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...IMPORT_LOCK]);
    await refuseForeignData(client);
    await client.query(`TRUNCATE ${DATA_TABLES}, ${RUN_TABLES} RESTART IDENTITY`);
    await insertAll(client, data);
    await insertExtras(client, extras);
    const lastTicket = Math.max(data.counters.ticket, ...data.tickets.map((t) => t.id), 0);
    await client.query('SELECT setval($1, $2, $3)', ['ticket_numbers', Math.max(lastTicket, 1), lastTicket > 0]);
    // The activity log's pseudonyms are salted: the office's salt comes along, or its old lines would not match.
    if (data.meta.salt && data.meta.secret) {
      await client.query(`INSERT INTO meta (key, value) VALUES ('salt', $1), ('secret', $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [data.meta.salt, data.meta.secret]);
    } else {
      await ensureMeta(client);
    }
    const counts = await verify(client, data, extras, lastTicket);
    await client.query(`INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [FINGERPRINT_KEY, await fingerprint(client)]);
    return counts;
  });
}

/** `npm run store:migrate`'s step into PostgreSQL: its own short-lived pool, the schema brought up to date first. */
export async function importIntoPostgres(url: string, data: Schema, extras: ImportExtras = NO_EXTRAS, logger: Logger = silentLogger()): Promise<ImportCounts> {
  const pool = createPool(url, { logger, applicationName: 'hoanhmo:store-migrate', max: 2 });
  try {
    await applyMigrations(pool, logger);
    return await importSnapshot(pool, data, extras);
  } finally {
    await pool.end();
  }
}

async function fingerprint(client: PoolClient): Promise<string> {
  const { version: _v, meta: _m, ...data } = await readSnapshot(client, { salt: '', secret: '' });
  return createHash('sha256').update(JSON.stringify(data)).digest('hex');
}

async function refuseForeignData(client: PoolClient): Promise<void> {
  const { rows } = await client.query<{ n: number }>(`SELECT (${DATA_TABLES.split(', ').map((t) => `(SELECT count(*) FROM ${t})`).join(' + ')})::integer AS n`);
  if (rows[0]!.n === 0) return;
  const stored = (await client.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [FINGERPRINT_KEY])).rows[0]?.value;
  if (stored !== (await fingerprint(client))) {
    throw new ImportRefusedError('cơ sở dữ liệu PostgreSQL đã có dữ liệu ghi sau lần chuyển trước (hoặc dữ liệu khác): không ghi đè. Hãy dùng một cơ sở dữ liệu trống.');
  }
}

async function insertAll(client: PoolClient, data: Schema): Promise<void> {
  const conversations = Object.values(data.conversations).map((c) => {
    const { lastAt, oldestItemAt } = times(c);
    return [c.channel, c.userId, lastAt, oldestItemAt, json(c)];
  });
  await insertRows(client, 'conversations (channel, user_id, last_at, oldest_item_at, body)', conversations);
  await insertRows(client, `tickets (${TICKET_COLUMNS})`, data.tickets.map(ticketRow));
  await insertRows(client, 'users (id, username, body)', data.users.map((u) => [u.id, u.username, json(u)]));
  await insertRows(client, 'sessions (id, user_id, expires_at, body)', data.sessions.map((s) => [s.id, s.userId, s.expiresAt, json(s)]));
  await insertRows(client, 'audit (at, ticket_id, body)', data.audit.map((e) => [e.at, e.ticketId, json(e)]));
  await insertRows(client, 'feedback (at, channel, user_id, erased, body)', data.feedback.map((f) => [f.at, f.channel, f.userId, feedbackErased(f), json(f)]));
  await insertRows(client, 'delivery_failures (at, channel, user_id, body)', data.deliveryFailures.map((f) => [f.at, f.channel, f.userId, json(f)]));
  await insertRows(
    client,
    'proposals (entry_id, question, count, from_choice, from_officer, from_helpful, first_at, last_at, status)',
    (data.proposals ?? []).map((p) => [p.entryId, p.question, p.count, p.sources.choice, p.sources.officer, p.sources.helpful, p.firstAt, p.lastAt, p.status]),
  );
}

async function insertExtras(client: PoolClient, extras: ImportExtras): Promise<void> {
  // Ids already handled stay known (a late redelivery is still dropped); unfinished events resume on an instance.
  await insertRows(client, 'inbound_events (id, key, at, event, sends, sent, done_at)', [
    ...extras.seen.map((s) => [s.id, '', s.at, null, null, 0, s.at]),
    ...extras.pending.map((p) => [p.id, p.key, p.at, json(p.event), p.sends ? json(p.sends) : null, p.sent, null]),
  ]);
  await client.query(`INSERT INTO waiting_users (key, since_seq) SELECT key, min(seq) FROM inbound_events WHERE done_at IS NULL GROUP BY key`);
  if (extras.tokens) await client.query('INSERT INTO zalo_tokens (id, version, record) VALUES (1, 1, $1)', [json(extras.tokens)]);
  await insertRows(client, 'activity (at, month, ch, u, d, v, e, s)', extras.activity.map((a) => [a.at, vietnamMonth(a.at), a.ch, a.u, a.d, a.v, a.e, a.s]));
}

/** Multi-row inserts in order (serial columns keep the source's order). */
async function insertRows(client: PoolClient, target: string, rows: readonly unknown[][]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => `(${row.map((value) => `$${params.push(value)}`).join(', ')})`);
    await client.query(`INSERT INTO ${target} VALUES ${tuples.join(', ')}`, params);
  }
}

async function verify(client: PoolClient, data: Schema, extras: ImportExtras, lastTicket: number): Promise<ImportCounts> {
  const count = async (table: string) => (await client.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table}`)).rows[0]!.n;
  const counts: ImportCounts = {
    proposals: await count('proposals'),
    pendingEvents: await count('inbound_events WHERE done_at IS NULL'),
    seenEvents: await count('inbound_events WHERE done_at IS NOT NULL'),
    activityLines: await count('activity'),
    zaloTokens: (await count('zalo_tokens')) === 1,
    conversations: await count('conversations'),
    tickets: await count('tickets'),
    users: await count('users'),
    sessions: await count('sessions'),
    audit: await count('audit'),
    feedback: await count('feedback'),
    deliveryFailures: await count('delivery_failures'),
    lastTicket: (await client.query<{ n: number }>('SELECT last_value AS n FROM ticket_numbers')).rows[0]!.n,
  };
  const expected: ImportCounts = {
    proposals: (data.proposals ?? []).length,
    pendingEvents: extras.pending.length,
    seenEvents: extras.seen.length,
    activityLines: extras.activity.length,
    zaloTokens: extras.tokens !== null,
    conversations: Object.keys(data.conversations).length,
    tickets: data.tickets.length,
    users: data.users.length,
    sessions: data.sessions.length,
    audit: data.audit.length,
    feedback: data.feedback.length,
    deliveryFailures: data.deliveryFailures.length,
    lastTicket: Math.max(lastTicket, 1),
  };
  const wrong = (Object.keys(expected) as (keyof ImportCounts)[]).filter((k) => counts[k] !== expected[k]);
  if (wrong.length > 0) throw new ImportRefusedError(`số bản ghi sau khi chép không khớp với dữ liệu gốc: ${wrong.join(', ')}`);
  return { ...counts, lastTicket };
}
