import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../helpers/fake-graph.js';
import { startServer, type TestServer } from '../helpers/server.js';

// Attack-run finding 12: /, /chat, the chat script, /healthz and /static carried no CSP, frame protection or nosniff;
// /healthz showed channel configuration to anyone.
let graph: FakeGraph;
let server: TestServer;
const TOKEN = 'monitoring-token-0123456789';
beforeAll(async () => {
  graph = await new FakeGraph().start();
  server = await startServer(graph.url, { METRICS_TOKEN: TOKEN });
});
afterAll(async () => {
  await server.close(1000);
  await graph.stop();
});

describe('security headers and health details', () => {
  it('every route carries CSP, frame protection and nosniff', async () => {
    for (const url of ['/', '/chat', '/static/chat.js', '/static/chat.css', '/static/app.css', '/healthz', '/inbox/login', '/nowhere']) {
      const res = await request(server.app).get(url);
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy'], url).toContain("script-src 'self'");
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
    }
    const chat = await request(server.app).get('/chat');
    expect(chat.text).not.toMatch(/<script>|<style>|style="/);
    expect((await request(server.app).get('/')).text).not.toMatch(/<script>|<style>|style="/);
  });

  it('/healthz shows only ok/degraded through a proxy or from elsewhere, details locally or with the token', async () => {
    const relayed = await request(server.app).get('/healthz').set('x-forwarded-for', '203.0.113.9');
    expect(relayed.body).toEqual({ status: 'ok' });
    const withToken = await request(server.app).get('/healthz').set('x-forwarded-for', '203.0.113.9').set('authorization', `Bearer ${TOKEN}`);
    expect(withToken.body.channels.messenger).toEqual({ enabled: true, detail: '/webhooks/messenger' });
    const wrongToken = await request(server.app).get('/healthz').set('x-forwarded-for', '203.0.113.9').set('authorization', 'Bearer wrong-token-0123456789');
    expect(wrongToken.body).toEqual({ status: 'ok' });
    const local = await request(server.app).get('/healthz');
    expect(local.body.knowledge.entries).toBeGreaterThan(40);
  });
});
