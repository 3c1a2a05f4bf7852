import express, { Router, type Request, type Response } from 'express';
import { composeAnswer, type AnswerFooter } from '../conversation/answer.js';
import type { Knowledge } from '../conversation/knowledge.js';
import { DraftError, writeDraft } from '../knowledge/drafts.js';
import type { Logger } from '../log.js';
import type { Conversations } from '../store/conversations.js';
import type { PhrasingProposals } from '../store/phrasings.js';
import type { Ticket } from '../store/schema.js';
import { page } from '../web/layout.js';
import { clearCookie, csrfMatches, newCsrfToken, parseCookies, RateLimiter, securityHeaders, setCookie } from '../web/security.js';
import { loadStaff, requireStaff, SESSION_COOKIE, staffOf } from '../web/session.js';
import type { Accounts } from './accounts.js';
import type { OfficerReplies } from './replies.js';
import type { SatisfactionSurvey } from './satisfaction.js';
import type { TicketFilter, Tickets } from './tickets.js';
import { FILTERS, listBody, loginBody, repliesFragment, rows, ticketBody } from './views.js';

export interface InboxRoutesOptions {
  readonly accounts: Accounts;
  readonly tickets: Tickets;
  readonly replies: OfficerReplies;
  readonly conversations: Conversations;
  readonly knowledge: () => Knowledge;
  readonly footer: AnswerFooter;
  readonly knowledgeDir: string;
  readonly secureCookies: boolean | null;
  readonly sessionMs: number;
  readonly logger: Logger;
  readonly clock?: () => number;
  /** How often open inbox pages poll for changes (default 5 s). */
  readonly pollMs?: number;
  /** Asks the user to rate the answer when a ticket is closed. */
  readonly survey?: SatisfactionSurvey;
  /** Told when an officer answers a ticket's question with an FAQ entry: a phrasing confirmed for that entry. */
  readonly phrasings?: PhrasingProposals;
}

const LOGIN_COOKIE = 'hm_login';
const FLASH: Readonly<Record<string, { text: string; error?: boolean }>> = {
  sent: { text: 'Đã xếp câu trả lời vào hàng gửi. Trạng thái gửi hiện ở dưới câu trả lời.' },
  noted: { text: 'Đã lưu ghi chú.' },
  claimed: { text: 'Bạn đã nhận xử lý phiếu này: trợ lý tạm dừng trả lời người hỏi.' },
  assigned: { text: 'Đã giao phiếu.' },
  closed: { text: 'Đã đóng phiếu: trợ lý trả lời người hỏi trở lại.' },
  reopened: { text: 'Đã mở lại phiếu.' },
  'handed-back': { text: 'Đã trả cuộc trò chuyện cho trợ lý tự động.' },
  retried: { text: 'Đang gửi lại câu trả lời.' },
  draft: { text: 'Đã lưu FAQ nháp: quản trị viên sẽ duyệt trước khi trợ lý dùng.' },
  'reopen-conflict': { text: 'Không mở lại được: người hỏi đang có một phiếu khác chưa đóng.', error: true },
  'unknown-entry': { text: 'Câu hỏi có sẵn này không còn trong bộ câu hỏi.', error: true },
  'draft-invalid': { text: 'Không lưu được bản nháp: câu hỏi và câu trả lời không được để trống.', error: true },
};

function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(inbox|admin)(\/|\?|$)/.test(next) && !next.startsWith('//') ? next : '/inbox';
}

function filterOf(req: Request): TicketFilter {
  const f = String(req.query.filter ?? 'open');
  return (FILTERS.some(([x]) => x === f) ? f : 'open') as TicketFilter;
}

