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

const LEGAL = `- number: 174/2025/NĐ-CP
  title: Nghị định giảm thuế GTGT
  effective: 2025-07-01
  until: 2026-12-31
- number: 292/2026/NĐ-CP
  title: Nghị định quy định chi tiết Luật Quản lý ngoại thương
  effective: 2026-09-05
- number: 69/2018/NĐ-CP
  title: Nghị định hướng dẫn Luật Quản lý ngoại thương (2018)
  replaced_by:
    number: 292/2026/NĐ-CP
    from: 2026-09-05
`;

beforeAll(async () => {
  shipped = await loadKnowledge(path.resolve('knowledge'));
  const dir = await writeKnowledge({
    '_variables.yml': VARIABLES,
    '_categories.yml': CATEGORIES,
    '_legal.yml': LEGAL,
    'thue/thue-gtgt.md': entry({
      id: 'thue-gtgt',
      question: 'Thuế GTGT hàng nhập khẩu bao nhiêu phần trăm?',
      alternates: ['thuế VAT hàng nhập khẩu', 'thue gia tri gia tang hang nhap', 'vat nhap khau bao nhieu phan tram', 'thuế suất GTGT khâu nhập khẩu', 'thuế giá trị gia tăng hàng nhập'],
      legal: ['Nghị định 174/2025/NĐ-CP'],
      body: 'Thuế suất 0%, 5% hoặc 10%.\n\n::: đến 2026-12-31\nĐến hết 31/12/2026 được giảm còn 8%.\n:::\n\n::: từ 2027-01-01\nTừ 01/01/2027 thuế suất 10% không còn được giảm.\n:::',
    }),
    'thu-tuc/le-phi-cu.md': entry({
      id: 'le-phi-cu',
      question: 'Lệ phí hải quan cho mỗi tờ khai là bao nhiêu?',
      alternates: ['lệ phí hải quan mỗi tờ khai', 'le phi to khai hai quan', 'phí làm tờ khai hải quan bao nhiêu', 'lệ phí thủ tục hải quan', 'mức lệ phí tờ khai'],
      extra: 'valid_until: 2026-11-29',
      body: 'Lệ phí cũ.',
    }),
    'thu-tuc/le-phi-moi.md': entry({
      id: 'le-phi-moi',
      question: 'Lệ phí hải quan nộp qua ngân hàng thế nào?',
      alternates: ['nộp lệ phí hải quan qua ngân hàng', 'nop le phi hai quan online', 'lệ phí hải quan nộp ở đâu', 'cách nộp lệ phí tờ khai hải quan', 'nộp phí hải quan mỗi tờ khai bằng chuyển khoản'],
      body: 'Nộp qua ngân hàng.',
    }),
    'lien-he/lich-tet.md': entry({
      id: 'lich-tet',
      question: 'Lịch làm việc của hải quan dịp Tết Nguyên đán 2026?',
      alternates: ['lịch làm việc dịp tết 2026', 'tết 2026 hải quan nghỉ mấy ngày', 'lich truc tet nguyen dan 2026', 'hải quan làm việc lại từ mùng mấy tết 2026', 'nghỉ tết 2026 có thông quan không'],
      extra: 'valid_until: 2026-02-28',
      body: 'Nghỉ từ 14/02/2026 đến 22/02/2026.',
    }),
    'thu-tuc/tam-nhap.md': entry({
      id: 'tam-nhap',
      question: 'Thủ tục tạm nhập tái xuất thế nào?',
      alternates: ['tạm nhập tái xuất', 'tam nhap tai xuat', 'kinh doanh tạm nhập tái xuất', 'hàng tạm nhập tái xuất', 'tái xuất hàng tạm nhập'],
      legal: ['Nghị định 292/2026/NĐ-CP (thay thế Nghị định 69/2018/NĐ-CP)'],
      body: 'Làm thủ tục tại cửa khẩu.',
    }),
  });
  knowledge = await loadKnowledge(dir);
});

/** 10:00 in Vietnam on the given day. */
const at = (day: string) => Date.parse(`${day}T10:00:00+07:00`);

function say(text: string, now: number, state: ConversationState = EMPTY_STATE, kb: Knowledge = knowledge, extra: Partial<IncomingMessage> = {}) {
  const message: IncomingMessage = { channel: 'cli', userId: 'u1', messageId: 'm1', timestamp: now, kind: 'text', text, ...extra };
  return respond(message, state, { knowledge: kb, thresholds: DEFAULT_THRESHOLDS, footer: DEFAULT_FOOTER, now });
}

