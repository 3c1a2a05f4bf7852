import { randomUUID } from 'node:crypto';
import express, { Router } from 'express';
import { z } from 'zod';
import type { Bot } from '../../conversation/bot.js';
import type { Conversations } from '../../store/conversations.js';
import { replyText } from '../../store/conversations.js';
import type { WebAdapter } from './adapter.js';
import { CHAT_SCRIPT, chatPage } from './page.js';

const AskBody = z.object({
  text: z.string().max(2000, 'text dài quá 2.000 ký tự').default(''),
  user: z.string().trim().min(1).max(64).regex(/^[\w.-]+$/, 'user chỉ gồm chữ, số, dấu chấm, gạch').default('web'),
  payload: z.string().max(1000).optional(),
});

/**
 * The web chat: a page at /chat and its API at POST /api/ask. A test channel for staff (no Facebook needed),
 * going through the same Bot as the webhooks.
 */
export function webChatRoutes(bot: Bot, conversations: Conversations, outbox: WebAdapter): Router {
  const router = Router();
  router.get('/chat', (_req, res) => {
    res.type('html').send(chatPage());
  });
  router.get('/chat.js', (_req, res) => {
    res.type('application/javascript').send(CHAT_SCRIPT);
  });
  // Officers' replies to tickets opened from this page.
  router.get('/api/messages', (req, res) => {
    const user = String(req.query.user ?? '');
    if (!/^[\w.-]{1,64}$/.test(user)) return void res.status(400).json({ error: 'user không hợp lệ' });
    res.json({ messages: outbox.since(user, Number(req.query.after ?? 0) || 0) });
  });
  router.post('/api/ask', express.json({ limit: '16kb' }), async (req, res, next) => {
    const parsed = AskBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      return;
    }
    const { text, user, payload } = parsed.data;
    if (text.trim() === '' && !payload) {
      res.status(400).json({ error: 'text: cần nội dung câu hỏi' });
      return;
    }
    try {
      const now = Date.now();
      conversations.userSaid('web', user, text, now);
      const response = await bot.handle({
        channel: 'web',
        userId: user,
        messageId: randomUUID(),
        timestamp: now,
        kind: payload ? 'choice' : 'text',
        text,
        ...(payload ? { payload } : {}),
      });
      for (const r of response.replies) conversations.said('web', user, 'bot', replyText(r), Date.now());
      const o = response.outcome;
      res.json({
        replies: response.replies,
        decision: o.decision,
        id: o.entryId,
        score: o.score,
        suggestions: o.suggestions,
        candidates: o.candidates,
      });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
