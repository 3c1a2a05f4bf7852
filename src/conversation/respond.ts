import { decide, type DecisionThresholds } from '../matching/decide.js';
import { search, type SearchResult } from '../matching/search.js';
import { fold } from '../matching/fold.js';
import { isValidOn } from '../knowledge/dated.js';
import { displayValue } from '../knowledge/variables.js';
import { vietnamDay } from '../days.js';
import { composeAnswer, withheldReason, type AnswerFooter } from './answer.js';
import { analyse, questionBesidesRequest, type SmallTalk } from './intents.js';
import type { Knowledge } from './knowledge.js';
import { decodePayload, encodePayload, type Payload } from './payloads.js';
import { fill, TEXTS } from './texts.js';
import { whatsNew } from './whats-new.js';
import type { FaqEntry } from '../knowledge/types.js';
import type { BotResponse, Choice, HandoffReason, IncomingMessage, Outcome, Reply, ScoredCandidate } from './types.js';

/**
 * What the bot asked last, so that a short reply ("2", "có") can be understood. Choices are kept as payloads:
 * typing the number of a choice is the same as tapping it (Zalo shows at most 5 buttons, SMS-minded users type).
 */
export interface ConversationState {
  readonly awaiting: {
    readonly payloads: readonly string[];
    /** The choices' titles: a Zalo button tap comes back as its title ("2. Hoàn thuế…"). */
    readonly titles: readonly string[];
    /** The question the choices are about (for a hand-off). */
    readonly question: string | null;
    /** "có" / "không" answer the first / second choice. */
    readonly yesNo: boolean;
    /** Why a "Chuyển cán bộ" among these choices hands over (an unanswered question, or a 👎). */
    readonly handoffReason?: 'no-answer' | 'feedback';
    /** What the officer is told about it (the matching answer was not in force), recorded on the ticket. */
    readonly handoffDetail?: string;
  } | null;
  /** Epoch ms when `awaiting` (or `commentFor`) was set. */
  readonly at: number;
  /** The ticket the user just rated: a following "Góp ý: …" is the comment on it. */
  readonly commentFor?: string | null;
}

export const EMPTY_STATE: ConversationState = { awaiting: null, at: 0 };
/** A numbered choice is understood for this long after it was offered. */
export const CHOICE_LIFETIME_MS = 30 * 60 * 1000;
/** A comment ("Góp ý: …") is taken as one on the rated ticket for this long after the rating. */
export const COMMENT_LIFETIME_MS = 2 * 24 * 3600_000;

export interface RespondContext {
  readonly knowledge: Knowledge;
  readonly thresholds: DecisionThresholds;
  readonly footer: AnswerFooter;
  /** Epoch ms: the day it is in Vietnam decides which answers and which dated blocks are in force. */
  readonly now: number;
}

const today = (ctx: RespondContext) => vietnamDay(ctx.now);
/** Entries served today: those outside their valid_from / valid_until are never an answer. */
const servedToday = (entry: FaqEntry, ctx: RespondContext) => isValidOn(entry, today(ctx));

export interface RespondResult extends BotResponse {
  readonly state: ConversationState;
}

const YES = new Set(['co', 'dong y', 'ok', 'chuyen', 'chuyen di', 'vang', 'uh', 'co a', 'dong y a', 'yes', 'duoc']);
const NO = new Set(['khong', 'thoi', 'khong can', 'hoi lai', 'no']);

function outcome(partial: Partial<Outcome> & Pick<Outcome, 'decision' | 'via'>): Outcome {
  return { entryId: null, suggestions: [], score: 0, candidates: [], ...partial };
}

function numbered(text: string, choices: readonly Choice[]): string {
  return [text, ...choices.map((c, i) => `${i + 1}. ${c.title}`)].join('\n');
}

/**
 * The bot's answer to one message: pure — the caller loads and saves the state and performs hand-offs.
 * Order: attachments and Get Started, tapped or typed choices, requests for a person, small talk, then the FAQ.
 */
