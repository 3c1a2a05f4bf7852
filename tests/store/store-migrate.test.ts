import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { openPostgres } from '../../src/store/postgres/open.js';
import { FakeGraph } from '../helpers/fake-graph.js';
import { FakeZalo } from '../helpers/fake-zalo.js';
import { createDatabase } from '../helpers/postgres.js';
import { FIXTURE_NOW, messengerSays, startServer, zaloEnv, zaloSays } from '../helpers/server.js';

const run = promisify(execFile);
const url = inject('pgUrl');
if (!url) console.warn('Skipping the store:migrate test: PostgreSQL is not installed.');

const migrate = (dataDir: string, to: string) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/store-migrate.ts', '--to', to], { env: { PATH: process.env.PATH, DATA_DIR: dataDir } }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );

describe.skipIf(!url)('npm run store:migrate', () => {
  it('moves an office from DATA_DIR to PostgreSQL with what it verified, is safe to re-run, and refuses once instances wrote', async () => {
    const graph = await new FakeGraph().start();
    const zalo = await new FakeZalo().start();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'migrate-'));
    const server = await startServer(graph.url, zaloEnv(zalo.url), dataDir);
    await messengerSays(server, 'm-1', 'cho tôi gặp cán bộ', FIXTURE_NOW - 3000);
    await messengerSays(server, 'm-2', 'hq làm việc t7 ko', FIXTURE_NOW - 2000);
    await zaloSays(server, 'z-1', 'cho tôi gặp cán bộ', FIXTURE_NOW - 1000);
    const before = await server.store.snapshot();
    await server.close(1000);

    const database = await createDatabase(url, 'store_migrate');
    const first = await migrate(dataDir, database);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain('2 phiếu (số phiếu tiếp theo: 3), 1 tài khoản');
    expect(first.out).toContain('token Zalo');
    expect((await migrate(dataDir, database)).code).toBe(0); // re-run over its own import

    const pg = await openPostgres(database);
    try {
      const after = await pg.data.snapshot();
      expect(after.tickets).toEqual(before.tickets);
      expect(after.users).toEqual(before.users);
      expect(after.conversations).toEqual(before.conversations);
      expect(pg.data.meta).toEqual(before.meta);
      expect((await pg.tokens.read()).refreshToken).toBe('refresh-1');
      expect((await pg.activity.read({ from: 0, to: FIXTURE_NOW + 1 })).length).toBeGreaterThanOrEqual(3);
      // An instance writes: the next run refuses instead of overwriting.
      await pg.data.audit({ at: FIXTURE_NOW, actor: 'x', action: 'login', ticketId: null, detail: '' });
    } finally {
      await pg.close();
    }
    const refused = await migrate(dataDir, database);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('Không chuyển');
    await graph.stop();
    await zalo.stop();
  }, 60_000);
});
