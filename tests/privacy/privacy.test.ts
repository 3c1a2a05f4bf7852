import { FileActivityStore } from '../../src/store/activity-files.js';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyRetention, ERASED_TEXT, retentionCutoff } from '../../src/privacy/personal-data.js';
import { ActivityLog, ALL_TIME } from '../../src/reports/activity.js';
import { emptyData, type ConversationRecord, type Schema, type Ticket } from '../../src/store/schema.js';
import { FakeGraph } from '../helpers/fake-graph.js';
import { FakeZalo } from '../helpers/fake-zalo.js';
import { csrfIn, login } from '../helpers/inbox.js';
import { ADMIN, FIXTURE_NOW, messengerSays, startServer, ZALO, zaloEnv, zaloSigned, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const tsx = path.resolve('node_modules/.bin/tsx');
const DAY = 24 * 3600_000;

describe('retention', () => {
  const now = Date.parse('2026-11-27T03:00:00Z');
  const cutoff = retentionCutoff(now, 12);
  const old = cutoff - DAY;
  const recent = cutoff + DAY;

  const conversation = (userId: string, lines: number[]): ConversationRecord => ({
    channel: 'messenger',
    userId,
    displayName: 'Nguyễn An',
    state: { awaiting: null, at: 0 },
    lastUserMessageAt: Math.max(...lines),
    transcript: lines.map((at) => ({ at, from: 'user' as const, text: `tin nhắn lúc ${at}` })),
    pausedUntil: 0,
  });
  const ticket = (id: number, updatedAt: number): Ticket => ({
    id,
    channel: 'zalo',
    userId: `z-${id}`,
    displayName: 'Trần Bình',
    question: 'Cty Hoàng Long nhập than đá cần giấy tờ gì?',
    reason: 'no-answer',
    transcript: [{ at: updatedAt, from: 'user', text: 'SĐT 0912345678' }],
    candidates: [{ id: 'than', score: 0.5, question: 'Xuất khẩu than' }],
    status: 'closed',
    assignee: 'o1',
    createdAt: updatedAt - DAY,
    updatedAt,
    firstResponseAt: updatedAt - 3600_000,
    slaDueAt: updatedAt,
    lastUserMessageAt: updatedAt - DAY,
    lastOfficerReplyAt: updatedAt - 3600_000,
    botResumedAt: null,
    closedAt: updatedAt,
    unread: false,
    notes: [{ at: updatedAt, by: 'o1', text: 'khách quen' }],
    replies: [{ id: 'r', at: updatedAt, by: 'o1', text: 'Anh gửi hồ sơ qua email', entryId: null, status: 'sent', attempts: 1, error: null, sentAt: updatedAt, messageIds: [], deliveredAt: null, seenAt: null }],
    rating: { stars: 4, at: updatedAt, officer: 'o1', comment: 'tốt' },
  });

  function crafted(): Schema {
    const data = emptyData();
    data.conversations['messenger:gone'] = conversation('gone', [old - DAY, old]);
    data.conversations['messenger:mixed'] = conversation('mixed', [old, recent]);
    data.tickets.push(ticket(1, old), ticket(2, recent));
    data.feedback.push(
      { at: old, channel: 'zalo', userId: 'z-1', entryId: 'than', question: 'than đá?', helpful: false },
      { at: recent, channel: 'zalo', userId: 'z-2', entryId: 'than', question: 'than cám?', helpful: true },
    );
    data.deliveryFailures.push(
      { at: old, channel: 'zalo', userId: 'z-1', text: 'x', kind: 'window', platformMessage: '', code: null },
      { at: recent, channel: 'zalo', userId: 'z-2', text: 'y', kind: 'window', platformMessage: '', code: null },
    );
    return data;
  }

  it('removes the personal part of what is older than the limit, and only that', () => {
    const data = crafted();
    const counts = applyRetention(data, cutoff, now);
    expect(counts).toEqual({ conversations: 1, transcriptItems: 1, tickets: 1, feedback: 1, deliveryFailures: 1 });
    expect(Object.keys(data.conversations)).toEqual(['messenger:mixed']);
    expect(data.conversations['messenger:mixed']!.transcript.map((i) => i.at)).toEqual([recent]);

    const [erased, kept] = data.tickets;
    expect(erased).toMatchObject({ id: 1, question: ERASED_TEXT, displayName: null, transcript: [], notes: [], erasedAt: now, status: 'closed', firstResponseAt: old - 3600_000 });
    expect(erased!.userId).not.toBe('z-1');
    expect(erased!.replies[0]).toMatchObject({ text: ERASED_TEXT, status: 'sent' });
    // The rating's figure stays for the reports; the comment (free text) goes.
    expect(erased!.rating).toEqual({ stars: 4, at: old, officer: 'o1', comment: null });
    expect(JSON.stringify(erased)).not.toMatch(/Hoàng Long|0912345678|khách quen|Trần Bình/);
    expect(kept).toEqual(ticket(2, recent));

    expect(data.feedback).toEqual([
      { at: old, channel: 'zalo', userId: '', entryId: 'than', question: '', helpful: false },
      { at: recent, channel: 'zalo', userId: 'z-2', entryId: 'than', question: 'than cám?', helpful: true },
    ]);
    expect(data.deliveryFailures.map((f) => f.userId)).toEqual(['z-2']);
  });

  it('is idempotent: a second run the same day changes nothing', () => {
    const data = crafted();
    applyRetention(data, cutoff, now);
    const once = JSON.stringify(data);
    expect(applyRetention(data, cutoff, now)).toEqual({ conversations: 0, transcriptItems: 0, tickets: 0, feedback: 0, deliveryFailures: 0 });
    expect(JSON.stringify(data)).toBe(once);
  });

  it('unlinks activity lines of months before the limit: distinct users still count within a month, not across', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'activity-'));
    const log = new ActivityLog(new FileActivityStore(dir), 'salt');
    const outcome = { decision: 'answer', via: 'question', entryId: 'e', score: 1, candidates: [], suggestions: [] } as const;
    const at = (iso: string) => Date.parse(`${iso}T10:00:00+07:00`);
    for (const [day, user] of [['2025-09-03', 'a'], ['2025-09-04', 'a'], ['2025-09-05', 'b'], ['2025-10-01', 'a'], ['2025-12-01', 'a']] as const) {
      log.record('zalo', user, outcome, at(day));
    }
    await log.flush();
    expect(await log.unlinkBefore('2025-11')).toBe(4);
    const lines = await log.read(0, ALL_TIME);
    const sept = lines.filter((l) => l.at < at('2025-10-01')).map((l) => l.u);
    expect(new Set(sept).size).toBe(2);
    expect(sept.every((u) => u.startsWith('x'))).toBe(true);
    const october = lines.find((l) => l.at === at('2025-10-01'))!.u;
    expect(sept).not.toContain(october);
    expect(lines.find((l) => l.at === at('2025-12-01'))!.u).toBe(log.userKey('zalo', 'a'));
    expect(await log.unlinkBefore('2025-11')).toBe(0);
  });
});

