import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from './helpers/fake-graph.js';
import { eventually, FB, fixture, signed, startServer, type TestServer } from './helpers/server.js';

let graph: FakeGraph;
let server: TestServer;

beforeAll(async () => {
  graph = await new FakeGraph().start();
});
afterAll(async () => {
  await graph.stop();
});
afterEach(async () => {
  await server?.close(1000);
  graph.requests.length = 0;
});

async function post(body: string, headers = signed(body)) {
  return request(server.app).post('/webhooks/messenger').set(headers).send(body);
}

describe('Messenger webhook: verification handshake', () => {
  it('echoes the challenge verbatim as text for the right token', async () => {
    server = await startServer(graph.url);
    const res = await request(server.app).get('/webhooks/messenger').query({ 'hub.mode': 'subscribe', 'hub.verify_token': FB.verifyToken, 'hub.challenge': '1158201444' });
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/plain');
    expect(res.text).toBe('1158201444');
  });

  it('refuses a wrong token with 403 and missing parameters with 400', async () => {
    server = await startServer(graph.url);
    const wrong = await request(server.app).get('/webhooks/messenger').query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' });
    expect(wrong.status).toBe(403);
    const missing = await request(server.app).get('/webhooks/messenger').query({ 'hub.mode': 'subscribe' });
    expect(missing.status).toBe(400);
  });
});

describe('Messenger webhook: signature', () => {
  it('accepts a valid signature over the raw bytes and answers the question', async () => {
    server = await startServer(graph.url);
    const body = await fixture('text.json');
    const res = await post(body);
    expect(res.status).toBe(200);
    await eventually(() => expect(graph.texts('6543210987654321').join('\n')).toContain('Giờ làm việc'));
    const sent = graph.messages[0]!;
    expect(sent.body).toMatchObject({ messaging_type: 'RESPONSE', recipient: { id: '6543210987654321' } });
    expect(sent.query.appsecret_proof).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies the bytes as sent, not re-serialised JSON (Vietnamese text, escaped slashes)', async () => {
    server = await startServer(graph.url);
    const raw = await fixture('batch.json'); // \uXXXX escapes and \/ as Meta sends them
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect(reserialised).not.toBe(raw);
    // Signed over the raw bytes: accepted even though the parsed-and-stringified body differs.
    expect((await post(raw)).status).toBe(200);
    // A signature computed over re-serialised JSON does not match the bytes on the wire.
    expect((await post(raw, signed(reserialised))).status).toBe(403);
  });

  it('rejects a missing signature (401) and a wrong one (403), loudly, processing nothing', async () => {
    server = await startServer(graph.url);
    const body = await fixture('text.json');
    expect((await request(server.app).post('/webhooks/messenger').set('content-type', 'application/json').send(body)).status).toBe(401);
    expect((await post(body, signed(body, 'not-the-secret'))).status).toBe(403);
    expect((await post(body, { ...signed(body), 'x-hub-signature-256': 'sha256=zz' })).status).toBe(403);
    await server.dispatcher.idle();
    expect(graph.messages).toHaveLength(0);
    expect(server.logs.text).toContain('SIGNATURE REJECTED');
  });
});

describe('Messenger webhook: events', () => {
  it('processes every entry and event of a batch, skips reads and standby, asks for text on attachments', async () => {
    server = await startServer(graph.url);
    expect((await post(await fixture('batch.json'))).status).toBe(200);
    await server.dispatcher.idle();
    expect(graph.texts('1111111111111111').join('\n')).toMatch(/nhập khẩu/i);
    expect(graph.texts('2222222222222222').join('\n')).toContain('Xin chào');
    expect(graph.texts('3333333333333333')).toEqual([expect.stringContaining('gõ câu hỏi')]);
    expect(graph.texts('4444444444444444')).toEqual([]); // standby: another app owns the thread
  });

  it('answers a redelivered message id only once', async () => {
    server = await startServer(graph.url);
    const body = await fixture('text.json');
    await post(body);
    await post(body);
    await Promise.all([post(body), post(body)]);
    await server.dispatcher.idle();
    const replies = graph.texts('6543210987654321');
    expect(replies).toHaveLength(1);
  });

  it('answers the entry of a tapped quick reply and welcomes Get Started with the topic menu', async () => {
    server = await startServer(graph.url);
    await post(await fixture('quick-reply.json'));
    await post(await fixture('postback.json'));
    await server.dispatcher.idle();
    expect(graph.texts('6543210987654321')[0]).toContain('Hoàn thuế');
    const welcome = graph.messages.find((m) => (m.body.recipient as { id: string }).id === '7777777777777777')!;
    const quickReplies = (welcome.body.message as { quick_replies: Array<{ title: string; payload: string }> }).quick_replies;
    expect(quickReplies.length).toBeGreaterThan(3);
    expect(quickReplies.length).toBeLessThanOrEqual(13);
    for (const q of quickReplies) expect(q.title.length).toBeLessThanOrEqual(20);
    expect(quickReplies[0]!.payload).toMatch(/^MENU:/);
  });

  it('a sticker gets the polite "please type" reply', async () => {
    server = await startServer(graph.url);
    await post(await fixture('sticker.json'));
    await server.dispatcher.idle();
    expect(graph.texts('8888888888888888')).toEqual([expect.stringContaining('gõ câu hỏi')]);
  });

  it('ignores echoes of our own sends, but pauses the bot when a person replied from the Page inbox', async () => {
    server = await startServer(graph.url);
    await post(await fixture('echo-ours.json'));
    await server.dispatcher.idle();
    expect(await server.conversations.isPaused('messenger', '6543210987654321', Date.now())).toBe(false);

    await post(await fixture('echo-person.json'));
    await server.dispatcher.idle();
    expect((await server.conversations.record('messenger', '6543210987654321'))?.pausedUntil).toBeGreaterThan(1795740040000);
    await post(await fixture('text.json'));
    await server.dispatcher.idle();
    expect(graph.messages).toHaveLength(0); // the officer is talking: the bot stays silent
    expect((await server.conversations.record('messenger', '6543210987654321'))?.transcript.at(-1)?.text).toContain('hq làm việc');
  });

  it('a reaction reopens the messaging window and is never answered', async () => {
    server = await startServer(graph.url);
    await post(await fixture('reaction.json'));
    await server.dispatcher.idle();
    expect(graph.messages).toHaveLength(0);
    expect((await server.conversations.record('messenger', '6543210987654321'))?.lastUserMessageAt).toBe(1795740070000);
  });
});

