import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FOOTER } from '../../src/conversation/answer.js';
import { loadKnowledge, type Knowledge } from '../../src/conversation/knowledge.js';
import { EMPTY_STATE, respond, type ConversationState } from '../../src/conversation/respond.js';
import type { IncomingMessage, Reply } from '../../src/conversation/types.js';
import { DEFAULT_THRESHOLDS } from '../../src/matching/decide.js';
import { CATEGORIES, entry, VARIABLES, writeKnowledge } from '../helpers/kb.js';

let knowledge: Knowledge;
let shipped: Knowledge;

beforeAll(async () => {
  shipped = await loadKnowledge(path.resolve('knowledge'));
  const dir = await writeKnowledge({
    '_variables.yml': VARIABLES,
    '_categories.yml': CATEGORIES,
    'thu-tuc/thoi-han-khai.md': entry({
      id: 'thoi-han-khai',
      question: 'Thời hạn nộp tờ khai hải quan hàng nhập khẩu là bao lâu?',
      alternates: ['hạn khai tờ khai nhập khẩu', 'han nop to khai nhap khau', 'bao lâu phải mở tờ khai', 'khai hải quan trong mấy ngày', 'thời hạn đăng ký tờ khai', 'thủ tục khai hải quan'],
      body: 'Trong 30 ngày kể từ ngày hàng đến cửa khẩu.',
    }),
    'thue/thoi-han-nop-thue.md': entry({
      id: 'thoi-han-nop-thue',
      question: 'Thời hạn nộp thuế hàng nhập khẩu là khi nào?',
      alternates: ['hạn nộp thuế nhập khẩu', 'han nop thue nhap khau', 'nộp thuế chậm nhất khi nào', 'bao giờ phải nộp thuế', 'thời hạn nộp tiền thuế'],
      body: 'Nộp thuế trước khi thông quan.',
    }),
    'thue/thue-gtgt.md': entry({
      id: 'thue-gtgt',
      question: 'Thuế GTGT hàng nhập khẩu bao nhiêu phần trăm?',
      alternates: ['thuế VAT hàng nhập khẩu', 'thue gia tri gia tang hang nhap', 'vat nhap khau tinh the nao', 'thuế suất GTGT khâu nhập khẩu', 'thuế giá trị gia tăng', 'thủ tục nộp thuế GTGT'],
      body: 'Thuế suất 0%, 5% hoặc 10%.',
    }),
    'lien-he/thue-kho.md': entry({
      id: 'thue-kho',
      question: 'Thuê kho bãi ở cửa khẩu ở đâu?',
      alternates: ['thuê kho chứa hàng', 'thuê bãi tập kết hàng', 'cho thuê kho ở cửa khẩu', 'giá thuê kho', 'thuê kho lạnh', 'thủ tục thuê kho'],
      body: 'Liên hệ doanh nghiệp kinh doanh kho bãi trong khu kinh tế.',
    }),
    'lien-he/gio-lam-viec.md': entry({
      id: 'gio-lam-viec',
      question: 'Giờ làm việc của hải quan?',
      alternates: ['hải quan làm việc mấy giờ', 'hq lam viec thu 7 khong', 'lịch làm việc cuối tuần', 'mấy giờ mở cửa', 'chủ nhật có làm thủ tục không'],
      body: 'Từ thứ Hai đến thứ Sáu.\n\nNếu trường hợp của bạn khác, hãy nhắn "gặp cán bộ".',
    }),
  });
  knowledge = await loadKnowledge(dir);
});

const NOW = Date.UTC(2026, 10, 27, 3, 0, 0);

function say(text: string, state: ConversationState = EMPTY_STATE, extra: Partial<IncomingMessage> = {}) {
  const message: IncomingMessage = { channel: 'cli', userId: 'u1', messageId: 'm1', timestamp: NOW, kind: 'text', text, ...extra };
  return respond(message, state, { knowledge, thresholds: DEFAULT_THRESHOLDS, footer: DEFAULT_FOOTER, now: NOW });
}

function sayShipped(text: string, state: ConversationState = EMPTY_STATE) {
  const message: IncomingMessage = { channel: 'cli', userId: 'u1', messageId: 'm1', timestamp: NOW, kind: 'text', text };
  return respond(message, state, { knowledge: shipped, thresholds: DEFAULT_THRESHOLDS, footer: DEFAULT_FOOTER, now: NOW });
}

