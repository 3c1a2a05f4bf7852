import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { ImportRefusedError, importIntoPostgres } from '../../src/store/postgres/import.js';
import { openPostgres } from '../../src/store/postgres/open.js';
import type { Schema } from '../../src/store/schema.js';
import { Store } from '../../src/store/store.js';
import { createDatabase } from '../helpers/postgres.js';
import { failureOf, feedbackOf, session, staff, ticketFor } from './contract/fixtures.js';

const url = inject('pgUrl');
if (!url) console.warn('Skipping the PostgreSQL import tests: PostgreSQL is not installed (apt-get install -y postgresql).');

/** An office's embedded store, written by the real lowdb Store (ticket 3 was deleted: the counter is ahead). */
async function embedded(): Promise<Schema> {
  const store = await Store.open(await mkdtemp(path.join(os.tmpdir(), 'store-import-')));
  await store.update((d) => {
    d.conversations['zalo:z1'] = { channel: 'zalo', userId: 'z1', displayName: 'An', state: { awaiting: null, at: 0 }, lastUserMessageAt: 5, transcript: [{ at: 5, from: 'user', text: 'xin chào' }], pausedUntil: 0 };
    d.tickets.push(ticketFor(1), ticketFor(2, { userId: 'p2', status: 'closed' }), ticketFor(4, { channel: 'zalo', userId: 'z1' }));
    d.counters.ticket = 4;
    d.users.push(staff('id-b', 'binh'), staff('id-a', 'an', { role: 'admin' }));
    d.sessions.push(session('s2', { userId: 'id-a' }), session('s1', { userId: 'id-b' }));
    d.audit.push(...[3, 1, 2].map((at) => ({ at, actor: 'an', action: 'ticket.note', ticketId: at, detail: '' })));
    d.feedback.push(feedbackOf('zalo', 'z1', 20), feedbackOf('messenger', 'p2', 10));
    d.deliveryFailures.push(failureOf('zalo', 'z1', 30));
  });
  await store.close();
  return structuredClone(store.data) as Schema;
}

describe.skipIf(!url)('PostgreSQL: moving an office from the embedded store', () => {
  it('copies everything with its numbers, order and secrets, verifies the counts, and new tickets continue the numbering', async () => {
    const source = await embedded();
    const database = await createDatabase(url, 'store_import');
    const counts = await importIntoPostgres(database, source);
    expect(counts).toEqual({ conversations: 1, tickets: 3, users: 2, sessions: 2, audit: 3, feedback: 2, deliveryFailures: 1, proposals: 0, pendingEvents: 0, seenEvents: 0, activityLines: 0, zaloTokens: false, lastTicket: 4 });
    const stores = await openPostgres(database);
    try {
      expect(await stores.data.snapshot()).toEqual(source);
      expect(stores.data.meta).toEqual(source.meta);
      expect((await stores.data.createTicket((id) => ticketFor(id))).id).toBe(5);
    } finally {
      await stores.close();
    }
  });

  it('can be run again until the instances write their own data, then refuses', async () => {
    const source = await embedded();
    const database = await createDatabase(url, 'store_import_again');
    await importIntoPostgres(database, source);
    const again = await importIntoPostgres(database, source);
    expect(again.tickets).toBe(3);
    const stores = await openPostgres(database);
    try {
      expect((await stores.data.snapshot()).audit).toEqual(source.audit);
      await stores.data.addFeedback(feedbackOf('web', 'w1', 40));
      await expect(importIntoPostgres(database, source)).rejects.toBeInstanceOf(ImportRefusedError);
      expect(await stores.data.feedback()).toHaveLength(3);
    } finally {
      await stores.close();
    }
  });
});