export function respond(message: IncomingMessage, state: ConversationState, ctx: RespondContext): RespondResult {
  const awaiting = state.awaiting && ctx.now - state.at <= CHOICE_LIFETIME_MS ? state.awaiting : null;
  if (message.kind === 'attachment') {
    return keep(state, [{ kind: 'text', text: TEXTS.attachment }], outcome({ decision: 'smalltalk', via: 'attachment' }));
  }
  if (message.kind === 'start') return welcome(ctx, 'greeting', 'start');

  const payload = decodePayload(message.payload ?? message.text) ?? typedChoice(message.text, awaiting);
  if (payload) return onPayload(payload, awaiting, ctx);
  const commentFor = state.commentFor && ctx.now - state.at <= COMMENT_LIFETIME_MS ? state.commentFor : null;
  if (commentFor && COMMENT.test(message.text)) {
    const comment = { ticket: commentFor, text: message.text.replace(COMMENT, '').trim() };
    return keep(EMPTY_STATE, [{ kind: 'text', text: TEXTS.thanksComment }], outcome({ decision: 'smalltalk', via: 'feedback', comment }));
  }

  const { normalized, smallTalk, humanRequest, whatsNew: whatsNewAsked } = analyse(message.text);
  if (humanRequest) {
    // "gặp cán bộ" alone hands over the question asked before it (the pending one, or else the escalation layer
    // looks it up in the conversation); a message with its own question hands over that message.
    const question = questionBesidesRequest(normalized).length === 0 ? (awaiting?.question ?? '') : message.text;
    return handoff('user-request', question, 'human-request');
  }
  if (smallTalk) return welcome(ctx, smallTalk, 'smalltalk');
  if (whatsNewAsked) return whatsNewReply(message.text, ctx);
  return answerQuestion(message.text, ctx);
}

/** "Góp ý: …" right after the 1–5 rating: a comment on the officer's answer (otherwise an ordinary message). */
const COMMENT = /^\s*g[óo]p\s*[ýy]\s*[:：-]\s*/iu;

function keep(state: ConversationState, replies: Reply[], o: Outcome): RespondResult {
  return { replies, outcome: o, state };
}

const simplify = (s: string) => fold(s.trim().toLowerCase()).replace(/\s+/g, ' ').replace(/[.!?,…]+$/g, '').trim();

function typedChoice(text: string, awaiting: ConversationState['awaiting']): Payload | null {
  if (!awaiting) return null;
  const t = simplify(text);
  // "2", "số 2", or a tapped button's "2. Thời hạn nộp thuế…"
  const n = /^(?:so |cau |chon )?(\d{1,2})(?:[.)] .*)?$/.exec(t);
  if (n) {
    const chosen = awaiting.payloads[Number(n[1]) - 1];
    return chosen ? decodePayload(chosen) : null;
  }
  const byTitle = awaiting.titles.findIndex((title) => simplify(title) === t);
  if (byTitle >= 0) return decodePayload(awaiting.payloads[byTitle] ?? '');
  if (awaiting.yesNo && YES.has(t)) return decodePayload(awaiting.payloads[0] ?? '');
  if (awaiting.yesNo && NO.has(t)) return decodePayload(awaiting.payloads[1] ?? '');
  return null;
}

function choicesReply(
  text: string,
  choices: Choice[],
  question: string | null,
  now: number,
  options: { yesNo?: boolean; numbered?: boolean; handoffReason?: 'no-answer' | 'feedback'; handoffDetail?: string } = {},
): { reply: Reply; state: ConversationState } {
  return {
    reply: { kind: 'choices', text: options.numbered === false ? text : numbered(text, choices), choices },
    state: {
      awaiting: {
        payloads: choices.map((c) => c.payload),
        titles: choices.map((c) => c.title),
        question,
        yesNo: options.yesNo ?? false,
        ...(options.handoffReason ? { handoffReason: options.handoffReason } : {}),
        ...(options.handoffDetail ? { handoffDetail: options.handoffDetail } : {}),
      },
      at: now,
    },
  };
}

/** An FAQ answer, with "Hữu ích 👍 / Chưa đúng 👎" under it (typing 1 or 2 works too). */
function answerWithFeedback(entry: FaqEntry, question: string, ctx: RespondContext, o: Outcome): RespondResult {
  const choices: Choice[] = [
    { title: TEXTS.helpful, payload: encodePayload({ kind: 'feedback', helpful: true, id: entry.id }) },
    { title: TEXTS.notHelpful, payload: encodePayload({ kind: 'feedback', helpful: false, id: entry.id }) },
  ];
  const { reply, state } = choicesReply(composeAnswer(entry, ctx.footer, today(ctx)), choices, question, ctx.now, { numbered: false });
  return { replies: [reply], outcome: o, state };
}

function topicChoices(ctx: RespondContext): Choice[] {
  return ctx.knowledge.base.categories.map((c) => ({ title: c.title, payload: encodePayload({ kind: 'menu', category: c.id }) }));
}

function welcome(ctx: RespondContext, kind: SmallTalk, via: Outcome['via']): RespondResult {
  const text = fill(TEXTS.smallTalk[kind], { office: displayValue(ctx.knowledge.base.variables['office.name'] ?? 'Hải quan') });
  const o = outcome({ decision: 'smalltalk', via });
  if (kind === 'thanks' || kind === 'bye') return { replies: [{ kind: 'text', text }], outcome: o, state: EMPTY_STATE };
  const { reply, state } = choicesReply(text, topicChoices(ctx), null, ctx.now);
  return { replies: [reply], outcome: o, state };
}