const textOf = (r: Reply) => (r.kind === 'handoff' ? '' : r.text);

describe('answers as they read on the day (clock injected)', () => {
  it('a dated statement shows up to its last day, Vietnam time, and the next one from the day after', () => {
    const lastMinute = Date.parse('2026-12-31T23:59:00+07:00');
    const before = say('thuế VAT hàng nhập khẩu', lastMinute);
    expect(before.outcome.entryId).toBe('thue-gtgt');
    expect(textOf(before.replies[0]!)).toContain('giảm còn 8%');
    expect(textOf(before.replies[0]!)).not.toContain('không còn được giảm');
    // 17:00 UTC on 31/12 is already 1 January in Vietnam.
    const after = say('thuế VAT hàng nhập khẩu', Date.parse('2026-12-31T17:00:00Z'));
    expect(textOf(after.replies[0]!)).toContain('không còn được giảm');
    expect(textOf(after.replies[0]!)).not.toContain('8%');
  });
});

describe('an entry outside its validity is never the answer', () => {
  it('is answered through its valid_until day', () => {
    const r = say('lệ phí hải quan mỗi tờ khai', at('2026-11-29'));
    expect(r.outcome.decision).toBe('answer');
    expect(r.outcome.entryId).toBe('le-phi-cu');
  });

  it('the day after, the question goes to the other close candidates, and the reason follows a hand-off to the ticket', () => {
    const halfPastMidnight = Date.parse('2026-11-30T00:30:00+07:00');
    const r = say('lệ phí hải quan mỗi tờ khai', halfPastMidnight);
    expect(r.outcome.decision).toBe('suggest');
    expect(r.outcome.suggestions).toContain('le-phi-moi');
    expect(r.outcome.suggestions).not.toContain('le-phi-cu');
    expect(r.outcome.withheld).toEqual({ entryId: 'le-phi-cu', reason: 'Câu trả lời có sẵn "Lệ phí hải quan cho mỗi tờ khai là bao nhiêu?" (le-phi-cu) hết hiệu lực từ 30/11/2026 nên trợ lý không dùng để trả lời tự động.' });
    const reply = r.replies[0]!;
    expect(reply.kind === 'choices' && reply.choices.map((c) => c.payload)).toEqual(['FAQ:le-phi-moi', 'HANDOFF']);
    const handoff = say('2', halfPastMidnight + 60_000, r.state);
    expect(handoff.replies).toEqual([{ kind: 'handoff', reason: 'no-answer', question: 'lệ phí hải quan mỗi tờ khai', detail: r.outcome.withheld!.reason }]);
  });

  it('with no other close candidate, the user is offered an officer, and "có" hands over with the reason', () => {
    const r = say('lịch làm việc dịp tết 2026', at('2026-11-30'));
    expect(r.outcome.decision).toBe('escalate');
    expect(r.outcome.withheld?.entryId).toBe('lich-tet');
    expect(textOf(r.replies[0]!)).toContain('đang được cập nhật theo quy định mới');
    const yes = say('có', at('2026-11-30'), r.state);
    expect(yes.replies).toEqual([{ kind: 'handoff', reason: 'no-answer', question: 'lịch làm việc dịp tết 2026', detail: expect.stringContaining('(lich-tet) hết hiệu lực từ 01/03/2026') }]);
  });

  it('a choice tapped after the entry expired is not answered, and the topic menu no longer lists it', () => {
    const tapped = say('FAQ:le-phi-cu', at('2026-12-05'), EMPTY_STATE, knowledge, { kind: 'choice', payload: 'FAQ:le-phi-cu' });
    expect(tapped.outcome.decision).toBe('escalate');
    expect(tapped.outcome.withheld?.entryId).toBe('le-phi-cu');
    const menu = say('MENU:thu-tuc', at('2026-12-05'), EMPTY_STATE, knowledge, { kind: 'choice', payload: 'MENU:thu-tuc' });
    const payloads = menu.replies[0]!.kind === 'choices' ? menu.replies[0]!.choices.map((c) => c.payload) : [];
    expect(payloads).toContain('FAQ:le-phi-moi');
    expect(payloads).not.toContain('FAQ:le-phi-cu');
    const earlier = say('MENU:thu-tuc', at('2026-11-29'), EMPTY_STATE, knowledge, { kind: 'choice', payload: 'MENU:thu-tuc' });
    expect(earlier.replies[0]!.kind === 'choices' && earlier.replies[0]!.choices.map((c) => c.payload)).toContain('FAQ:le-phi-cu');
  });
});

