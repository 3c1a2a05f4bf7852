import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../helpers/fake-graph.js';
import { login } from '../helpers/inbox.js';
import { ADMIN, eventually, FIXTURE_NOW, messengerSays, startServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const tsx = path.resolve('node_modules/.bin/tsx');

let graph: FakeGraph;
let server: TestServer;
let now = FIXTURE_NOW;
beforeAll(async () => {
  graph = await new FakeGraph().start();
});
afterAll(async () => {
  await graph.stop();
});
afterEach(async () => {
  await server?.close(1000);
});

const day = new Date(FIXTURE_NOW + 7 * 3600_000).toISOString().slice(0, 10);
const PRIVATE = 'Cty Hoàng Long nhập khẩu lô than cám 0912345678';

async function says(user: string, text: string): Promise<void> {
  now += 60_000;
  await messengerSays(server, user, text, now);
}

/** Two users: one answered (👍), one handed over with a private question and answered by an officer. */
async function activity(): Promise<void> {
  server = await startServer(graph.url, {}, undefined, () => now);
  await says('r-1', 'hq làm việc thứ 7 không');
  await says('r-1', '1');
  await says('r-2', PRIVATE);
  await says('r-2', 'cho em gặp cán bộ');
  const ticket = (await server.tickets.openFor('messenger', 'r-2'))!;
  const { agent, csrf } = await login(server.app, ADMIN.username, ADMIN.password);
  await agent.post(`/inbox/tickets/${ticket.id}/reply`).type('form').send({ _csrf: csrf, text: 'Chào anh, hồ sơ gồm…' });
  await eventually(async () => expect((await server.tickets.byId(ticket.id))!.firstResponseAt).not.toBeNull());
  await server.activity.flush();
}

describe('reports', () => {
  it('the admin page shows the period figures per channel with SVG charts, and downloads CSV', async () => {
    await activity();
    const { agent } = await login(server.app, ADMIN.username, ADMIN.password);
    const page = await agent.get(`/admin/reports?from=${day}&to=${day}`);
    expect(page.status).toBe(200);
    const cell = (metric: string, channel: string) => new RegExp(`data-metric="${metric}">.*?data-channel="${channel}">([^<]*)<`, 's').exec(page.text)?.[1];
    expect(cell('users', 'messenger')).toBe('2');
    expect(cell('questions', 'messenger')).toBe('3');
    expect(cell('answeredAutomatically', 'messenger')).toBe('1');
    expect(cell('escalated', 'total')).toBe('1');
    expect(cell('ticketsAnswered', 'total')).toBe('1');
    expect(cell('helpfulRate', 'messenger')).toBe('100');
    expect(page.text).toMatch(/<svg[^>]*role="img"/);
    expect(page.text).toContain('<rect class="s1"');

    const csv = await agent.get(`/admin/reports.csv?from=${day}&to=${day}`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain(`bao-cao-${day}-${day}.csv`);
    expect(csv.text).toContain('Tổng hợp,Messenger,Câu hỏi,3,lượt');
    expect((await agent.get('/admin/reports?from=2026-13-01&to=2026-01-01')).status).toBe(400);
  });

  it('npm run report prints the same figures, in every format, without what users wrote', async () => {
    await activity();
    await server.close(1000);
    const env = { ...process.env, DATA_DIR: server.dataDir, KNOWLEDGE_DIR: path.resolve('knowledge') };
    const report = (format: string) => run(tsx, ['src/cli/report.ts', '--from', day, '--to', day, '--format', format], { env }).then((r) => r.stdout);
    const [csv, md, json] = await Promise.all([report('csv'), report('md'), report('json')]);
    expect(csv).toContain('Tổng hợp,Messenger,Câu hỏi,3,lượt');
    expect(md).toContain('| Câu hỏi (lượt) | 3 | 3 |');
    const parsed = JSON.parse(json) as { from: string; channels: Array<{ channel: string; questions: number }> };
    expect(parsed.from).toBe(day);
    expect(parsed.channels.find((c) => c.channel === 'total')?.questions).toBe(3);
    for (const out of [csv, md, json]) {
      expect(out).not.toContain('Hoàng Long');
      expect(out).not.toContain('0912345678');
      expect(out).not.toContain('r-2');
    }
    const bad = await run(tsx, ['src/cli/report.ts', '--from', '2026-02-30x'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('không hợp lệ') });
  });
});
