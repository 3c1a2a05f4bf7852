import type { Html } from '../web/html.js';
import { sendStaffPage } from '../inbox/staff-page.js';
import express, { Router, type Request, type Response } from 'express';
import type { LiveKnowledge } from '../conversation/live-knowledge.js';
import { EMPTY_STATE, respond } from '../conversation/respond.js';
import type { AnswerFooter } from '../conversation/answer.js';
import { DraftError, writeDraft } from '../knowledge/drafts.js';
import type { KnowledgeEdit, KnowledgeProblem } from '../knowledge/types.js';
import type { Logger } from '../log.js';
import type { DecisionThresholds } from '../matching/decide.js';
import { search } from '../matching/search.js';
import type { Tickets } from '../inbox/tickets.js';
import type { PhrasingProposals } from '../store/phrasings.js';
import type { DataStore } from '../store/types.js';
import { page } from '../web/layout.js';
import { requireStaff, staffOf } from '../web/session.js';
import { checkKnowledge } from './check.js';
import { judgeTimeline, type Timeline } from '../knowledge/timeline.js';
import { addAlternate, approveDraft, deleteDraft, EntryFileError, readEntry, saveEntry } from './entries.js';
import { PeriodError, periodFromQuery } from '../reports/period.js';
import { vietnamDay } from '../days.js';
import { clusterGaps, gapQuestionsIn, knowledgeWordWeight } from './gaps.js';
import { alternateRefusedBody, approveRefusedBody, draftsBody, editorBody, gapsBody, knowledgeBody, newEntryBody, overviewBody, reloadRefusedBody, suggestionsBody, tryBody } from './views.js';
import { proposalGroups } from './suggestions.js';

export interface AdminRoutesOptions {
  readonly live: LiveKnowledge;
  readonly knowledgeDir: string;
  readonly store: DataStore;
  readonly phrasings: PhrasingProposals;
  readonly tickets: Tickets;
  readonly thresholds: DecisionThresholds;
  readonly footer: AnswerFooter;
  readonly staleAfterMonths: number;
  /** "Sắp thay đổi" horizon of the warnings and of the "Lịch hiệu lực" section (KB_LOOKAHEAD_DAYS). */
  readonly lookaheadDays: number;
  readonly logger: Logger;
  readonly clock?: () => number;
  /** Extra admin pages (reports, personal data) mounted under /admin by their own modules. */
  readonly extra?: readonly Router[];
}

const DAY = 24 * 3600_000;

/**
 * The admin pages at /admin (role admin): knowledge browser, editor, "Thử câu hỏi", drafts, phrasings proposed by
 * use, knowledge gaps.
 */