const textOf = (r: Reply) => (r.kind === 'handoff' ? '' : r.text);

describe('respond: FAQ decisions', () => {
  it('answers a confident match, with or without diacritics and in chat shorthand', () => {
    for (const q of ['Thuế giá trị gia tăng hàng nhập khẩu bao nhiêu phần trăm?', 'thue gtgt hang nhap khau bn %', 'VAT nk bao nhiêu']) {
      const r = say(q);
      expect(r.outcome.decision, q).toBe('answer');
      expect(r.outcome.entryId, q).toBe('thue-gtgt');
    }
    expect(say('ad oi hq lam viec t7 ko a').outcome.entryId).toBe('gio-lam-viec');
  });

  it('cites the legal basis and the review date under an answer', () => {
    const [reply] = say('hải quan làm việc mấy giờ').replies;
    expect(textOf(reply!)).toContain('📌 Giờ làm việc của hải quan?');
    expect(textOf(reply!)).toContain('Căn cứ: Luật Hải quan 54/2014/QH13.');
    expect(textOf(reply!)).toContain('Cập nhật: 01/11/2026.');
  });

  it('suggests close candidates instead of guessing between near-duplicates (shipped knowledge base)', () => {
    // "hạn nộp": the tax deadline or the declaration deadline? The message doesn't say.
    const r = sayShipped('hạn nộp nhập khẩu');
    expect(r.outcome.decision).toBe('suggest');
    expect(r.outcome.suggestions).toEqual(expect.arrayContaining(['thoi-han-nop-thue', 'thoi-han-khai-hai-quan']));
    const [reply] = r.replies;
    expect(reply?.kind).toBe('choices');
    if (reply?.kind !== 'choices') return;
    expect(reply.text).toContain('Có phải bạn muốn hỏi:');
    expect(reply.choices.map((c) => c.payload)).toContain('FAQ:thoi-han-khai-hai-quan');
    expect(reply.choices.at(-1)).toEqual({ title: 'Gặp cán bộ', payload: 'HANDOFF' });
    expect(sayShipped('thuế nhập khẩu').outcome.decision).toBe('suggest');
  });

  it('tells thuế from thuê when the user typed the accents', () => {
    expect(say('thuê kho ở đâu').outcome.entryId).toBe('thue-kho');
    const tax = say('thuế nhập khẩu');
    expect(tax.outcome.suggestions.concat(tax.outcome.entryId ?? [])).not.toContain('thue-kho');
  });

  it('offers a hand-over, not an FAQ answer, for an unrelated question', () => {
    for (const q of ['thủ tục ly hôn', 'giá vàng hôm nay bao nhiêu', 'asdkjh qwe']) {
      const r = say(q);
      expect(r.outcome.decision, q).toBe('escalate');
      const [reply] = r.replies;
      expect(reply?.kind).toBe('choices');
      if (reply?.kind === 'choices') expect(reply.choices.map((c) => c.title)).toEqual(['Chuyển cán bộ', 'Hỏi lại']);
    }
  });
});

describe('respond: small talk and hand-off', () => {
  it('answers greetings, thanks, ok and emoji with small talk, never an FAQ', () => {
    for (const q of ['Xin chào', 'alo', 'cam on ad nhieu nhe', 'ok', '👍', '???', 'bạn là ai', 'Dạ em chào ad ạ']) {
      const r = say(q);
      expect(r.outcome.decision, q).toBe('smalltalk');
      expect(r.outcome.entryId, q).toBeNull();
    }
  });

  it('shows the topic menu after a greeting', () => {
    const [reply] = say('xin chào').replies;
    expect(reply?.kind).toBe('choices');
    if (reply?.kind === 'choices') expect(reply.choices.map((c) => c.payload)).toEqual(['MENU:thue', 'MENU:thu-tuc', 'MENU:lien-he']);
  });

  it('answers the question when a greeting comes with one', () => {
    expect(say('chào ad, hq làm việc thứ 7 không').outcome.entryId).toBe('gio-lam-viec');
  });

  it('hands over when the user asks for a person', () => {
    for (const q of ['cho em gặp cán bộ', 'toi muon noi chuyen voi nguoi that', 'tư vấn viên đâu ạ']) {
      const r = say(q);
      expect(r.outcome.decision, q).toBe('escalate');
      expect(r.replies[0]).toMatchObject({ kind: 'handoff', reason: 'user-request' });
    }
  });

  it('asks before handing over an unanswered question, then hands over that question', () => {
    const first = say('thủ tục ly hôn');
    const yes = say('có', first.state);
    expect(yes.replies[0]).toEqual({ kind: 'handoff', reason: 'no-answer', question: 'thủ tục ly hôn' });
    const tapped = say('Chuyển cán bộ', first.state, { kind: 'choice', payload: 'HANDOFF' });
    expect(tapped.replies[0]).toMatchObject({ kind: 'handoff', question: 'thủ tục ly hôn' });
    const retry = say('2', first.state);
    expect(textOf(retry.replies[0]!)).toContain('gõ lại câu hỏi');
  });
});