describe('"có quy định mới không"', () => {
  it('lists, from the register, the documents of the last 90 days and of the next 90, with their topics as choices', () => {
    const r = say('có quy định mới nào không', at('2026-11-30'));
    expect(r.outcome).toMatchObject({ decision: 'answer', intent: 'whats-new', entryId: null });
    const reply = r.replies[0]!;
    expect(reply.kind).toBe('choices');
    const text = textOf(reply);
    expect(text).toContain('• 05/09/2026: 292/2026/NĐ-CP — Nghị định quy định chi tiết Luật Quản lý ngoại thương; thay thế 69/2018/NĐ-CP. Liên quan: câu 1.');
    expect(text).toContain('• 31/12/2026: 174/2025/NĐ-CP — Nghị định giảm thuế GTGT (hết hiệu lực sau ngày này). Liên quan: câu 2.');
    expect(text.indexOf('292/2026')).toBeLessThan(text.indexOf('Sắp có hiệu lực'));
    expect(reply.kind === 'choices' && reply.choices.map((c) => c.payload)).toEqual(['FAQ:tam-nhap', 'FAQ:thue-gtgt']);
    // Picking one answers it.
    const picked = say('2', at('2026-11-30'), r.state);
    expect(picked.outcome.entryId).toBe('thue-gtgt');
  });

  it('is recognised with or without diacritics and in chat style, but not when a topic or a subscription is asked', () => {
    for (const q of ['có văn bản mới không', 'quy định mới về hải quan', 'luật mới', 'co quy dinh moi nao khong', 'văn bản mới nhất', 'van ban moi nhat', 'hq có luật mới j ko ad', 'Có nghị định, thông tư mới nào không ạ?']) {
      expect(say(q, at('2026-11-30')).outcome.intent, q).toBe('whats-new');
    }
    for (const q of ['đăng ký nhận tin văn bản mới', 'có tn sms báo nghị định mới ko ad', 'làm sao biết thông tư mới', 'thuế VAT hàng nhập khẩu mới']) {
      expect(say(q, at('2026-11-30')).outcome.intent, q).toBeUndefined();
    }
  });

  it('says so when nothing changed within 90 days either way, pointing to where new documents are published', () => {
    const r = say('có quy định mới không', at('2026-04-01'));
    expect(r.outcome.intent).toBe('whats-new');
    expect(r.replies[0]!.kind).toBe('text');
    expect(textOf(r.replies[0]!)).toContain('không có văn bản nào bắt đầu hoặc hết hiệu lực');
  });

  it('on the shipped knowledge base: what is new, and how to be told, are two different replies', () => {
    const news = say('có quy định mới nào không', at('2026-11-30'), EMPTY_STATE, shipped);
    expect(news.outcome.intent).toBe('whats-new');
    const text = textOf(news.replies[0]!);
    for (const doc of ['292/2026/NĐ-CP', '85/2026/TT-BTC', '336/2026/NĐ-CP', '142/2026/TT-BTC', '174/2025/NĐ-CP']) expect(text, doc).toContain(doc);
    expect(text).not.toContain('169/2026/NĐ-CP'); // in force since 01/7/2026: more than 90 days ago
    for (const q of ['đăng ký nhận tin văn bản mới', 'Muốn nhận email khi có quy định mới về hải quan thì đăng ký ở đâu?']) {
      expect(say(q, at('2026-11-30'), EMPTY_STATE, shipped).outcome.entryId, q).toBe('nhan-tin-van-ban-moi');
    }
    // Asking for a channel that tells of new documents gets the subscription entry (answered or offered) — never the list.
    const zalo = say('co kenh zalo nao bao van ban moi khong', at('2026-11-30'), EMPTY_STATE, shipped).outcome;
    expect(zalo.intent).toBeUndefined();
    expect([zalo.entryId, ...zalo.suggestions]).toContain('nhan-tin-van-ban-moi');
  });
});
