import { randomBytes, randomUUID } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { WebChatLimits } from '../../config.js';
import type { Bot } from '../../conversation/bot.js';
import type { IncomingMessage } from '../../conversation/types.js';
import type { InboundEvent } from '../types.js';
import type { Conversations } from '../../store/conversations.js';
import { replyText } from '../../store/conversations.js';
import { RateLimiter } from '../../web/limits.js';
import { parseCookies, setCookie } from '../../web/security.js';
import type { WebAdapter } from './adapter.js';
import { chatPage } from './page.js';

// Unknown keys (a `user` field from older clients) are dropped: who is asking comes from the cookie only.
const AskBody = z.object({
  text: z.string().max(2000, 'text dài quá 2.000 ký tự').default(''),
  payload: z.string().max(1000).optional(),
});

export const WEB_USER_COOKIE = 'hm_chat';
const WEB_USER = /^w-[\w-]{22}$/;
const COOKIE_MS = 30 * 24 * 3600_000;

export interface WebChatOptions {
  readonly bot: Bot;
  readonly conversations: Conversations;
  readonly outbox: WebAdapter;
  readonly limits: WebChatLimits;
  readonly secureCookies: boolean | null;
  readonly clock?: () => number;
  /** Told of every question asked here: metrics. */
  readonly observe?: (event: InboundEvent) => void;
}

/**
 * The web chat: a page at /chat and its API at POST /api/ask, going through the same Bot as the webhooks. Anyone can
 * reach it, so the person is a random id in an HttpOnly cookie the server issues (an id typed into a request would
 * let anyone read another person's answers), and each address is limited in questions and in new tickets.
 */
export function webChatRoutes(o: WebChatOptions): Router {
  const router = Router();
  const now = () => (o.clock ?? Date.now)();
  const questions = new RateLimiter(o.limits.questionsPerMinute, 60_000, o.clock);
  const tickets = new RateLimiter(o.limits.ticketsPerHour, 3600_000, o.clock);
  const userOf = (req: Request): string | null => {
    const id = parseCookies(req.get('cookie'))[WEB_USER_COOKIE];
    return id && WEB_USER.test(id) ? id : null;
  };
  const issueUser = (req: Request, res: Response): string => {
    const id = `w-${randomBytes(16).toString('base64url')}`;
    setCookie(req, res, WEB_USER_COOKIE, id, { maxAgeMs: COOKIE_MS, secure: o.secureCookies, sameSite: 'Strict' });
    return id;
  };

  router.get('/chat', (_req, res) => {
    res.type('html').send(chatPage());
  });
  // Officers' replies to tickets opened from this page.
  router.get('/api/messages', (req, res) => {
    const user = userOf(req);
    res.json({ messages: user ? o.outbox.since(user, Number(req.query.after ?? 0) || 0) : [] });
  });
  router.post('/api/ask', express.json({ limit: '16kb' }), async (req, res, next) => {
    const parsed = AskBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      return;
    }
    const { text, payload } = parsed.data;
    if (text.trim() === '' && !payload) {
      res.status(400).json({ error: 'text: cần nội dung câu hỏi' });
      return;
    }
    const ip = req.ip ?? 'unknown';
    if (!questions.attempt(ip)) {
      res.status(429).set('Retry-After', '60').json({ error: 'Bạn gửi quá nhiều câu hỏi trong một phút. Vui lòng thử lại sau ít phút.' });
      return;
    }
    try {
      const user = userOf(req) ?? issueUser(req, res);
      const at = now();
      await o.conversations.userSaid('web', user, text, at);
      const message: IncomingMessage = { channel: 'web', userId: user, messageId: randomUUID(), timestamp: at, kind: payload ? 'choice' : 'text', text, ...(payload ? { payload } : {}) };
      o.observe?.({ kind: 'message', message });
      const response = await o.bot.handle(message, { admitTicket: () => tickets.attempt(ip) });
      for (const r of response.replies) await o.conversations.said('web', user, 'bot', replyText(r), now());
      const out = response.outcome;
      res.json({ replies: response.replies, decision: out.decision, id: out.entryId, score: out.score, suggestions: out.suggestions, candidates: out.candidates });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
