import { describe, expect, it } from 'vitest';
import { parseOfficeHours, VIETNAM_OFFSET_MINUTES, type WorkingCalendar } from '../../src/inbox/working-time.js';
import type { Activity } from '../../src/reports/activity.js';
import { csvField, CSV_HEADER, toCsv, toMarkdown } from '../../src/reports/format.js';
import { buildReport, quantile, weekOf, type ChannelFigures, type ReportInput } from '../../src/reports/report.js';
import type { FeedbackRecord, StaffUser, Ticket } from '../../src/store/schema.js';

/** Vietnam local time → epoch ms. */
const vn = (local: string) => Date.parse(`${local}:00+07:00`);
const H = 3600_000;

// 8 working hours a day, Monday 2026-03-09 is a holiday: every number below can be counted by hand.
const calendar: WorkingCalendar = {
  days: parseOfficeHours('Mon-Fri 08:00-12:00,13:00-17:00'),
  holidays: new Set(['2026-03-09']),
  utcOffsetMinutes: VIETNAM_OFFSET_MINUTES,
};

const act = (local: string, ch: Activity['ch'], u: string, v: Activity['v'], d: Activity['d'], e: string | null = null): Activity => ({ at: vn(local), ch, u, v, d, e, s: 0.9 });

const activity: Activity[] = [
  // Messenger, user A: one conversation of four messages, then another 49 minutes later.
  act('2026-03-02T09:00', 'messenger', 'A', 'question', 'answer', 'hours'),
  act('2026-03-02T09:02', 'messenger', 'A', 'feedback', 'smalltalk'),
  act('2026-03-02T09:10', 'messenger', 'A', 'question', 'suggest'),
  act('2026-03-02T09:11', 'messenger', 'A', 'choice', 'answer', 'tax'),
  act('2026-03-02T10:00', 'messenger', 'A', 'question', 'escalate'),
  // Messenger, user B asks for a person.
  act('2026-03-03T14:00', 'messenger', 'B', 'human-request', 'escalate'),
  // Zalo, user C: two conversations the same day.
  act('2026-03-11T10:00', 'zalo', 'C', 'question', 'answer', 'hours'),
  act('2026-03-11T15:00', 'zalo', 'C', 'question', 'answer', 'hours'),
  // Outside the period.
  act('2026-04-01T09:00', 'messenger', 'A', 'question', 'answer', 'hours'),
  act('2026-02-27T09:00', 'zalo', 'D', 'question', 'answer', 'hours'),
];

function ticket(id: number, channel: Ticket['channel'], created: string, firstResponse: string | null, slaDue: string, rating?: { stars: number; officer: string; at: string }): Ticket {
  return {
    id,
    channel,
    userId: `user-${id}`,
    displayName: null,
    question: `question ${id}`,
    reason: 'no-answer',
    transcript: [],
    candidates: [],
    status: firstResponse ? 'answered' : 'open',
    assignee: null,
    createdAt: vn(created),
    updatedAt: vn(created),
    firstResponseAt: firstResponse ? vn(firstResponse) : null,
    slaDueAt: vn(slaDue),
    lastUserMessageAt: vn(created),
    lastOfficerReplyAt: null,
    botResumedAt: null,
    closedAt: null,
    unread: false,
    notes: [],
    replies: [],
    rating: rating ? { stars: rating.stars, officer: rating.officer, at: vn(rating.at), comment: null } : null,
  };
}

const tickets: Ticket[] = [
  // 10:00 → 11:30 the same morning: 1.5 working hours, before the 4-hour deadline (15:00).
  ticket(1, 'messenger', '2026-03-02T10:00', '2026-03-02T11:30', '2026-03-02T15:00', { stars: 5, officer: 'o1', at: '2026-03-02T12:00' }),
  // Tuesday 16:00 → Wednesday 09:00: 1 hour on Tuesday, 1 on Wednesday = 2 working hours.
  ticket(2, 'messenger', '2026-03-03T16:00', '2026-03-04T09:00', '2026-03-04T11:00', { stars: 3, officer: 'o2', at: '2026-03-04T10:00' }),
  // Friday 16:30 → Tuesday 15:00 across a weekend and the Monday holiday: 0.5 + 4 + 2 = 6.5 hours, late.
  ticket(3, 'messenger', '2026-03-06T16:30', '2026-03-10T15:00', '2026-03-10T11:30', { stars: 4, officer: 'o1', at: '2026-03-10T16:00' }),
  // Zalo, still unanswered and past its deadline when the period ends.
  ticket(4, 'zalo', '2026-03-11T15:00', null, '2026-03-12T10:00'),
  // Opened before the period.
  ticket(5, 'messenger', '2026-02-20T09:00', '2026-02-20T10:00', '2026-02-20T13:00', { stars: 1, officer: 'o2', at: '2026-02-20T11:00' }),
];

