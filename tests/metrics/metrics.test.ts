import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../helpers/fake-graph.js';
import { FakeZalo } from '../helpers/fake-zalo.js';
import { FIXTURE_NOW, messengerSays, startServer, zaloEnv, zaloSays, type TestServer } from '../helpers/server.js';

let graph: FakeGraph;
let zalo: FakeZalo;
let server: TestServer;
const TOKEN = 'metrics-token-0123456789';
beforeAll(async () => {
  graph = await new FakeGraph().start();
  zalo = await new FakeZalo().start();
  server = await startServer(graph.url, { ...zaloEnv(zalo.url), METRICS_TOKEN: TOKEN });
});
afterAll(async () => {
  await server.close(1000);
  await graph.stop();
  await zalo.stop();
});

const value = (text: string, series: string): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : NaN;
};

describe('GET /metrics', () => {
  it('counts events, decisions, platform calls with their error codes, timings, tickets, knowledge and tokens', async () => {
    await messengerSays(server, 'm-1', 'hq làm việc thứ 7 không', FIXTURE_NOW - 5000);
    graph.failNext({ status: 400, error: { message: 'Outside of allowed window', code: 10, error_subcode: 2018278 } });
    await messengerSays(server, 'm-2', 'thủ tục hoàn thuế', FIXTURE_NOW - 4000);
    await messengerSays(server, 'm-3', 'cho tôi gặp cán bộ', FIXTURE_NOW - 3000);
    await zaloSays(server, 'z-1', 'xin chào', FIXTURE_NOW - 2000);
    await request(server.app).post('/api/ask').send({ text: 'giá vàng hôm nay' });

    const res = await request(server.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(value(text, 'hoanhmo_inbound_events_total{channel="messenger",kind="text"}')).toBe(3);
    expect(value(text, 'hoanhmo_inbound_events_total{channel="zalo",kind="text"}')).toBe(1);
    expect(value(text, 'hoanhmo_inbound_events_total{channel="web",kind="text"}')).toBe(1);
    expect(value(text, 'hoanhmo_decisions_total{outcome="answer"}')).toBeGreaterThanOrEqual(2);
    expect(value(text, 'hoanhmo_decisions_total{outcome="escalate"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'hoanhmo_platform_calls_total{channel="messenger",call="send",result="window",code="10"}')).toBe(1);
    expect(value(text, 'hoanhmo_platform_calls_total{channel="messenger",call="send",result="ok",code=""}')).toBeGreaterThanOrEqual(2);
    expect(value(text, 'hoanhmo_platform_calls_total{channel="zalo",call="send",result="ok",code=""}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'hoanhmo_sends_in_flight{channel="messenger"}')).toBe(0);
    expect(value(text, 'hoanhmo_sends_queued{channel="zalo"}')).toBe(0);
    expect(value(text, 'hoanhmo_webhook_ack_seconds_count{channel="messenger"}')).toBe(3);
    expect(value(text, 'hoanhmo_matching_seconds_count')).toBe(5);
    expect(value(text, 'hoanhmo_tickets_open{sla="ok"}') + value(text, 'hoanhmo_tickets_open{sla="late"}')).toBe(1);
    expect(value(text, 'hoanhmo_knowledge_entries{kind="served"}')).toBe(server.knowledge().base.entries.length);
    expect(value(text, 'hoanhmo_knowledge_last_reload_ok')).toBe(1);
    expect(value(text, 'hoanhmo_zalo_token_state{state="ok"}')).toBe(1);
    expect(text).toContain('hoanhmo_process_resident_memory_bytes');
    // No message text, user id or token in the metrics.
    for (const secret of ['hoàn thuế', 'm-1', 'z-1', 'access-']) expect(text).not.toContain(secret);
  });

  it('is 404 through a proxy or from elsewhere, unless the METRICS_TOKEN is given', async () => {
    expect((await request(server.app).get('/metrics').set('x-forwarded-for', '203.0.113.1')).status).toBe(404);
    expect((await request(server.app).get('/metrics').set('x-forwarded-for', '203.0.113.1').set('authorization', 'Bearer nope-nope-nope-nope')).status).toBe(404);
    expect((await request(server.app).get('/metrics').set('x-forwarded-for', '203.0.113.1').set('authorization', `Bearer ${TOKEN}`)).status).toBe(200);
  });
});
