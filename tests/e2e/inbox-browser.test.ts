import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { createServer, type Server } from '../../src/server.js';
import { FakeGraph } from '../helpers/fake-graph.js';
import { ADMIN, messengerEnv, signed } from '../helpers/server.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const mustRun = process.env.CI === 'true';
if (!hasChromium && !mustRun) {
  console.warn(`Skipping the browser test: ${CHROMIUM} not found (install it with: apt-get install -y chromium).`);
}

describe.skipIf(!hasChromium && !mustRun)('officer inbox in a real browser', () => {
  let graph: FakeGraph;
  let server: Server;
  let http: import('node:http').Server;
  let base: string;
  let browser: Browser;
  let offset = 0; // the server's clock runs this far ahead of real time
  const H = 3600_000;

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run must install chromium`);
    graph = await new FakeGraph().start();
    const config = loadConfig({
      DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'e2e-')),
      KNOWLEDGE_DIR: path.resolve('knowledge'),
      ...messengerEnv(graph.url),
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      SESSION_HOURS: '72',
    });
    server = await createServer(config, silentLogger(), { clock: () => Date.now() + offset, retry: { attempts: 3, baseMs: 1, maxMs: 5 }, inboxPollMs: 500 });
    http = server.app.listen(0, '127.0.0.1');
    await new Promise((r) => http.once('listening', r));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    http?.close();
    await server?.close(1000);
    await graph?.stop();
  });

  it('a Messenger question is escalated, appears live in the inbox, the officer replies and it is delivered with the right tag', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/inbox`);
    await page.fill('#username', ADMIN.username);
    await page.fill('#password', ADMIN.password);
    await Promise.all([page.waitForURL(`${base}/inbox`), page.click('button[type=submit]')]);
    await expect(page.locator('h1').textContent()).resolves.toContain('Hộp thư cán bộ');
    expect(await page.locator('tr[data-ticket]').count()).toBe(0);

    // An enterprise asks on the fanpage and asks for a person: the signed webhook opens a ticket.
    const user = '9990000000000001';
    const send = async (mid: string, text: string) => {
      const at = Date.now() + offset;
      const body = JSON.stringify({ object: 'page', entry: [{ id: '1', time: at, messaging: [{ sender: { id: user }, recipient: { id: '1' }, timestamp: at, message: { mid, text } }] }] });
      expect((await request(server.app).post('/webhooks/messenger').set(signed(body)).send(body)).status).toBe(200);
      await server.dispatcher.idle();
    };
    await send('m_e2e_1', 'Lô máy xúc cũ nhập từ Trung Quốc có cần giấy phép riêng không ạ?');
    await send('m_e2e_2', 'cho em gặp cán bộ');
    expect(graph.texts(user).at(-1)).toContain('phiếu số #1');

    // The officer sees it appear without reloading.
    await page.locator('tr[data-ticket="1"]').waitFor({ timeout: 10_000 });
    await expect(page.locator('#unread').textContent()).resolves.toBe('1');
    await page.click('tr[data-ticket="1"] a');
    await expect(page.locator('body').textContent()).resolves.toContain('Lô máy xúc cũ nhập từ Trung Quốc');

    // A day and a half later: Meta's standard window is over, a person's reply goes out with HUMAN_AGENT.
    offset += 36 * H;
    await page.fill('#reply-text', 'Chào anh, máy xúc đã qua sử dụng phải đáp ứng điều kiện về tuổi thiết bị; anh gửi giúp em năm sản xuất nhé.');
    await Promise.all([page.waitForURL(/ok=sent/), page.click('form[action$="/reply"] button[type=submit]')]);
    await page.locator('#replies .status-sent').waitFor({ timeout: 10_000 });
    await expect(page.locator('#replies').textContent()).resolves.toContain('Đã gửi');

    const officer = graph.messages.at(-1)!;
    expect(officer.body).toMatchObject({
      recipient: { id: user },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: expect.stringContaining('máy xúc đã qua sử dụng') },
    });
    await page.close();
  }, 60_000);

  it('the web chat works under the strict CSP (no inline code) and keeps the person in an HttpOnly cookie', async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) refused.push(m.text());
    });
    await page.goto(`${base}/chat`);
    await page.fill('#text', 'hq làm việc t7 ko');
    await page.press('#text', 'Enter');
    await page.locator('.msg.bot', { hasText: 'Căn cứ' }).first().waitFor({ timeout: 10_000 });
    expect(await page.evaluate('document.cookie')).toBe('');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'hm_chat')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(refused).toEqual([]);
    await page.close();
  }, 60_000);
});