function handoff(reason: HandoffReason, question: string, via: Outcome['via'], detail?: string): RespondResult {
  return {
    replies: [{ kind: 'handoff', reason, question, ...(detail ? { detail } : {}) }],
    outcome: outcome({ decision: 'escalate', via }),
    state: EMPTY_STATE,
  };
}

function onPayload(p: Payload, awaiting: ConversationState['awaiting'], ctx: RespondContext): RespondResult {
  const base = ctx.knowledge.base;
  const pendingQuestion = awaiting?.question ?? null;
  switch (p.kind) {
    case 'faq': {
      const entry = base.byId.get(p.id);
      if (!entry) return stale();
      // A choice offered before the entry's validity ended (or a menu kept open) is not an answer any more.
      if (!servedToday(entry, ctx)) return withheld(entry, pendingQuestion ?? entry.question, ctx, 'choice', []);
      // A choice offered for a typed question confirms that the question asks for this entry.
      const chosen = pendingQuestion ? { chosen: { entryId: entry.id, question: pendingQuestion } } : {};
      return answerWithFeedback(entry, pendingQuestion ?? entry.question, ctx, outcome({ decision: 'answer', via: 'choice', entryId: entry.id, score: 1, ...chosen }));
    }
    case 'handoff':
      return handoff(awaiting?.handoffReason ?? 'no-answer', pendingQuestion ?? '', 'choice', awaiting?.handoffDetail);
    case 'retry':
      return { replies: [{ kind: 'text', text: TEXTS.retry }], outcome: outcome({ decision: 'smalltalk', via: 'choice' }), state: EMPTY_STATE };
    case 'start':
      return welcome(ctx, 'greeting', 'start');
    case 'menu': {
      if (p.category === null || !base.categories.some((c) => c.id === p.category)) {
        const { reply, state } = choicesReply(TEXTS.menuTitle, topicChoices(ctx), null, ctx.now);
        return { replies: [reply], outcome: outcome({ decision: 'smalltalk', via: 'menu' }), state };
      }
      const category = base.categories.find((c) => c.id === p.category)!;
      const choices: Choice[] = base.entries
        .filter((e) => e.category === category.id && servedToday(e, ctx))
        .slice(0, 12)
        .map((e) => ({ title: e.question, payload: encodePayload({ kind: 'faq', id: e.id }) }));
      choices.push({ title: TEXTS.menuChoice, payload: encodePayload({ kind: 'menu', category: null }) });
      const { reply, state } = choicesReply(fill(TEXTS.categoryTitle, { category: category.title }), choices, null, ctx.now);
      return { replies: [reply], outcome: outcome({ decision: 'smalltalk', via: 'menu' }), state };
    }
    case 'feedback': {
      const feedback = { entryId: p.id, helpful: p.helpful, question: pendingQuestion ?? base.byId.get(p.id)?.question ?? '' };
      const o = outcome({ decision: 'smalltalk', via: 'feedback', feedback });
      if (p.helpful) return { replies: [{ kind: 'text', text: TEXTS.thanksFeedback }], outcome: o, state: EMPTY_STATE };
      // 👎: offer an officer, handing over the question that got the wrong answer.
      const choices: Choice[] = [
        { title: TEXTS.choiceConfirmHandoff, payload: encodePayload({ kind: 'handoff' }) },
        { title: TEXTS.choiceRetry, payload: encodePayload({ kind: 'retry' }) },
      ];
      const { reply, state } = choicesReply(TEXTS.sorryFeedback, choices, feedback.question, ctx.now, { yesNo: true, handoffReason: 'feedback' });
      return { replies: [reply], outcome: o, state };
    }
    case 'rating':
      return {
        replies: [{ kind: 'text', text: TEXTS.thanksRating }],
        outcome: outcome({ decision: 'smalltalk', via: 'feedback', rating: { ticket: p.ticket, stars: p.stars } }),
        state: { awaiting: null, at: ctx.now, commentFor: p.ticket },
      };
  }
}

function stale(): RespondResult {
  return { replies: [{ kind: 'text', text: TEXTS.staleChoice }], outcome: outcome({ decision: 'smalltalk', via: 'choice' }), state: EMPTY_STATE };
}

function candidatesOf(ctx: RespondContext, result: SearchResult): ScoredCandidate[] {
  return result.candidates.map((c) => ({
    id: c.id,
    score: c.score,
    question: ctx.knowledge.base.byId.get(c.id)?.question ?? c.id,
  }));
}