describe('Messenger send: errors and retries', () => {
  it('retries a rate-limited send (613) and delivers', async () => {
    server = await startServer(graph.url);
    graph.failNext({ status: 400, error: { message: 'Calls to this api have exceeded the rate limit.', type: 'OAuthException', code: 613 } });
    await post(await fixture('text.json'));
    await server.dispatcher.idle();
    expect(graph.messages).toHaveLength(2);
    expect((await server.store.snapshot()).deliveryFailures).toEqual([]);
  });

  it('does not retry outside the messaging window (10/2018278) and records the platform message for officers', async () => {
    server = await startServer(graph.url);
    graph.failNext({ status: 400, error: { message: '(#10) This message is sent outside of allowed window.', type: 'OAuthException', code: 10, error_subcode: 2018278 } });
    await post(await fixture('text.json'));
    await server.dispatcher.idle();
    expect(graph.messages).toHaveLength(1);
    expect((await server.store.snapshot()).deliveryFailures).toEqual([
      expect.objectContaining({ channel: 'messenger', userId: '6543210987654321', kind: 'window', code: '10/2018278', platformMessage: expect.stringContaining('outside of allowed window') }),
    ]);
  });

  it('gives up after the retry budget on 5xx, and a bad token (190) degrades /healthz without leaking the token', async () => {
    server = await startServer(graph.url);
    const e500 = { status: 500, error: { message: 'An unknown error occurred', code: 1, is_transient: true } };
    graph.failNext(e500, e500, e500, e500);
    await post(await fixture('text.json'));
    await server.dispatcher.idle();
    expect(graph.messages).toHaveLength(4);
    expect((await server.store.snapshot()).deliveryFailures[0]?.kind).toBe('transient');

    graph.failNext({ status: 400, error: { message: 'Error validating access token: Session has expired', type: 'OAuthException', code: 190 } });
    await post(await fixture('quick-reply.json'));
    await server.dispatcher.idle();
    const health = await request(server.app).get('/healthz');
    expect(health.status).toBe(503);
    expect(health.body.channels.messenger.detail).toContain('Error validating access token');
    expect(server.logs.text).toContain('ALERT');
    expect(server.logs.text).not.toContain(FB.pageToken);
    expect(server.logs.text).not.toContain(FB.appSecret);
  });
});

describe('Messenger webhook: bad input', () => {
  it('answers malformed JSON, wrong content types and huge bodies with a status, never a crash', async () => {
    server = await startServer(graph.url);
    const notJson = 'this is not json';
    expect((await post(notJson)).status).toBe(400);
    const asText = await fixture('text.json');
    expect((await post(asText, { ...signed(asText), 'content-type': 'text/plain' })).status).toBe(200);
    const unknown = JSON.stringify({ object: 'page', entry: [{ id: '1', time: 1, messaging: [{ sender: { id: '9' }, recipient: { id: '1' }, timestamp: 1795740000000, optin: { ref: 'x' } }] }] });
    expect((await post(unknown)).status).toBe(200);
    const missing = JSON.stringify({ object: 'page', entry: [{ messaging: [{ message: { text: 'hi' } }] }, 'junk'] });
    expect((await post(missing)).status).toBe(200);
    const huge = JSON.stringify({ object: 'page', entry: [], pad: 'x'.repeat(10 * 1024 * 1024) });
    expect((await post(huge)).status).toBe(413);
    expect((await request(server.app).get('/healthz')).status).toBe(200);
    expect(server.logs.text).toContain('malformed parts in Messenger webhook');
  });
});
