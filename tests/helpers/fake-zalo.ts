import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';

export interface ZaloSend {
  readonly token: string | undefined;
  readonly body: { recipient: { user_id: string }; message: { text: string; attachment?: { type: string; payload: Record<string, unknown> } } };
}

/**
 * openapi.zalo.me and oauth.zaloapp.com on localhost, behaving like Zalo: errors with HTTP 200 and a negative
 * `error`, single-use refresh tokens, access tokens checked on every send.
 */
export class FakeZalo {
  readonly sends: ZaloSend[] = [];
  readonly refreshCalls: Array<Record<string, string>> = [];
  /** Tokens the fake accepts. */
  validAccess = new Set<string>(['access-0']);
  validRefresh = new Set<string>(['refresh-0']);
  private issued = 0;
  /** Errors returned by the next sends (then success). */
  private readonly sendErrors: Array<{ error: number; message: string }> = [];
  /** When set, the token endpoint answers this error body (HTTP 200). */
  refreshError: { error: number; error_name?: string; error_description?: string; message?: string } | null = null;
  /** Milliseconds the token endpoint waits before answering (to overlap concurrent sends). */
  refreshDelayMs = 0;
  /** Rejects buttons unless payload.template_type === 'button' (the undocumented variant). */
  requireTemplateType = false;
  private server: Server | null = null;
  url = '';

  /** Back to a fresh OA: the initial token pair, no queued errors, counters at zero. */
  reset(): void {
    this.sends.length = 0;
    this.refreshCalls.length = 0;
    this.validAccess = new Set(['access-0']);
    this.validRefresh = new Set(['refresh-0']);
    this.issued = 0;
    this.sendErrors.length = 0;
    this.refreshError = null;
    this.refreshDelayMs = 0;
    this.requireTemplateType = false;
  }

  failNextSends(...errors: Array<{ error: number; message: string }>): void {
    this.sendErrors.push(...errors);
  }

  texts(userId?: string): string[] {
    return this.sends.filter((s) => userId === undefined || s.body.recipient.user_id === userId).map((s) => s.body.message.text);
  }

  async start(): Promise<this> {
    const app = express();
    app.use(express.json());
    app.use(express.urlencoded({ extended: false }));
    let n = 0;
    app.post('/v3.0/oa/message/cs', (req, res) => {
      const token = req.get('access_token');
      this.sends.push({ token, body: req.body });
      if (!token || !this.validAccess.has(token)) return void res.json({ error: -216, message: 'Access token is invalid' });
      const queued = this.sendErrors.shift();
      if (queued) return void res.json(queued);
      const payload = req.body.message?.attachment?.payload;
      if (payload && this.requireTemplateType && payload.template_type !== 'button') {
        return void res.json({ error: -201, message: 'template_type is invalid' });
      }
      res.json({ error: 0, message: 'Success', data: { message_id: `zmsg_${++n}`, user_id: req.body.recipient.user_id } });
    });
    app.get('/v3.0/oa/user/detail', (req, res) => {
      const data = JSON.parse(String(req.query.data ?? '{}')) as { user_id?: string };
      res.json({ error: 0, message: 'Success', data: { user_id: data.user_id, display_name: 'Trần Bình', user_is_follower: true } });
    });
    app.post('/v4/oa/access_token', async (req, res) => {
      this.refreshCalls.push({ ...req.body, secret_key: req.get('secret_key') ?? '' });
      if (this.refreshDelayMs) await new Promise((r) => setTimeout(r, this.refreshDelayMs));
      if (this.refreshError) return void res.json(this.refreshError);
      const given = req.body.grant_type === 'refresh_token' ? req.body.refresh_token : req.body.code;
      if (req.body.grant_type === 'refresh_token' && !this.validRefresh.has(given)) {
        return void res.json({ error: -14014, error_name: 'Invalid refresh token', error_description: 'Refresh token is invalid' });
      }
      this.validRefresh.delete(given); // single use
      this.issued++;
      const access = `access-${this.issued}`;
      const refresh = `refresh-${this.issued}`;
      this.validAccess.clear();
      this.validAccess.add(access); // the old access token stops working
      this.validRefresh.add(refresh);
      res.json({ access_token: access, refresh_token: refresh, expires_in: '90000' });
    });
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
