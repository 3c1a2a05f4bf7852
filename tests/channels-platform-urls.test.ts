import nock from 'nock';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hmacSha256Hex } from '../src/channels/signature.js';
import { FB, FIXTURE_NOW, signed, startServer, ZALO, zaloEnv, zaloSigned, type TestServer } from './helpers/server.js';

/**
 * The other channel tests talk to fake platforms on localhost through overridden base URLs. These use the real
 * hosts, intercepted by nock with the network closed, to check that the shipped defaults reach Meta and Zalo at
 * the right addresses with credentials where each platform expects them.
 */
let server: TestServer;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.enableNetConnect();
});
afterEach(async () => {
  await server?.close(1000);
  nock.cleanAll();
});

describe('default platform addresses', () => {
  it('Messenger: graph.facebook.com/v25.0/me/messages with the page token and its appsecret_proof', async () => {
    server = await startServer('https://graph.facebook.com');
    const sent: Array<{ query: Record<string, string>; body: { recipient: { id: string }; messaging_type: string } }> = [];
    nock('https://graph.facebook.com')
      .post('/v25.0/me/messages')
      .query(true)
      .times(3)
      .reply(function (uri, body) {
        const query = Object.fromEntries(new URL(uri, 'https://graph.facebook.com').searchParams);
        if (!('sender_action' in (body as object))) sent.push({ query, body: body as (typeof sent)[number]['body'] });
        return [200, { recipient_id: 'psid-1', message_id: 'm_1' }];
      });
    nock('https://graph.facebook.com').get(/\/v25\.0\/psid-1/).query(true).reply(200, { first_name: 'An' });
    const body = JSON.stringify({ object: 'page', entry: [{ id: '1', time: FIXTURE_NOW, messaging: [{ sender: { id: 'psid-1' }, recipient: { id: '1' }, timestamp: FIXTURE_NOW, message: { mid: 'm_url_1', text: 'hq làm việc thứ 7 không' } }] }] });
    expect((await request(server.app).post('/webhooks/messenger').set(signed(body)).send(body)).status).toBe(200);
    await server.dispatcher.idle();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.query).toEqual({ access_token: FB.pageToken, appsecret_proof: hmacSha256Hex(FB.appSecret, FB.pageToken) });
    expect(sent[0]!.body).toMatchObject({ recipient: { id: 'psid-1' }, messaging_type: 'RESPONSE' });
  });

  it('Zalo: tokens from oauth.zaloapp.com (secret_key header), messages to openapi.zalo.me (access_token header)', async () => {
    server = await startServer('https://graph.facebook.com', { ...zaloEnv('https://openapi.zalo.me'), ZALO_OAUTH_URL: 'https://oauth.zaloapp.com' });
    let refreshForm: URLSearchParams | null = null;
    let refreshSecret: string | undefined;
    nock('https://oauth.zaloapp.com')
      .post('/v4/oa/access_token')
      .reply(function (_uri, body) {
        refreshForm = new URLSearchParams(String(body));
        refreshSecret = this.req.headers.secret_key as string | undefined;
        return [200, { access_token: 'access-real', refresh_token: 'refresh-real', expires_in: '90000' }];
      });
    const sends: Array<{ token: string | undefined; userId: string }> = [];
    nock('https://openapi.zalo.me')
      .post('/v3.0/oa/message/cs')
      .times(2)
      .reply(function (_uri, body) {
        sends.push({ token: this.req.headers.access_token as string | undefined, userId: (body as { recipient: { user_id: string } }).recipient.user_id });
        return [200, { error: 0, message: 'Success', data: { message_id: 'z1' } }];
      });
    nock('https://openapi.zalo.me').get('/v3.0/oa/user/detail').query(true).reply(200, { error: 0, data: { display_name: 'Bình' } });
    const body = JSON.stringify({ app_id: ZALO.appId, event_name: 'user_send_text', timestamp: String(FIXTURE_NOW), sender: { id: 'zu-1' }, recipient: { id: 'oa' }, message: { text: 'hq làm việc thứ 7 không', msg_id: 'z_url_1' } });
    expect((await request(server.app).post('/webhooks/zalo').set(zaloSigned(body)).send(body)).status).toBe(200);
    await server.dispatcher.idle();
    expect(refreshSecret).toBe(ZALO.appSecret);
    expect(Object.fromEntries(refreshForm!)).toEqual({ refresh_token: 'refresh-0', grant_type: 'refresh_token', app_id: ZALO.appId });
    expect(sends).toEqual([{ token: 'access-real', userId: 'zu-1' }]);
  });
});
