import express, { Router } from 'express';
import type { Dispatcher } from '../../dispatch/dispatcher.js';
import type { Logger } from '../../log.js';
import { parseZaloEvent } from './parse.js';
import { checkZaloSignature } from './signature.js';

export interface ZaloWebhookOptions {
  readonly appId: string;
  readonly oaSecretKey: string;
  readonly dispatcher: Dispatcher;
  readonly logger: Logger;
  readonly clock?: () => number;
}

export const ZALO_BODY_LIMIT = '1mb';
/**
 * A signed event whose timestamp is further than this from our clock is refused: an old body replayed after the
 * deduplication window would otherwise be answered again. The journal remembers ids much longer than this.
 */
export const ZALO_MAX_SKEW_MS = 60 * 60 * 1000;

/**
 * A top-level field as signed: strings as they are; numbers as written in the raw body, because a 19-digit id would
 * lose digits going through a JavaScript number.
 */
function signedField(parsed: unknown, raw: string, name: string): string | undefined {
  const value = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[name] : undefined;
  if (typeof value === 'string') return value;
  if (typeof value !== 'number') return undefined;
  return new RegExp(`"${name}"\\s*:\\s*(-?\\d+)`).exec(raw)?.[1] ?? String(value);
}

/**
 * /webhooks/zalo: one event per request, signed with X-ZEvent-Signature over app_id + raw body + timestamp + OA
 * secret key. Verified, journaled, acknowledged within milliseconds (Zalo wants an answer within 2 s and retries).
 */
export function zaloWebhook(o: ZaloWebhookOptions): Router {
  const router = Router();
  const log = o.logger.child({ channel: 'zalo' });
  router.post('/webhooks/zalo', express.raw({ type: () => true, limit: ZALO_BODY_LIMIT }), async (req, res, next) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const text = raw.toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      log.warn({ bytes: raw.length, type: req.get('content-type') }, 'Zalo webhook body is not JSON: rejected');
      res.status(400).json({ error: 'nội dung không phải JSON' });
      return;
    }
    const appId = signedField(body, text, 'app_id');
    const timestamp = signedField(body, text, 'timestamp');
    const check =
      appId === undefined || timestamp === undefined
        ? 'invalid'
        : checkZaloSignature(raw, req.get('x-zevent-signature'), appId, timestamp, o.oaSecretKey);
    if (check !== 'valid' || appId !== o.appId) {
      log.error({ check, appIdMatches: appId === o.appId, ip: req.ip, bytes: raw.length }, 'SIGNATURE REJECTED on Zalo webhook: nothing processed');
      res.status(check === 'missing' ? 401 : 403).json({ error: 'chữ ký không hợp lệ' });
      return;
    }
    const skew = Math.abs((o.clock ?? Date.now)() - Number(timestamp));
    if (!(skew <= ZALO_MAX_SKEW_MS)) {
      log.warn({ timestamp, skewMinutes: Number.isFinite(skew) ? Math.round(skew / 60_000) : null }, 'Zalo event refused: its timestamp is more than an hour off');
      res.status(400).json({ error: 'thời điểm của sự kiện lệch quá 1 giờ' });
      return;
    }
    const parsed = parseZaloEvent(body);
    if ('problem' in parsed) log.warn({ problem: parsed.problem }, 'malformed Zalo event');
    if ('ignored' in parsed) log.debug({ reason: parsed.ignored }, 'Zalo event ignored');
    try {
      if ('delivery' in parsed) await o.dispatcher.receive([parsed.delivery]);
      res.status(200).json({ received: true });
    } catch (err) {
      next(err);
    }
  });
  return router;
}

/** Zalo's domain verification: the file zalo_verifier<CODE>.html at the site root. */
export function zaloVerificationRoute(code: string): Router {
  const router = Router();
  router.get(`/zalo_verifier${code}.html`, (_req, res) => {
    res.type('html').send(`<!doctype html><html><head><meta name="zalo-platform-site-verification" content="${code}" /></head><body>There Is No Limit To What You Can Accomplish Using Zalo!</body></html>`);
  });
  return router;
}
