import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BackupManifest } from '../../src/store/backup.js';
import { killChildServers, startChildServer } from '../helpers/child-server.js';
import { FakeGraph } from '../helpers/fake-graph.js';
import { FakeZalo } from '../helpers/fake-zalo.js';
import { ADMIN, messengerEnv, signed, ZALO, zaloEnv, zaloSigned } from '../helpers/server.js';

/**
 * Backup under load and restore into a fresh data directory, with the real entry point and the real commands in
 * their own processes, as an operator runs them.
 */
const run = promisify(execFile);
let graph: FakeGraph;
let zalo: FakeZalo;
beforeAll(async () => {
  graph = await new FakeGraph().start();
  zalo = await new FakeZalo().start();
});
afterAll(async () => {
  await graph.stop();
  await zalo.stop();
});
afterEach(() => {
  killChildServers();
});

const envFor = (dataDir: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  DATA_DIR: dataDir,
  LOG_LEVEL: 'info',
  ...messengerEnv(graph.url),
  ADMIN_USERNAME: ADMIN.username,
  ADMIN_PASSWORD: ADMIN.password,
  ...zaloEnv(zalo.url),
});

async function serve(dataDir: string) {
  const server = startChildServer(envFor(dataDir));
  return { ...server, base: await server.base };
}

const command = (script: string, args: string[], dataDir: string) =>
  run(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], { env: envFor(dataDir) }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );

let mid = 0;
async function messenger(base: string, user: string, text: string): Promise<void> {
  const at = Date.now();
  const body = JSON.stringify({ object: 'page', entry: [{ id: '1', time: at, messaging: [{ sender: { id: user }, recipient: { id: '1' }, timestamp: at, message: { mid: `m_bk_${++mid}`, text } }] }] });
  const res = await fetch(`${base}/webhooks/messenger`, { method: 'POST', headers: signed(body), body });
  expect(res.status).toBe(200);
}

/** Logs in through the real form; true when the password is accepted. */
async function canLogIn(base: string, password: string): Promise<boolean> {
  const form = await fetch(`${base}/inbox/login`);
  const cookie = String(form.headers.get('set-cookie')).split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const res = await fetch(`${base}/inbox/login`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, username: ADMIN.username, password }) });
  return res.status === 303;
}

describe('backup and restore', () => {
  it('a backup taken under load restores into a fresh DATA_DIR; the server starts with the same tickets, accounts, tokens and journal', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bk-live-'));
    const server = await serve(dataDir);
    for (let i = 0; i < 4; i++) await messenger(server.base, `bk-ticket-${i}`, 'cho tôi gặp cán bộ');
    const zaloBody = JSON.stringify({ app_id: ZALO.appId, event_name: 'user_send_text', timestamp: String(Date.now()), sender: { id: 'zbk-1' }, recipient: { id: '1' }, message: { text: 'xin chào', msg_id: 'z_bk_1' } });
    expect((await fetch(`${server.base}/webhooks/zalo`, { method: 'POST', headers: zaloSigned(zaloBody), body: zaloBody })).status).toBe(200);
    for (const started = Date.now(); zalo.sends.length === 0; await new Promise((r) => setTimeout(r, 50))) if (Date.now() - started > 10_000) throw new Error('no Zalo reply');

    // Load: a slow Send API keeps replies in the journal while the backup is taken.
    graph.delayMs = 500;
    const load = Promise.all(Array.from({ length: 200 }, (_, i) => messenger(server.base, `bk-load-${i}`, 'thủ tục hoàn thuế nhập khẩu')));
    await new Promise((r) => setTimeout(r, 150));
    const outDir = await mkdtemp(path.join(os.tmpdir(), 'bk-out-'));
    const backedUp = await command('backup', ['--out', outDir], dataDir);
    expect(backedUp.code, backedUp.out).toBe(0);
    expect(backedUp.out).toMatch(/Đã sao lưu vào .*hoanhmo-/);
    await load;
    server.child.kill('SIGTERM');
    await server.exited;
    graph.delayMs = 0;

    const [folder] = await readdir(outDir);
    const backup = path.join(outDir, folder!);
    const manifest = JSON.parse(await readFile(path.join(backup, 'manifest.json'), 'utf8')) as BackupManifest;
    expect(manifest.counts).toMatchObject({ tickets: 4, users: 1, zaloTokens: true });
    expect(manifest.counts.journalPending).toBeGreaterThan(0); // really taken under load
    expect(manifest.files.map((f) => f.path)).toEqual(expect.arrayContaining(['db.json', 'inbound.log', 'zalo-tokens.json']));

    // A damaged copy is refused before anything is touched.
    const damaged = await mkdtemp(path.join(os.tmpdir(), 'bk-bad-'));
    await run('cp', ['-r', `${backup}/.`, damaged]);
    await writeFile(path.join(damaged, 'db.json'), (await readFile(path.join(damaged, 'db.json'), 'utf8')).replace('"tickets":[', '"tickets":[ '));
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'bk-fresh-'));
    const refused = await command('restore', ['--from', damaged], fresh);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('không khớp mã kiểm tra');

    const restored = await command('restore', ['--from', backup], fresh);
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toContain('4 phiếu, 1 tài khoản');
    const before = graph.messages.length;
    const again = await serve(fresh);
    // The restored journal's unfinished replies go out after the restart.
    for (const started = Date.now(); graph.messages.length === before; await new Promise((r) => setTimeout(r, 50))) if (Date.now() - started > 10_000) throw new Error('journal not resumed');
    expect(await canLogIn(again.base, ADMIN.password)).toBe(true);
    const db = JSON.parse(await readFile(path.join(fresh, 'db.json'), 'utf8')) as { tickets: Array<{ userId: string }> };
    expect(db.tickets.map((t) => t.userId).sort()).toEqual(['bk-ticket-0', 'bk-ticket-1', 'bk-ticket-2', 'bk-ticket-3']);
    expect(await readFile(path.join(fresh, 'zalo-tokens.json'), 'utf8')).toBe(await readFile(path.join(backup, 'zalo-tokens.json'), 'utf8'));

    // Refused while a server holds the data directory.
    const busy = await command('restore', ['--from', backup], fresh);
    expect(busy.code).toBe(1);
    expect(busy.out).toContain('Hãy dừng máy chủ trước khi khôi phục');
    again.child.kill('SIGTERM');
    await again.exited;
  }, 120_000);
});