/** The officer inbox at /inbox: server-rendered pages (they work without JavaScript), live updates by polling. */
export function inboxRoutes(o: InboxRoutesOptions): Router {
  const router = Router();
  const now = () => (o.clock ?? Date.now)();
  const loginLimiter = new RateLimiter(10, 15 * 60 * 1000, o.clock);
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  router.use(['/inbox', '/static'], securityHeaders);
  router.use('/inbox', form);
  router.use(['/inbox', '/admin'], loadStaff(o.accounts));

  // --- login ---------------------------------------------------------------------------------------------
  router.get('/inbox/login', (req, res) => {
    if (staffOf(res)) return void res.redirect(303, safeNext(req.query.next));
    const csrf = newCsrfToken();
    setCookie(req, res, LOGIN_COOKIE, csrf, { maxAgeMs: 30 * 60 * 1000, secure: o.secureCookies });
    res.type('html').send(page({ title: 'Đăng nhập', user: null, body: loginBody(csrf, safeNext(req.query.next), null) }));
  });

  router.post('/inbox/login', async (req, res, next) => {
    try {
      const body = req.body as Record<string, string>;
      const target = safeNext(body.next);
      const retry = (status: number, message: string) => {
        const csrf = newCsrfToken();
        setCookie(req, res, LOGIN_COOKIE, csrf, { maxAgeMs: 30 * 60 * 1000, secure: o.secureCookies });
        res.status(status).type('html').send(page({ title: 'Đăng nhập', user: null, body: loginBody(csrf, target, message) }));
      };
      if (!csrfMatches(parseCookies(req.get('cookie'))[LOGIN_COOKIE], body._csrf)) return retry(403, 'Phiên đăng nhập đã hết hạn, hãy thử lại.');
      if (!loginLimiter.attempt(req.ip ?? 'unknown')) return retry(429, 'Quá nhiều lần đăng nhập. Hãy thử lại sau 15 phút.');
      const result = await o.accounts.login(String(body.username ?? ''), String(body.password ?? ''));
      if (!result.ok) {
        o.logger.warn({ username: String(body.username ?? '').slice(0, 40), ip: req.ip, reason: result.reason }, 'inbox login refused');
        return retry(401, result.reason === 'locked' ? 'Tài khoản tạm khóa do đăng nhập sai nhiều lần. Hãy thử lại sau 15 phút.' : 'Sai tên đăng nhập hoặc mật khẩu.');
      }
      clearCookie(req, res, LOGIN_COOKIE, o.secureCookies);
      setCookie(req, res, SESSION_COOKIE, result.token, { maxAgeMs: o.sessionMs, secure: o.secureCookies });
      await o.tickets.audit(result.user.id, 'login', null, req.ip ?? '');
      res.redirect(303, target);
    } catch (err) {
      next(err);
    }
  });

  router.post('/inbox/logout', requireStaff(), async (req, res) => {
    await o.accounts.logout(staffOf(res)?.token);
    clearCookie(req, res, SESSION_COOKIE, o.secureCookies);
    res.redirect(303, '/inbox/login');
  });

  // --- list and live updates -----------------------------------------------------------------------------
  const rowsFor = (req: Request, res: Response) => {
    const staff = staffOf(res)!;
    const list = o.tickets.list(filterOf(req), staff.user.id, String(req.query.q ?? ''));
    return rows(list, (t) => o.tickets.sla(t), o.accounts.list(), now());
  };

  router.get('/inbox', requireStaff(), (req, res) => {
    const staff = staffOf(res)!;
    const counts = o.tickets.counts(staff.user.id);
    const flash = FLASH[String(req.query.ok ?? '')] ?? null;
    res.type('html').send(
      page({
        title: 'Hộp thư',
        user: staff.user,
        csrf: staff.session.csrf,
        unread: counts.unread,
        live: { version: o.tickets.version, intervalMs: o.pollMs ?? 5000 },
        flash,
        body: listBody({ filter: filterOf(req), query: String(req.query.q ?? ''), counts, rows: rowsFor(req, res) }),
      }),
    );
  });

  router.get('/inbox/rows', requireStaff(), (req, res) => {
    res.type('html').send(rowsFor(req, res).value);
  });

  router.get('/inbox/api/summary', requireStaff(), (_req, res) => {
    const staff = staffOf(res)!;
    const counts = o.tickets.counts(staff.user.id);
    res.json({ version: o.tickets.version, unread: counts.unread, counts: Object.fromEntries(FILTERS.map(([f]) => [f, counts[f]])) });
  });

  // --- one ticket ------------------------------------------------------------------------------------------
  const ticketOf = (req: Request, res: Response): Ticket | null => {
    const ticket = o.tickets.byId(Number(req.params.id));
    if (!ticket) {
      res.status(404).type('text/plain').send('Không tìm thấy phiếu.');
      return null;
    }
    return ticket;
  };

  router.get('/inbox/tickets/:id', requireStaff(), async (req, res) => {
    const ticket = ticketOf(req, res);
    if (!ticket) return;
    const staff = staffOf(res)!;
    await o.tickets.markRead(ticket);
    const flash = FLASH[String(req.query.ok ?? '')] ?? null;
    res.type('html').send(
      page({
        title: `Phiếu #${ticket.id}`,
        user: staff.user,
        csrf: staff.session.csrf,
        unread: o.tickets.counts(staff.user.id).unread,
        live: { version: o.tickets.version, intervalMs: o.pollMs ?? 5000 },
        flash,
        body: ticketBody({
          ticket,
          sla: o.tickets.sla(ticket),
          me: staff.user,
          users: o.accounts.list(),
          csrf: staff.session.csrf,
          categories: o.knowledge().base.categories,
          humanHandling: o.tickets.humanHandling(ticket.channel, ticket.userId) || o.conversations.isPaused(ticket.channel, ticket.userId, now()),
          now: now(),
        }),
      }),
    );
  });

  router.get('/inbox/tickets/:id/replies', requireStaff(), (req, res) => {
    const ticket = ticketOf(req, res);
    if (!ticket) return;
    res.type('html').send(repliesFragment(ticket, o.accounts.list(), staffOf(res)!.session.csrf).value);
  });

  /** POST actions on a ticket: do it, then back to the ticket page with a message. */
  const action = (name: string, run: (ticket: Ticket, me: string, body: Record<string, string>) => Promise<string>) =>
    router.post(`/inbox/tickets/:id/${name}`, requireStaff(), async (req, res, next) => {
      try {
        const ticket = ticketOf(req, res);
        if (!ticket) return;
        const flash = await run(ticket, staffOf(res)!.user.id, req.body as Record<string, string>);
        res.redirect(303, `/inbox/tickets/${ticket.id}?ok=${flash}`);
      } catch (err) {
        next(err);
      }
    });

  action('reply', async (ticket, me, body) => {
    const text = String(body.text ?? '').trim();
    if (text === '') return 'noted';
    await o.replies.reply(ticket, me, text);
    return 'sent';
  });
  action('send-faq', async (ticket, me, body) => {
    const entry = o.knowledge().base.byId.get(String(body.entryId ?? ''));
    if (!entry) return 'unknown-entry';
    await o.replies.reply(ticket, me, composeAnswer(entry, o.footer), entry.id);
    if (!ticket.erasedAt) o.phrasings?.record(entry.id, ticket.question, 'officer', now());
    return 'sent';
  });
  action('note', async (ticket, me, body) => {
    const text = String(body.text ?? '').trim();
    if (text !== '') await o.tickets.note(ticket, me, text);
    return 'noted';
  });
  action('claim', async (ticket, me) => {
    await o.tickets.claim(ticket, me);
    return 'claimed';
  });
  action('assign', async (ticket, me, body) => {
    const assignee = o.accounts.byId(String(body.assignee ?? ''));
    if (assignee && !assignee.disabled) await o.tickets.assign(ticket, assignee.id, me, assignee.displayName);
    return 'assigned';
  });
  action('close', async (ticket, me) => {
    await o.tickets.close(ticket, me);
    o.conversations.resume(ticket.channel, ticket.userId);
    if (o.survey) void o.survey.ask(ticket);
    return 'closed';
  });
  action('reopen', async (ticket, me) => {
    try {
      await o.tickets.reopen(ticket, me);
      return 'reopened';
    } catch {
      return 'reopen-conflict';
    }
  });
  action('hand-back', async (ticket, me) => {
    await o.tickets.handBack(ticket, me);
    o.conversations.resume(ticket.channel, ticket.userId);
    return 'handed-back';
  });
  action('draft', async (ticket, me, body) => {
    const lines = (s: unknown) => String(s ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
    try {
      const { id } = await writeDraft(
        o.knowledgeDir,
        {
          category: String(body.category ?? ''),
          question: String(body.question ?? '').trim(),
          alternates: lines(body.alternates),
          answer: String(body.answer ?? ''),
          legalBasis: lines(body.legal),
          sourceTicket: String(ticket.id),
        },
        o.knowledge().base.variables,
      );
      await o.tickets.audit(me, 'ticket.draft', ticket.id, id);
      return 'draft';
    } catch (err) {
      if (err instanceof DraftError) {
        o.logger.warn({ ticket: ticket.id, problems: err.message }, 'draft refused');
        return 'draft-invalid';
      }
      throw err;
    }
  });
  router.post('/inbox/tickets/:id/replies/:reply/retry', requireStaff(), async (req, res) => {
    const ticket = ticketOf(req, res);
    if (!ticket) return;
    await o.replies.retry(ticket, String(req.params.reply), staffOf(res)!.user.id);
    res.redirect(303, `/inbox/tickets/${ticket.id}?ok=retried`);
  });
  return router;
}