describe('respond: choices', () => {
  it('answers the entry of a tapped suggestion', () => {
    const r = say('Thời hạn nộp thuế', EMPTY_STATE, { kind: 'choice', payload: 'FAQ:thoi-han-nop-thue' });
    expect(r.outcome).toMatchObject({ decision: 'answer', entryId: 'thoi-han-nop-thue', via: 'choice' });
  });

  it('understands a typed number as the choice with that number', () => {
    const suggested = sayShipped('hạn nộp nhập khẩu');
    const second = suggested.outcome.suggestions[1]!;
    expect(sayShipped('2', suggested.state).outcome.entryId).toBe(second);
  });

  it('forgets numbered choices after their lifetime', () => {
    const suggested = sayShipped('hạn nộp nhập khẩu');
    const old = { ...suggested.state, at: NOW - 31 * 60 * 1000 };
    expect(sayShipped('2', old).outcome.decision).not.toBe('answer');
  });

  it('treats an unknown or forged payload safely', () => {
    const r = say('x', EMPTY_STATE, { kind: 'choice', payload: 'FAQ:khong-ton-tai' });
    expect(textOf(r.replies[0]!)).toContain('không còn hiệu lực');
    expect(say('<script>', EMPTY_STATE, { kind: 'choice', payload: '<script>' }).outcome.decision).not.toBe('answer');
  });

  it('lists the questions of a category from the menu', () => {
    const r = say('Thuế', EMPTY_STATE, { kind: 'choice', payload: 'MENU:thue' });
    const [reply] = r.replies;
    expect(reply?.kind).toBe('choices');
    if (reply?.kind === 'choices') {
      expect(reply.choices.map((c) => c.payload)).toEqual(['FAQ:thoi-han-nop-thue', 'FAQ:thue-gtgt', 'MENU']);
      expect(reply.text).toContain('1. Thời hạn nộp thuế hàng nhập khẩu là khi nào?');
    }
  });

  it('asks for text when an attachment arrives', () => {
    const r = say('', EMPTY_STATE, { kind: 'attachment' });
    expect(textOf(r.replies[0]!)).toContain('gõ câu hỏi');
    expect(r.outcome.via).toBe('attachment');
  });
});

describe('respond: feedback and ratings', () => {
  it('👎 on an answer records the verdict with the question, and "có" then hands that question over', () => {
    const answered = say('hq lam viec thu 7 khong');
    expect(answered.outcome.decision).toBe('answer');
    const down = say('2', answered.state);
    expect(down.outcome.feedback).toEqual({ entryId: 'gio-lam-viec', helpful: false, question: 'hq lam viec thu 7 khong' });
    const yes = say('có', down.state);
    expect(yes.replies[0]).toEqual({ kind: 'handoff', reason: 'feedback', question: 'hq lam viec thu 7 khong' });
  });

  it('"Góp ý: …" right after a rating is the comment on that ticket; otherwise it is an ordinary message', () => {
    const rated = say('4', EMPTY_STATE, { kind: 'choice', payload: 'RATE:7:4' });
    expect(rated.outcome.rating).toEqual({ ticket: '7', stars: 4 });
    const comment = say('Góp ý: trả lời rất nhanh', rated.state);
    expect(comment.outcome.comment).toEqual({ ticket: '7', text: 'trả lời rất nhanh' });
    expect(say('Góp ý: trả lời rất nhanh').outcome.comment).toBeUndefined();
    const late = respond(
      { channel: 'cli', userId: 'u1', messageId: 'm2', timestamp: NOW, kind: 'text', text: 'gop y: cham qua' },
      rated.state,
      { knowledge, thresholds: DEFAULT_THRESHOLDS, footer: DEFAULT_FOOTER, now: NOW + 3 * 24 * 3600_000 },
    );
    expect(late.outcome.comment).toBeUndefined();
  });
});