const fb = (local: string, channel: FeedbackRecord['channel'], entryId: string, helpful: boolean): FeedbackRecord => ({ at: vn(local), channel, userId: 'x', entryId, question: 'q', helpful });
const feedback: FeedbackRecord[] = [
  fb('2026-03-02T09:02', 'messenger', 'hours', true),
  fb('2026-03-05T09:00', 'messenger', 'hours', true),
  fb('2026-03-05T09:30', 'messenger', 'tax', false),
  fb('2026-03-11T10:01', 'zalo', 'hours', false),
  fb('2026-04-02T10:00', 'zalo', 'tax', true),
];

const staff = [
  { id: 'o1', displayName: 'Cán bộ Một' },
  { id: 'o2', displayName: 'Cán bộ Hai' },
] as unknown as StaffUser[];

const input: ReportInput = {
  from: vn('2026-03-01T00:00'),
  to: vn('2026-04-01T00:00'),
  activity,
  tickets,
  feedback,
  calendar,
  staff,
  entryQuestions: new Map([
    ['hours', 'Giờ làm việc của Chi cục?'],
    ['tax', 'Thuế nhập khẩu, "ưu đãi" = bao nhiêu?'],
  ]),
  gaps: [{ size: 3, terms: ['than', 'giay_phep'] }],
};

const byChannel = (channels: readonly ChannelFigures[], ch: ChannelFigures['channel']) => channels.find((c) => c.channel === ch)!;

describe('activity report figures', () => {
  const report = buildReport(input);

  it('counts conversations, users, questions and automatic answers per channel and in total', () => {
    expect(byChannel(report.channels, 'messenger')).toMatchObject({
      conversations: 3,
      users: 2,
      questions: 4,
      answeredAutomatically: 2,
      answeredRate: 0.5,
      suggestionsAccepted: 1,
    });
    expect(byChannel(report.channels, 'zalo')).toMatchObject({ conversations: 2, users: 1, questions: 2, answeredAutomatically: 2, answeredRate: 1, suggestionsAccepted: 0 });
    expect(byChannel(report.channels, 'total')).toMatchObject({ conversations: 5, users: 3, questions: 6, answeredAutomatically: 4, answeredRate: 0.67 });
    expect(report.channels.map((c) => c.channel)).toEqual(['messenger', 'zalo', 'total']);
  });

  it('measures first responses in working hours (weekends, holidays and lunch excluded) and the SLA', () => {
    expect([...report.responseHours].sort((a, b) => a - b)).toEqual([1.5, 2, 6.5]);
    expect(byChannel(report.channels, 'messenger')).toMatchObject({
      escalated: 3,
      ticketsAnswered: 3,
      firstResponseMedianHours: 2,
      firstResponseP90Hours: 6.5,
      slaMetRate: 0.67,
    });
    // The Zalo ticket's deadline passed unanswered: judged, and missed.
    expect(byChannel(report.channels, 'zalo')).toMatchObject({ escalated: 1, ticketsAnswered: 0, firstResponseMedianHours: null, slaMetRate: 0 });
    expect(byChannel(report.channels, 'total')).toMatchObject({ escalated: 4, ticketsAnswered: 3, slaMetRate: 0.5 });
  });

  it('a ticket whose deadline has not come yet is not counted against the SLA', () => {
    const early = buildReport({ ...input, to: vn('2026-03-12T00:00') });
    expect(byChannel(early.channels, 'zalo')).toMatchObject({ escalated: 1, slaMetRate: null });
  });

  it('rates 👍 per channel and per entry, lowest first, and ratings per officer', () => {
    expect(byChannel(report.channels, 'messenger').helpfulRate).toBe(0.67);
    expect(byChannel(report.channels, 'zalo').helpfulRate).toBe(0);
    expect(byChannel(report.channels, 'total').helpfulRate).toBe(0.5);
    expect(report.helpfulness).toEqual([
      { id: 'tax', question: input.entryQuestions.get('tax'), up: 0, down: 1, rate: 0 },
      { id: 'hours', question: input.entryQuestions.get('hours'), up: 2, down: 1, rate: 0.67 },
    ]);
    expect(byChannel(report.channels, 'messenger').meanRating).toBe(4);
    expect(report.ratings).toEqual({
      count: 3,
      mean: 4,
      byOfficer: [
        { officer: 'Cán bộ Một', count: 2, mean: 4.5 },
        { officer: 'Cán bộ Hai', count: 1, mean: 3 },
      ],
    });
  });

  it('ranks answered entries and counts messages per week by outcome', () => {
    expect(report.topEntries).toEqual([
      { id: 'hours', question: 'Giờ làm việc của Chi cục?', answers: 3 },
      { id: 'tax', question: input.entryQuestions.get('tax'), answers: 1 },
    ]);
    expect(report.weekly).toEqual([
      { week: '2026-03-02', answer: 2, suggest: 1, escalate: 2, smalltalk: 1 },
      { week: '2026-03-09', answer: 2, suggest: 0, escalate: 0, smalltalk: 0 },
    ]);
  });

  it('weeks start on Monday in Vietnam time, and quantiles take the nearest rank', () => {
    expect(weekOf(vn('2026-03-08T23:59'))).toBe('2026-03-02');
    expect(weekOf(vn('2026-03-09T00:00'))).toBe('2026-03-09');
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(quantile([], 0.5)).toBeNull();
  });
});