export function adminRoutes(o: AdminRoutesOptions): Router {
  const router = Router();
  const now = () => (o.clock ?? Date.now)();
  const today = () => vietnamDay(now());
  router.use('/admin', express.urlencoded({ extended: false, limit: '256kb' }), requireStaff('admin'));

  const render = (res: Response, title: string, body: Html, status = 200) => sendStaffPage(res, o.tickets, { title, body, status });
  const audit = (res: Response, action: string, detail: string) => o.tickets.audit(staffOf(res)!.user.id, action, null, detail);
  /** Writes, reloads, and tells the admin when the reload was refused (never a silent "saved"). */
  const change = async <E extends KnowledgeEdit>(res: Response, what: string, write: () => Promise<E>): Promise<E | null> => {
    const result = await o.live.change(write);
    if (result.ok) return result.edit;
    render(res, 'Chưa nạp lại được', reloadRefusedBody(what, result.undone, result.problems), 422);
    return null;
  };
  const staleBefore = () => {
    const d = new Date(now() - o.staleAfterMonths * 30.44 * DAY);
    return d.toISOString().slice(0, 10);
  };

  // The quality warnings cost a search per alternate: computed once per loaded knowledge base and day (dates are
  // judged on the day it is in Vietnam).
  let checkedFor: { knowledge: object; day: string; warnings: KnowledgeProblem[]; timeline: Timeline } | null = null;
  const checked = () => {
    const current = o.live.current;
    const day = today();
    if (checkedFor?.knowledge !== current || checkedFor.day !== day) {
      const options = { staleAfterMonths: o.staleAfterMonths, today: day, lookaheadDays: o.lookaheadDays };
      checkedFor = {
        knowledge: current,
        day,
        warnings: [...current.base.warnings, ...checkKnowledge(current, options)],
        timeline: judgeTimeline(current.base.entries, current.base.legal, day, o.lookaheadDays),
      };
    }
    return checkedFor;
  };

  router.get('/admin', (_req, res) => {
    const base = o.live.current.base;
    const { warnings, timeline } = checked();
    render(res, 'Quản trị', overviewBody({ entries: base.entries.length, drafts: base.drafts.length, loadedAt: o.live.loadedAt, refused: o.live.lastFailure?.problems ?? null, warnings, timeline }));
  });

  router.get('/admin/knowledge', (req, res) => {
    const base = o.live.current.base;
    const q = String(req.query.q ?? '').trim().toLowerCase();
    const category = String(req.query.category ?? '');
    const list = [...base.entries, ...base.drafts]
      .filter((e) => category === '' || e.category === category)
      .filter((e) => q === '' || [e.id, e.question, ...e.alternates, ...e.tags, ...e.legalBasis, e.answerText].join('\n').toLowerCase().includes(q))
      .sort((a, b) => a.category.localeCompare(b.category) || a.id.localeCompare(b.id));
    render(res, 'Câu hỏi', knowledgeBody(list, base.categories, q, category, staleBefore()));
  });

  router.get('/admin/knowledge/:category/:id', async (req, res) => {
    const { category, id } = req.params as { category: string; id: string };
    try {
      const text = await readEntry(o.knowledgeDir, category, id);
      render(res, `Sửa ${id}`, editorBody(category, id, text, staffOf(res)!.session.csrf, null, req.query.saved === '1'));
    } catch {
      res.status(404).type('text/plain').send('Không tìm thấy tệp câu hỏi.');
    }
  });

  router.post('/admin/knowledge/:category/:id', async (req, res, next) => {
    const { category, id } = req.params as { category: string; id: string };
    const text = String((req.body as Record<string, string>).source ?? '');
    try {
      if ((await readEntry(o.knowledgeDir, category, id).catch(() => null)) === null) return void res.status(404).type('text/plain').send('Không tìm thấy tệp câu hỏi.');
      const saved = await change(res, `${category}/${id}`, () => saveEntry(o.knowledgeDir, o.live.current.base, category, id, text));
      if (!saved) return;
      await audit(res, 'knowledge.edit', `${category}/${id}`);
      res.redirect(303, `/admin/knowledge/${category}/${id}?saved=1`);
    } catch (err) {
      if (err instanceof EntryFileError) return render(res, `Sửa ${id}`, editorBody(category, id, text, staffOf(res)!.session.csrf, err.problems, false), 422);
      next(err);
    }
  });

  router.get('/admin/try', (req, res) => {
    const q = String(req.query.q ?? '').trim();
    if (q === '') return render(res, 'Thử câu hỏi', tryBody('', null, null));
    const knowledge = o.live.current;
    const { outcome } = respond(
      { channel: 'cli', userId: 'admin-try', messageId: 'try', timestamp: now(), kind: 'text', text: q },
      EMPTY_STATE,
      { knowledge, thresholds: o.thresholds, footer: o.footer, now: now() },
    );
    render(res, 'Thử câu hỏi', tryBody(q, outcome, search(knowledge.index, q)));
  });

  const DRAFT_FLASH: Readonly<Record<string, string>> = {
    approved: 'Đã duyệt: câu hỏi được dùng để trả lời ngay.',
    rejected: 'Đã loại bỏ bản nháp.',
    created: 'Đã lưu bản nháp mới.',
  };
  router.get('/admin/drafts', (req, res) => {
    const base = o.live.current.base;
    render(res, 'Bản nháp', draftsBody(base.drafts, base.brokenDrafts, base.categories, staffOf(res)!.session.csrf, DRAFT_FLASH[String(req.query.ok ?? '')] ?? null));
  });

  router.post('/admin/drafts/:category/:id/approve', async (req, res, next) => {
    const { category, id } = req.params as { category: string; id: string };
    try {
      const approved = await change(res, `${category}/${id}`, () => approveDraft(o.knowledgeDir, o.live.current.base, category, id, today()));
      if (!approved) return;
      await audit(res, 'draft.approve', `${category}/${id}`);
      res.redirect(303, '/admin/drafts?ok=approved');
    } catch (err) {
      if (err instanceof EntryFileError) return render(res, 'Chưa duyệt được', approveRefusedBody(category, id, err.problems), 422);
      next(err);
    }
  });

  router.post('/admin/drafts/:category/:id/reject', async (req, res, next) => {
    const { category, id } = req.params as { category: string; id: string };
    try {
      const rejected = await change(res, `${category}/${id}`, () => deleteDraft(o.knowledgeDir, o.live.current.base, category, id));
      if (!rejected) return;
      await audit(res, 'draft.reject', `${category}/${id}`);
      res.redirect(303, '/admin/drafts?ok=rejected');
    } catch (err) {
      if (err instanceof EntryFileError) return void res.status(404).type('text/plain').send('Không có bản nháp này.');
      next(err);
    }
  });

  const SUGGESTION_FLASH: Readonly<Record<string, string>> = {
    accepted: 'Đã thêm vào cách hỏi: trợ lý trả lời câu này ngay, không cần khởi động lại.',
    dismissed: 'Đã bỏ qua: cách hỏi này sẽ không được đề xuất lại.',
  };
  router.get('/admin/suggestions', async (req, res) => {
    const groups = proposalGroups(await o.phrasings.list(), o.live.current.base);
    render(res, 'Đề xuất cách hỏi', suggestionsBody(groups, staffOf(res)!.session.csrf, SUGGESTION_FLASH[String(req.query.ok ?? '')] ?? null));
  });

  /** The pending proposal a form names, or a 404 when it was decided meanwhile (another admin, another tab). */
  const proposalOf = async (req: Request, res: Response) => {
    const body = req.body as Record<string, string>;
    const proposal = await o.phrasings.find(String(body.entryId ?? ''), String(body.key ?? ''));
    if (proposal) return proposal;
    res.status(404).type('text/plain; charset=utf-8').send('Đề xuất này không còn (đã được xử lý). Hãy tải lại trang.');
    return null;
  };

  router.post('/admin/suggestions/accept', async (req, res, next) => {
    const proposal = await proposalOf(req, res);
    if (!proposal) return;
    const entry = o.live.current.base.byId.get(proposal.entryId);
    if (!entry) return void res.status(404).type('text/plain; charset=utf-8').send('Câu hỏi này không còn trong bộ câu hỏi.');
    try {
      const added = await change(res, `${entry.category}/${entry.id}`, () => addAlternate(o.knowledgeDir, o.live.current.base, entry.category, entry.id, proposal.question));
      if (!added) return;
      await o.phrasings.accept(proposal, now());
      await audit(res, 'knowledge.alternate.add', `${entry.category}/${entry.id}: ${proposal.question}`);
      res.redirect(303, '/admin/suggestions?ok=accepted');
    } catch (err) {
      if (err instanceof EntryFileError) return render(res, 'Chưa thêm được', alternateRefusedBody(entry.category, entry.id, err.problems), 422);
      next(err);
    }
  });

  router.post('/admin/suggestions/dismiss', async (req, res, next) => {
    const proposal = await proposalOf(req, res);
    if (!proposal) return;
    try {
      await o.phrasings.dismiss(proposal, now());
      // Not the wording: the audit log names what was decided, not what a user typed.
      await audit(res, 'phrasing.dismiss', proposal.entryId);
      res.redirect(303, '/admin/suggestions?ok=dismissed');
    } catch (err) {
      next(err);
    }
  });

  router.get('/admin/gaps', async (req, res) => {
    let period;
    try {
      period = periodFromQuery(req.query, now(), 30);
    } catch (err) {
      if (!(err instanceof PeriodError)) throw err;
      return void res.status(400).type('text/plain; charset=utf-8').send(err.message);
    }
    const range = { from: period.from, to: period.to };
    const data = { tickets: await o.store.tickets({ created: range }), feedback: await o.store.feedback(range) };
    const clusters = clusterGaps(gapQuestionsIn(data, period.from, period.to), knowledgeWordWeight(o.live.current.index));
    render(res, 'Câu hỏi chưa có lời đáp', gapsBody(clusters, period.fromDay, period.toDay, staffOf(res)!.session.csrf));
  });

  const newEntryForm = (req: Request, res: Response, problems: KnowledgeProblem[] | null, status = 200) => {
    const body = req.body as Record<string, string>;
    render(
      res,
      'Câu hỏi mới',
      newEntryBody({
        csrf: staffOf(res)!.session.csrf,
        categories: o.live.current.base.categories,
        question: String(body.question ?? ''),
        alternates: String(body.alternates ?? ''),
        answer: String(body.answer ?? ''),
        legal: String(body.legal ?? ''),
        problems,
      }),
      status,
    );
  };
  router.post('/admin/new', (req, res) => newEntryForm(req, res, null));

  router.post('/admin/drafts/create', async (req, res, next) => {
    const body = req.body as Record<string, string>;
    const lines = (s: unknown) => String(s ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
    try {
      const input = { category: String(body.category ?? ''), question: String(body.question ?? '').trim(), alternates: lines(body.alternates), answer: String(body.answer ?? ''), legalBasis: lines(body.legal), sourceTicket: null };
      const created = await change(res, input.question, () => writeDraft(o.knowledgeDir, input, o.live.current.base));
      if (!created) return;
      await audit(res, 'draft.create', created.id);
      res.redirect(303, '/admin/drafts?ok=created');
    } catch (err) {
      if (err instanceof DraftError) return newEntryForm(req, res, [...err.problems], 422);
      next(err);
    }
  });

  for (const extra of o.extra ?? []) router.use(extra);
  return router;
}
