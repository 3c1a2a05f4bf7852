import { cp, mkdtemp, readFile } from 'node:fs/promises';
import request from 'supertest';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { createServer, type Server } from '../../src/server.js';
import { sign } from '../../src/channels/messenger/signature.js';
import { zaloMac } from '../../src/channels/zalo/signature.js';

export const ADMIN = { username: 'quantri', password: 'mat-khau-quan-tri-1' };

export const FB = {
  appSecret: 'test-app-secret-0123456789abcdef',
  verifyToken: 'verify-me-please',
  pageToken: 'EAAtestPAGEtoken1234567890SECRET',
  appId: '1234567890123456',
};

/** The Messenger part of an environment, pointed at a fake Graph API. */
export function messengerEnv(graphUrl: string): Record<string, string> {
  return { FB_APP_SECRET: FB.appSecret, FB_VERIFY_TOKEN: FB.verifyToken, FB_PAGE_ACCESS_TOKEN: FB.pageToken, FB_GRAPH_API_URL: graphUrl };
}

/** Log lines written by the server under test, to assert on (and to check secrets never appear). */
export class LogSink extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestServer extends Server {
  readonly dataDir: string;
  readonly knowledgeDir: string;
  readonly logs: LogSink;
}

/** Fixture timestamps are around this instant; the server's clock is pinned here so messaging windows are stable. */
export const FIXTURE_NOW = 1795740100000;

/** The real server (knowledge base, lowdb file and journal in a temp dir) wired to a fake Graph API. */
export async function startServer(
  graphUrl: string,
  env: Record<string, string> = {},
  dataDir?: string,
  clock: () => number = () => FIXTURE_NOW,
): Promise<TestServer> {
  if (env.KNOWLEDGE_DIR === 'copy') env = { ...env, KNOWLEDGE_DIR: await copyKnowledge() };
  const dir = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'srv-')));
  const config = loadConfig({
    DATA_DIR: dir,
    KNOWLEDGE_DIR: path.resolve('knowledge'),
    FB_APP_SECRET: FB.appSecret,
    FB_VERIFY_TOKEN: FB.verifyToken,
    FB_PAGE_ACCESS_TOKEN: FB.pageToken,
    FB_APP_ID: FB.appId,
    FB_GRAPH_API_URL: graphUrl,
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    // Tests ask many questions from one address; the limits have their own test.
    WEB_CHAT_RATE_PER_MINUTE: '10000',
    WEB_CHAT_TICKETS_PER_HOUR: '1000',
    ...env,
  });
  const logs = new LogSink();
  const logger = pino({ level: 'debug' }, logs);
  const server = await createServer(config, logger, { clock, retry: { attempts: 4, baseMs: 1, maxMs: 5 }, tokenWatchMs: 50 });
  return Object.assign(server, { dataDir: dir, knowledgeDir: config.knowledgeDir, logs });
}

/** A private copy of the shipped knowledge base, for tests that write into it. */
export async function copyKnowledge(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'knowledge-'));
  await cp(path.resolve('knowledge'), dir, { recursive: true });
  return dir;
}

export async function fixture(name: string): Promise<string> {
  return readFile(path.resolve('tests/fixtures/messenger', name), 'utf8');
}

/** Headers Meta would send for this exact body. */
export function signed(body: string, secret = FB.appSecret): Record<string, string> {
  return { 'content-type': 'application/json', 'x-hub-signature-256': sign(Buffer.from(body, 'utf8'), secret) };
}

/** Waits until `check` passes (the dispatcher works after the webhook answered). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() - start > timeoutMs) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

export const ZALO = {
  appId: '3608465249409039670',
  appSecret: 'zalo-app-secret-XYZ',
  oaSecretKey: 'zalo-oa-secret-key-ABC',
};

export function zaloEnv(url: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ZALO_APP_ID: ZALO.appId,
    ZALO_APP_SECRET: ZALO.appSecret,
    ZALO_OA_SECRET_KEY: ZALO.oaSecretKey,
    ZALO_REFRESH_TOKEN: 'refresh-0',
    ZALO_API_URL: url,
    ZALO_OAUTH_URL: url,
    ...extra,
  };
}

export async function zaloFixture(name: string): Promise<string> {
  return readFile(path.resolve('tests/fixtures/zalo', name), 'utf8');
}

/** Headers Zalo would send: mac = sha256(app_id + body + timestamp + OA secret key). */
export function zaloSigned(body: string, withPrefix = true, key = ZALO.oaSecretKey): Record<string, string> {
  const parsed = JSON.parse(body) as { app_id: string; timestamp: string };
  const mac = zaloMac(body, parsed.app_id, parsed.timestamp, key);
  return { 'content-type': 'application/json', 'x-zevent-signature': withPrefix ? `mac=${mac}` : mac };
}

let messageCounter = 0;

/** A user message (typed, or a tapped quick reply) through the signed Messenger webhook, processed to the end. */
export async function messengerSays(server: Server, user: string, text: string, at: number, payload?: string): Promise<void> {
  const message = { mid: `m_test_${++messageCounter}`, text, ...(payload ? { quick_reply: { payload } } : {}) };
  const body = JSON.stringify({ object: 'page', entry: [{ id: '1', time: at, messaging: [{ sender: { id: user }, recipient: { id: '1' }, timestamp: at, message }] }] });
  const res = await request(server.app).post('/webhooks/messenger').set(signed(body)).send(body);
  if (res.status !== 200) throw new Error(`Messenger webhook answered ${res.status}`);
  await server.dispatcher.idle();
}

/** A Zalo user message (typed, or a tapped button: its payload arrives as text) through the signed webhook. */
export async function zaloSays(server: Server, user: string, text: string, at: number): Promise<void> {
  const body = JSON.stringify({ app_id: ZALO.appId, event_name: 'user_send_text', timestamp: String(at), sender: { id: user }, recipient: { id: '579745863508352884' }, message: { text, msg_id: `z_test_${++messageCounter}` } });
  const res = await request(server.app).post('/webhooks/zalo').set(zaloSigned(body)).send(body);
  if (res.status !== 200) throw new Error(`Zalo webhook answered ${res.status}`);
  await server.dispatcher.idle();
}