/** A minimal RFC 4180 reader, to check the CSV as a spreadsheet would read it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

describe('report formats', () => {
  const report = buildReport(input);

  it('CSV: UTF-8 BOM, CRLF, five columns on every row, figures per channel', () => {
    const csv = toCsv(report);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual([...CSV_HEADER]);
    expect(rows.every((r) => r.length === 5)).toBe(true);
    const find = (channel: string, metric: string) => rows.find((r) => r[0] === 'Tổng hợp' && r[1] === channel && r[2] === metric)?.[3];
    expect(find('Messenger', 'Câu hỏi')).toBe('4');
    expect(find('Tổng cộng', 'Tỷ lệ trả lời tự động')).toBe('67');
    expect(find('Messenger', 'Thời gian phản hồi đầu tiên (90% phiếu)')).toBe('6.5');
    expect(find('Zalo', 'Thời gian phản hồi đầu tiên (trung vị)')).toBe('–');
    expect(rows.find((r) => r[2] === 'Từ ngày')?.[3]).toBe('2026-03-01');
    expect(rows.find((r) => r[2] === 'Đến ngày')?.[3]).toBe('2026-03-31');
  });

  it('CSV: commas, quotes and line breaks are quoted; formulas are defused, numbers are not', () => {
    const rows = parseCsv(toCsv(report).slice(1));
    expect(rows.find((r) => r[0] === 'Câu hỏi được trả lời nhiều nhất' && r[2]!.startsWith('tax'))?.[2]).toBe('tax: Thuế nhập khẩu, "ưu đãi" = bao nhiêu?');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-5')).toBe('-5');
    expect(csvField(-2.5)).toBe('-2.5');
  });

  it('Markdown: one table per section, pipes escaped', () => {
    const md = toMarkdown({ ...report, topEntries: [{ id: 'x', question: 'a | b', answers: 1 }] });
    expect(md).toContain('| Câu hỏi (lượt) | 4 | 2 | 6 |');
    expect(md).toContain('a \\| b');
    expect(md).toContain('## Chủ đề chưa có câu trả lời');
  });
});

describe('working-hours arithmetic used by the report', () => {
  it('a ticket answered outside office hours counts only the working time', async () => {
    const { workingMsBetween } = await import('../../src/inbox/working-time.js');
    // Friday 16:00 → Saturday 10:00: one working hour.
    expect(workingMsBetween(calendar, vn('2026-03-06T16:00'), vn('2026-03-07T10:00')) / H).toBe(1);
    // Over the lunch break: 11:30 → 13:30 is one hour.
    expect(workingMsBetween(calendar, vn('2026-03-02T11:30'), vn('2026-03-02T13:30')) / H).toBe(1);
  });
});
