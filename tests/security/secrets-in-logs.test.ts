import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSha256Hex } from '../../src/channels/signature.js';
import { FB, FIXTURE_NOW, messengerSays, startServer, ZALO, zaloEnv, zaloSays } from '../helpers/server.js';

// Attack-run finding 4: a failed Zalo profile lookup logged the axios error, access token included, at debug level.
const ZALO_ACCESS = 'ZALO-ACCESS-TOKEN-must-not-leak-1';
const ZALO_REFRESH = 'ZALO-REFRESH-TOKEN-must-not-leak-2';

/** Graph and Zalo answering every call with an error (the token endpoint works while `tokensWork`). */
class BrokenPlatforms {
  tokensWork = true;
  private server: Server | null = null;
  url = '';
  async start(): Promise<this> {
    const app = express();
    app.post('/v4/oa/access_token', (_req, res) => {
      if (!this.tokensWork) return void res.status(500).json({ error: 'down' });
      res.json({ access_token: ZALO_ACCESS, refresh_token: `${ZALO_REFRESH}-next`, expires_in: '90000' });
    });
    app.get('/v3.0/oa/user/detail', (_req, res) => void res.status(500).send('profile service down'));
    app.post('/v3.0/oa/message/cs', (_req, res) => void res.status(502).send('bad gateway'));
    app.use((_req, res) => void res.status(500).json({ error: { message: 'Graph down', code: 2, is_transient: true } }));
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

let platforms: BrokenPlatforms;
beforeAll(async () => {
  platforms = await new BrokenPlatforms().start();
});
afterAll(async () => {
  await platforms.stop();
});

describe('secrets never reach the logs, even at debug level', () => {
  it('failing profile lookups, sends and token calls on both channels log status and code only', async () => {
    const server = await startServer(platforms.url, { ...zaloEnv(platforms.url, { ZALO_REFRESH_TOKEN: ZALO_REFRESH }), LOG_LEVEL: 'debug' });
    try {
      await zaloSays(server, 'zalo-user-1', 'thủ tục hoàn thuế', FIXTURE_NOW - 1000);
      await messengerSays(server, 'psid-1', 'thủ tục hoàn thuế', FIXTURE_NOW - 1000);
      platforms.tokensWork = false;
      await server.dispatcher.idle();
      // Force a refresh with the token endpoint down.
      await expect((await import('../../src/channels/zalo/tokens.js')).requestTokens({ appId: ZALO.appId, appSecret: ZALO.appSecret, oauthUrl: platforms.url }, { grant_type: 'refresh_token', refresh_token: ZALO_REFRESH })).rejects.toThrow(/HTTP 500/);
    } finally {
      await server.close(1000);
    }
    const logs = server.logs.text;
    for (const secret of [ZALO_ACCESS, ZALO_REFRESH, ZALO.appSecret, ZALO.oaSecretKey, FB.pageToken, FB.appSecret, hmacSha256Hex(FB.appSecret, FB.pageToken)]) {
      expect(logs, secret).not.toContain(secret);
    }
    expect(logs).toMatch(/profile lookup failed/);
    expect(logs).toMatch(/HTTP 500/);
    expect(logs).toMatch(/reply not delivered/);
  });
});