describe('personal data requests', () => {
  let graph: FakeGraph;
  let zalo: FakeZalo;
  let server: TestServer;
  let now = FIXTURE_NOW;
  beforeAll(async () => {
    graph = await new FakeGraph().start();
    zalo = await new FakeZalo().start();
  });
  afterAll(async () => {
    await graph.stop();
    await zalo.stop();
  });
  afterEach(async () => {
    await server?.close(1000);
    zalo.reset();
  });

  async function says(user: string, text: string): Promise<void> {
    now += 1000;
    await messengerSays(server, user, text, now);
  }

  /** Two people: A (a ticket and 👎 feedback) and B. */
  async function twoUsers(): Promise<void> {
    server = await startServer(graph.url, zaloEnv(zalo.url), undefined, () => now);
    await says('user-A', 'hq làm việc thứ 7 không');
    await says('user-A', '2');
    await says('user-A', 'có');
    await says('user-A', 'Cty Hoàng Long, SĐT 0912345678');
    await says('user-B', 'hq làm việc thứ 7 không');
    await says('user-B', 'cho tôi gặp cán bộ');
    await server.activity.flush();
  }

  it('export gives everything about one person and nothing about another', async () => {
    await twoUsers();
    const data = await server.personalData.export('messenger', 'user-A');
    expect(data.conversation?.transcript.map((t) => t.text)).toContain('Cty Hoàng Long, SĐT 0912345678');
    expect(data.tickets.map((t) => t.userId)).toEqual(['user-A']);
    expect(data.feedback).toEqual([expect.objectContaining({ userId: 'user-A', helpful: false })]);
    expect(data.activity.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(data)).not.toContain('user-B');
  });

  it('delete erases one person and leaves the other untouched; the report counts stay', async () => {
    await twoUsers();
    const { reportFor } = await import('../../src/reports/source.js');
    const sources = async () => ({ data: await server.store.snapshot(), activity: server.activity, knowledge: server.knowledge(), calendar: { days: [], holidays: new Set<string>(), utcOffsetMinutes: 420 } });
    const before = await reportFor(await sources(), 0, now + DAY);
    const bBefore = JSON.stringify([(await server.conversations.record('messenger', 'user-B')), (await server.tickets.openFor('messenger', 'user-B'))]);

    const counts = await server.personalData.erase('messenger', 'user-A');
    expect(counts).toMatchObject({ conversations: 1, tickets: 1, feedback: 1 });
    expect(counts.activityLines).toBeGreaterThanOrEqual(4);

    const db = await readFile(path.join(server.dataDir, 'db.json'), 'utf8');
    expect(db).not.toContain('user-A');
    expect(db).not.toContain('Hoàng Long');
    const activity = (await Promise.all((await readdir(path.join(server.dataDir, 'activity'))).map((f) => readFile(path.join(server.dataDir, 'activity', f), 'utf8')))).join('');
    expect(activity).not.toContain(server.activity.userKey('messenger', 'user-A'));
    expect(activity).toContain(server.activity.userKey('messenger', 'user-B'));
    expect(await server.personalData.export('messenger', 'user-A')).toMatchObject({ conversation: null, tickets: [], feedback: [], activity: [] });

    expect(JSON.stringify([(await server.conversations.record('messenger', 'user-B')), (await server.tickets.openFor('messenger', 'user-B'))])).toBe(bBefore);
    const after = await reportFor(await sources(), 0, now + DAY);
    expect(after.channels).toEqual(before.channels);
    // The erased ticket is closed, without its question.
    expect((await server.tickets.all()).find((t) => t.erasedAt)).toMatchObject({ status: 'closed', question: ERASED_TEXT });
  });

  it('the retention job on the running server erases what passed the limit and keeps the figures', async () => {
    await twoUsers();
    const { reportFor } = await import('../../src/reports/source.js');
    const sources = async () => ({ data: await server.store.snapshot(), activity: server.activity, knowledge: server.knowledge(), calendar: { days: [], holidays: new Set<string>(), utcOffsetMinutes: 420 } });
    const start = FIXTURE_NOW - DAY;
    const end = now + DAY;
    const before = await reportFor(await sources(), start, end);
    await server.phrasings.record('gio-lam-viec', 'chỗ mình thứ bảy mở cửa không', 'choice', now);
    await server.phrasings.record('lien-he', 'số máy bàn của chi cục', 'officer', now);
    const accepted = (await server.phrasings.list()).find((p) => p.entryId === 'lien-he')!;
    await server.phrasings.accept(accepted, now);
    expect(await server.personalData.applyRetention()).toMatchObject({ conversations: 0, tickets: 0, phrasings: 0 });
    now += 400 * DAY;
    const counts = await server.personalData.applyRetention();
    expect(counts).toMatchObject({ conversations: 2, tickets: 2, feedback: 1, phrasings: 1 });
    // A proposal waiting longer than the limit goes; one already added to the knowledge base stays.
    expect((await server.store.proposals()).map((p) => p.entryId)).toEqual(['lien-he']);
    expect(counts.activityLines).toBeGreaterThan(0);
    expect(await readFile(path.join(server.dataDir, 'db.json'), 'utf8')).not.toMatch(/user-A|user-B|Hoàng Long/);
    const after = await reportFor(await sources(), start, end);
    expect(after.channels).toEqual(before.channels);
    now = FIXTURE_NOW;
  });

  it("Zalo's user_withdraw event erases that user's data", async () => {
    server = await startServer(graph.url, zaloEnv(zalo.url), undefined, () => now);
    const zaloEvent = async (event: Record<string, unknown>) => {
      now += 1000;
      const body = JSON.stringify({ app_id: ZALO.appId, timestamp: String(now), ...event });
      expect((await request(server.app).post('/webhooks/zalo').set(zaloSigned(body)).send(body)).status).toBe(200);
      await server.dispatcher.idle();
    };
    await zaloEvent({ event_name: 'user_send_text', sender: { id: 'z-A' }, recipient: { id: '579745863508352884' }, message: { text: 'hq làm việc thứ 7 không', msg_id: 'w1' } });
    await zaloEvent({ event_name: 'user_send_text', sender: { id: 'z-B' }, recipient: { id: '579745863508352884' }, message: { text: 'hq làm việc thứ 7 không', msg_id: 'w2' } });
    expect((await server.conversations.record('zalo', 'z-A'))).toBeDefined();
    await zaloEvent({ event_name: 'user_withdraw', sender: { id: 'z-A' }, recipient: { id: '579745863508352884' } });
    expect(await server.conversations.record('zalo', 'z-A')).toBeNull();
    expect((await server.conversations.record('zalo', 'z-B'))).toBeDefined();
    expect((await server.personalData.export('zalo', 'z-A')).activity).toEqual([]);
    expect(server.logs.text).not.toContain('z-A');
  });

  it('the admin page exports and, once confirmed, erases; the audit log keeps no raw id', async () => {
    await twoUsers();
    const { agent } = await login(server.app, ADMIN.username, ADMIN.password);
    const page = await agent.get('/admin/privacy');
    expect(page.status).toBe(200);
    const csrf = csrfIn(page.text);
    const exported = await agent.post('/admin/privacy/export').type('form').send({ _csrf: csrf, channel: 'messenger', user: 'user-A' });
    expect(exported.headers['content-disposition']).toContain('attachment');
    expect(JSON.parse(exported.text)).toMatchObject({ channel: 'messenger', userId: 'user-A' });

    // By ticket number, without the confirmation box: refused, nothing erased.
    const ticketId = (await server.tickets.openFor('messenger', 'user-A'))!.id;
    const refused = await agent.post('/admin/privacy/erase').type('form').send({ _csrf: csrf, channel: 'messenger', user: `#${ticketId}` });
    expect(refused.status).toBe(400);
    expect((await server.conversations.record('messenger', 'user-A'))).toBeDefined();

    const erased = await agent.post('/admin/privacy/erase').type('form').send({ _csrf: csrf, channel: 'messenger', user: `#${ticketId}`, confirm: 'yes' });
    expect(erased.status).toBe(200);
    expect(erased.text).toContain('Đã xoá: 1 cuộc trò chuyện, 1 phiếu hỗ trợ');
    expect(await server.conversations.record('messenger', 'user-A')).toBeNull();
    expect((await server.conversations.record('messenger', 'user-B'))).toBeDefined();
    const audit = (await server.store.snapshot()).audit.filter((a) => a.action.startsWith('privacy.'));
    expect(audit.map((a) => a.action)).toEqual(['privacy.export', 'privacy.erase']);
    expect(JSON.stringify(audit)).not.toContain('user-A');
    expect((await agent.post('/admin/privacy/erase').type('form').send({ _csrf: csrf, channel: 'messenger', user: '#9999', confirm: 'yes' })).status).toBe(404);
  });

  it('npm run user-data refuses while the server runs, then exports and deletes one user', async () => {
    await twoUsers();
    const env = { ...process.env, DATA_DIR: server.dataDir, KNOWLEDGE_DIR: path.resolve('knowledge') };
    const busy = await run(tsx, ['src/cli/user-data.ts', 'delete', '--channel', 'messenger', '--user', 'user-A'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(busy).toMatchObject({ code: 1 });
    expect((busy as { stderr: string }).stderr).toContain('/admin/privacy');
    await server.close(1000);

    const exported = await run(tsx, ['src/cli/user-data.ts', 'export', '--channel', 'messenger', '--user', 'user-A'], { env });
    expect(JSON.parse(exported.stdout)).toMatchObject({ userId: 'user-A', tickets: [expect.objectContaining({ userId: 'user-A' })] });
    const deleted = await run(tsx, ['src/cli/user-data.ts', 'delete', '--channel', 'messenger', '--user', 'user-A'], { env });
    expect(deleted.stdout).toContain('Đã xoá dữ liệu của người dùng này: 1 cuộc trò chuyện, 1 phiếu hỗ trợ');
    const db = JSON.parse(await readFile(path.join(server.dataDir, 'db.json'), 'utf8')) as Schema;
    expect(Object.keys(db.conversations)).toEqual(['messenger:user-B']);
    expect(db.tickets.find((t) => t.userId === 'user-B')).toBeDefined();
    expect(JSON.stringify(db)).not.toContain('Hoàng Long');
    // The journal no longer holds the person's messages either.
    expect(await readFile(path.join(server.dataDir, 'inbound.log'), 'utf8').catch(() => '')).not.toContain('Hoàng Long');

    const usage = await run(tsx, ['src/cli/user-data.ts', 'export'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(usage).toMatchObject({ code: 1, stderr: expect.stringContaining('Cách dùng') });
  });
});