function answerQuestion(text: string, ctx: RespondContext): RespondResult {
  const result = search(ctx.knowledge.index, text);
  const decision = decide(result, ctx.thresholds);
  const candidates = candidatesOf(ctx, result);
  const score = result.confidence;
  const entryOf = (id: string) => ctx.knowledge.base.byId.get(id)!;
  if (decision.kind === 'answer') {
    const entry = entryOf(decision.entry.id);
    if (servedToday(entry, ctx)) return answerWithFeedback(entry, text, ctx, outcome({ decision: 'answer', via: 'question', entryId: entry.id, score, candidates }));
    // Never the answer: the close other candidates (as decide() would offer them) or an officer.
    const close = result.candidates.filter((c) => c.id !== entry.id && c.score >= decision.entry.score - 0.2 && servedToday(entryOf(c.id), ctx));
    return withheld(entry, text, ctx, 'question', close.slice(0, ctx.thresholds.maxSuggestions).map((c) => c.id), score, candidates);
  }
  if (decision.kind === 'suggest') {
    const served = decision.choices.filter((c) => servedToday(entryOf(c.id), ctx));
    const dropped = decision.choices.find((c) => !served.includes(c));
    if (dropped) return withheld(entryOf(dropped.id), text, ctx, 'question', served.map((c) => c.id), score, candidates);
    return suggestReply(text, served.map((c) => c.id), ctx, TEXTS.suggest, outcome({ decision: 'suggest', via: 'question', suggestions: served.map((c) => c.id), score, candidates }));
  }
  const choices: Choice[] = [
    { title: TEXTS.choiceConfirmHandoff, payload: encodePayload({ kind: 'handoff' }) },
    { title: TEXTS.choiceRetry, payload: encodePayload({ kind: 'retry' }) },
  ];
  const { reply, state } = choicesReply(TEXTS.noAnswer, choices, text, ctx.now, { yesNo: true });
  return { replies: [reply], outcome: outcome({ decision: 'escalate', via: 'question', score, candidates }), state };
}

/** "Có phải bạn muốn hỏi…": the entries as choices, then "Gặp cán bộ". */
function suggestReply(question: string, ids: readonly string[], ctx: RespondContext, title: string, o: Outcome, handoffDetail?: string): RespondResult {
  const choices: Choice[] = ids.map((id) => ({ title: ctx.knowledge.base.byId.get(id)!.question, payload: encodePayload({ kind: 'faq', id }) }));
  choices.push({ title: TEXTS.choiceHandoff, payload: encodePayload({ kind: 'handoff' }) });
  const { reply, state } = choicesReply(title, choices, question, ctx.now, handoffDetail ? { handoffDetail } : {});
  const withHint: Reply = reply.kind === 'choices' ? { ...reply, text: `${reply.text}\n\n${TEXTS.suggestHint}` } : reply;
  return { replies: [withHint], outcome: o, state };
}

/**
 * The question matched an entry that is not in force today: it is never the answer. The other close candidates
 * are offered if there are any, otherwise an officer; either way the reason goes with a hand-off onto the ticket.
 */
function withheld(
  entry: FaqEntry,
  question: string,
  ctx: RespondContext,
  via: Outcome['via'],
  others: readonly string[],
  score = 0,
  candidates: readonly ScoredCandidate[] = [],
): RespondResult {
  const reason = withheldReason(entry, today(ctx));
  const why = { entryId: entry.id, reason };
  if (others.length > 0) {
    const o = outcome({ decision: 'suggest', via, suggestions: [...others], score, candidates, withheld: why });
    return suggestReply(question, others, ctx, `${TEXTS.withheldSuggest}\n\n${TEXTS.suggest}`, o, reason);
  }
  const choices: Choice[] = [
    { title: TEXTS.choiceConfirmHandoff, payload: encodePayload({ kind: 'handoff' }) },
    { title: TEXTS.choiceRetry, payload: encodePayload({ kind: 'retry' }) },
  ];
  const { reply, state } = choicesReply(TEXTS.withheld, choices, question, ctx.now, { yesNo: true, handoffReason: 'no-answer', handoffDetail: reason });
  return { replies: [reply], outcome: outcome({ decision: 'escalate', via, score, candidates, withheld: why }), state };
}

/** "Có quy định mới không": the register's recent and coming documents, with their topics as choices. */
function whatsNewReply(question: string, ctx: RespondContext): RespondResult {
  const { text, choices } = whatsNew(ctx.knowledge.base, today(ctx));
  const o = outcome({ decision: 'answer', via: 'question', intent: 'whats-new' });
  if (choices.length === 0) return { replies: [{ kind: 'text', text }], outcome: o, state: EMPTY_STATE };
  const { reply, state } = choicesReply(text, choices, question, ctx.now);
  return { replies: [reply], outcome: o, state };
}
