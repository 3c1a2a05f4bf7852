import express, { Router } from 'express';
import { safeEqual } from '../signature.js';
import type { Dispatcher } from '../../dispatch/dispatcher.js';
import type { Logger } from '../../log.js';
import { parseMessengerWebhook } from './parse.js';
import { checkSignature } from './signature.js';

export interface MessengerWebhookOptions {
  readonly appSecret: string;
  readonly verifyToken: string;
  readonly appId: string | null;
  readonly dispatcher: Dispatcher;
  readonly logger: Logger;
}

/** Meta batches events; bodies over 300 kB have been seen. Anything far larger is not Meta. */
export const MESSENGER_BODY_LIMIT = '5mb';

/**
 * /webhooks/messenger: the subscription handshake (GET) and event delivery (POST). A POST is verified on its raw
 * bytes, written to the journal, and acknowledged — matching and sending happen afterwards, off the request.
 */
export function messengerWebhook(o: MessengerWebhookOptions): Router {
  const router = Router();
  const log = o.logger.child({ channel: 'messenger' });

  router.get('/webhooks/messenger', (req, res) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (typeof mode !== 'string' || typeof token !== 'string' || typeof challenge !== 'string') {
      res.status(400).type('text/plain').send('missing hub.mode, hub.verify_token or hub.challenge');
      return;
    }
    if (mode !== 'subscribe' || !safeEqual(token, o.verifyToken)) {
      log.warn({ mode }, 'webhook verification refused: wrong verify token');
      res.status(403).type('text/plain').send('forbidden');
      return;
    }
    // Echo verbatim as text: res.send(number) would be taken for a status code.
    res.status(200).type('text/plain').send(String(challenge));
  });

  router.post('/webhooks/messenger', express.raw({ type: () => true, limit: MESSENGER_BODY_LIMIT }), async (req, res, next) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = checkSignature(raw, req.get('x-hub-signature-256'), o.appSecret);
    if (check !== 'valid') {
      log.error({ check, ip: req.ip, bytes: raw.length }, 'SIGNATURE REJECTED on Messenger webhook: nothing processed');
      res.status(check === 'missing' ? 401 : 403).json({ error: 'chữ ký không hợp lệ' });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      log.warn({ bytes: raw.length, type: req.get('content-type') }, 'signed Messenger webhook body is not JSON');
      res.status(400).json({ error: 'nội dung không phải JSON' });
      return;
    }
    const parsed = parseMessengerWebhook(body, o.appId);
    if (parsed.problems.length > 0) log.warn({ problems: parsed.problems }, 'malformed parts in Messenger webhook');
    if (parsed.ignored.length > 0) log.debug({ ignored: parsed.ignored }, 'Messenger events ignored');
    try {
      const accepted = await o.dispatcher.receive(parsed.deliveries);
      log.debug({ events: parsed.deliveries.length, accepted }, 'Messenger webhook acknowledged');
      res.status(200).type('text/plain').send('EVENT_RECEIVED');
    } catch (err) {
      // Not written durably: answer an error so Meta redelivers.
      next(err);
    }
  });
  return router;
}
