import { sendStaffPage } from './staff-page.js';
import express, { Router, type Request, type Response } from 'express';
import { composeAnswer, type AnswerFooter } from '../conversation/answer.js';
import { vietnamDay } from '../days.js';
import { DraftError, slugify, writeDraft } from '../knowledge/drafts.js';
import type { LiveKnowledge } from '../conversation/live-knowledge.js';
import type { Logger } from '../log.js';
import type { Conversations } from '../store/conversations.js';
import type { PhrasingProposals } from '../store/phrasings.js';
import type { Ticket } from '../store/schema.js';
import { page } from '../web/layout.js';
import { clearCookie, csrfMatches, parseCookies, setCookie, signedFormToken, signedFormTokenValid } from '../web/security.js';
import { RateLimiter } from '../web/limits.js';
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
  /** The knowledge base being served, and how officers' drafts are written into it. */
  readonly live: LiveKnowledge;
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
  /** The installation's secret: signs the login form's token. */
  readonly secret: string;
  /** Told when an officer answers a ticket's question with an FAQ entry: a phrasing confirmed for that entry. */
  readonly phrasings?: PhrasingProposals;
}

/** Over TLS the login cookie takes the __Host- prefix: a browser then refuses it from a subdomain or plain HTTP. */
const loginCookie = (secure: boolean) => (secure ? '__Host-hm_login' : 'hm_login');
const LOGIN_FORM_MS = 30 * 60 * 1000;
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
  'draft-invalid': { text: 'Không lưu được bản nháp: hãy chọn nhóm trong danh sách và điền câu hỏi, câu trả lời.', error: true },
  'draft-duplicate': { text: 'Đã lưu FAQ nháp với mã mới. Lưu ý: bộ câu hỏi đã có câu hỏi trùng tên — quản trị viên sẽ xem có cần gộp không.' },
  'draft-not-loaded': { text: 'Đã lưu FAQ nháp, nhưng bộ câu hỏi đang có lỗi ở tệp khác nên chưa nạp lại được: quản trị viên xem tại trang Quản trị.', error: true },
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
  router.use('/inbox', form);
  router.use(['/inbox', '/admin'], loadStaff(o.accounts));

  // --- login ---------------------------------------------------------------------------------------------
  const secureRequest = (req: Request) => o.secureCookies ?? req.secure;
  const loginPage = (req: Request, res: Response, status: number, next: string, message: string | null) => {
    const token = signedFormToken(o.secret, now());
    setCookie(req, res, loginCookie(secureRequest(req)), token, { maxAgeMs: LOGIN_FORM_MS, secure: o.secureCookies });
    res.status(status).type('html').send(page({ title: 'Đăng nhập', user: null, body: loginBody(token, next, message) }));
  };

  router.get('/inbox/login', (req, res) => {
    if (staffOf(res)) return void res.redirect(303, safeNext(req.query.next));
    loginPage(req, res, 200, safeNext(req.query.next), null);
  });

  router.post('/inbox/login', async (req, res, next) => {
    try {
      const body = req.body as Record<string, string>;
      const target = safeNext(body.next);
      const cookie = parseCookies(req.get('cookie'))[loginCookie(secureRequest(req))];
      if (!csrfMatches(cookie, body._csrf) || !signedFormTokenValid(o.secret, body._csrf, now(), LOGIN_FORM_MS)) {
        return loginPage(req, res, 403, target, 'Phiên đăng nhập đã hết hạn, hãy thử lại.');
      }
      if (!loginLimiter.attempt(req.ip ?? 'unknown')) return loginPage(req, res, 429, target, 'Quá nhiều lần đăng nhập. Hãy thử lại sau 15 phút.');
      const username = String(body.username ?? '');
      const result = await o.accounts.login(username, String(body.password ?? ''), req.ip ?? 'unknown');
      if (!result.ok) {
        o.logger.warn({ username: username.slice(0, 40), ip: req.ip, reason: result.reason }, 'inbox login refused');
        const message =
          result.reason === 'throttled'
            ? `Đăng nhập sai nhiều lần. Hãy thử lại sau ${Math.ceil(result.retryAfterMs / 60_000)} phút.`
            : 'Sai tên đăng nhập hoặc mật khẩu.';
        return loginPage(req, res, result.reason === 'throttled' ? 429 : 401, target, message);
      }
      clearCookie(req, res, loginCookie(secureRequest(req)), o.secureCookies);
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
  const rowsFor = async (req: Request, res: Response) => {
    const staff = staffOf(res)!;
    const [list, users] = await Promise.all([o.tickets.list(filterOf(req), staff.user.id, String(req.query.q ?? '')), o.accounts.list()]);
    return rows(list, (t) => o.tickets.sla(t), users, now());
  };

  router.get('/inbox', requireStaff(), async (req, res) => {
    const staff = staffOf(res)!;
    const [counts, list] = await Promise.all([o.tickets.counts(staff.user.id), rowsFor(req, res)]);
    await sendStaffPage(res, o.tickets, {
      title: 'Hộp thư',
      live: { version: o.tickets.version, intervalMs: o.pollMs ?? 5000 },
      flash: FLASH[String(req.query.ok ?? '')] ?? null,
      body: listBody({ filter: filterOf(req), query: String(req.query.q ?? ''), counts, rows: list }),
    });
  });

  router.get('/inbox/rows', requireStaff(), async (req, res) => {
    res.type('html').send((await rowsFor(req, res)).value);
  });

  router.get('/inbox/api/summary', requireStaff(), async (_req, res) => {
    const staff = staffOf(res)!;
    const counts = await o.tickets.counts(staff.user.id);
    res.json({ version: o.tickets.version, unread: counts.unread, counts: Object.fromEntries(FILTERS.map(([f]) => [f, counts[f]])) });
  });

  // --- one ticket ------------------------------------------------------------------------------------------
  const ticketOf = async (req: Request, res: Response): Promise<Ticket | null> => {
    const ticket = await o.tickets.byId(Number(req.params.id));
    if (!ticket) res.status(404).type('text/plain').send('Không tìm thấy phiếu.');
    return ticket;
  };

  router.get('/inbox/tickets/:id', requireStaff(), async (req, res) => {
    const ticket = await ticketOf(req, res);
    if (!ticket) return;
    const staff = staffOf(res)!;
    await o.tickets.markRead(ticket);
    const [users, human, paused] = await Promise.all([
      o.accounts.list(),
      o.tickets.humanHandling(ticket.channel, ticket.userId),
      o.conversations.isPaused(ticket.channel, ticket.userId, now()),
    ]);
    await sendStaffPage(res, o.tickets, {
      title: `Phiếu #${ticket.id}`,
      live: { version: o.tickets.version, intervalMs: o.pollMs ?? 5000 },
      flash: FLASH[String(req.query.ok ?? '')] ?? null,
      body: ticketBody({
        ticket,
        sla: o.tickets.sla(ticket),
        me: staff.user,
        users,
        csrf: staff.session.csrf,
        categories: o.live.current.base.categories,
        humanHandling: human || paused,
        now: now(),
      }),
    });
  });

  router.get('/inbox/tickets/:id/replies', requireStaff(), async (req, res) => {
    const ticket = await ticketOf(req, res);
    if (!ticket) return;
    res.type('html').send(repliesFragment(ticket, await o.accounts.list(), staffOf(res)!.session.csrf).value);
  });

  /** POST actions on a ticket: do it, then back to the ticket page with a message. */
  const action = (name: string, run: (ticket: Ticket, me: string, body: Record<string, string>) => Promise<string>) =>
    router.post(`/inbox/tickets/:id/${name}`, requireStaff(), async (req, res, next) => {
      try {
        const ticket = await ticketOf(req, res);
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
    const entry = o.live.current.base.byId.get(String(body.entryId ?? ''));
    if (!entry) return 'unknown-entry';
    await o.replies.reply(ticket, me, composeAnswer(entry, o.footer, vietnamDay(now())), entry.id);
    if (!ticket.erasedAt) await o.phrasings?.record(entry.id, ticket.question, 'officer', now());
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
    const assignee = await o.accounts.byId(String(body.assignee ?? ''));
    if (assignee && !assignee.disabled) await o.tickets.assign(ticket, assignee.id, me, assignee.displayName);
    return 'assigned';
  });
  action('close', async (ticket, me) => {
    await o.tickets.close(ticket, me);
    await o.conversations.resume(ticket.channel, ticket.userId);
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
    await o.conversations.resume(ticket.channel, ticket.userId);
    return 'handed-back';
  });
  action('draft', async (ticket, me, body) => {
    const lines = (s: unknown) => String(s ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
    const input = {
      category: String(body.category ?? ''),
      question: String(body.question ?? '').trim(),
      alternates: lines(body.alternates),
      answer: String(body.answer ?? ''),
      legalBasis: lines(body.legal),
      sourceTicket: String(ticket.id),
    };
    try {
      const result = await o.live.change(() => writeDraft(o.knowledgeDir, input, o.live.current.base));
      await o.tickets.audit(me, 'ticket.draft', ticket.id, result.edit.id);
      if (!result.ok) return 'draft-not-loaded';
      return result.edit.id === slugify(input.question) ? 'draft' : 'draft-duplicate';
    } catch (err) {
      if (err instanceof DraftError) {
        o.logger.warn({ ticket: ticket.id, problems: err.message }, 'draft refused');
        return 'draft-invalid';
      }
      throw err;
    }
  });
  router.post('/inbox/tickets/:id/replies/:reply/retry', requireStaff(), async (req, res) => {
    const ticket = await ticketOf(req, res);
    if (!ticket) return;
    await o.replies.retry(ticket, String(req.params.reply), staffOf(res)!.user.id);
    res.redirect(303, `/inbox/tickets/${ticket.id}?ok=retried`);
  });
  return router;
}
