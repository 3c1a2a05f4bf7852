import { vietnamDay } from '../days.js';
import type { ChannelFigures, Report } from './report.js';

/** How a report figure is presented: its Vietnamese label, unit and formatting. */
interface Metric {
  readonly key: keyof Omit<ChannelFigures, 'channel'>;
  readonly label: string;
  readonly unit: 'lượt' | 'người' | '%' | 'giờ làm việc' | 'điểm (1–5)';
}

export const METRICS: readonly Metric[] = [
  { key: 'conversations', label: 'Cuộc trò chuyện', unit: 'lượt' },
  { key: 'users', label: 'Doanh nghiệp/người dùng', unit: 'người' },
  { key: 'questions', label: 'Câu hỏi', unit: 'lượt' },
  { key: 'answeredAutomatically', label: 'Trả lời tự động', unit: 'lượt' },
  { key: 'answeredRate', label: 'Tỷ lệ trả lời tự động', unit: '%' },
  { key: 'suggestionsAccepted', label: 'Chọn đúng câu gợi ý', unit: 'lượt' },
  { key: 'escalated', label: 'Chuyển cán bộ (phiếu mới)', unit: 'lượt' },
  { key: 'ticketsAnswered', label: 'Phiếu được cán bộ trả lời', unit: 'lượt' },
  { key: 'firstResponseMedianHours', label: 'Thời gian phản hồi đầu tiên (trung vị)', unit: 'giờ làm việc' },
  { key: 'firstResponseP90Hours', label: 'Thời gian phản hồi đầu tiên (90% phiếu)', unit: 'giờ làm việc' },
  { key: 'slaMetRate', label: 'Phản hồi đúng hạn', unit: '%' },
  { key: 'helpfulRate', label: 'Đánh giá "Hữu ích 👍"', unit: '%' },
  { key: 'meanRating', label: 'Mức hài lòng trung bình', unit: 'điểm (1–5)' },
];

export const CHANNEL_LABELS: Readonly<Record<ChannelFigures['channel'], string>> = {
  messenger: 'Messenger',
  zalo: 'Zalo',
  web: 'Trang web',
  cli: 'Dòng lệnh',
  total: 'Tổng cộng',
};

/** A figure as people read it: rates in percent, "–" when there is nothing to compute it from. */
export function metricValue(metric: Metric, figures: ChannelFigures): string {
  const v = figures[metric.key];
  if (v === null) return '–';
  if (metric.unit === '%') return `${Math.round(v * 1000) / 10}`;
  return String(v);
}

/** The period as the user gave it: `to` is exclusive internally, inclusive for people. */
export const periodLabel = (r: Report) => `${vietnamDay(r.from)} → ${vietnamDay(r.to - 1)}`;
const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 1000) / 10}%`);

// ---------- CSV ----------

/**
 * One CSV field (RFC 4180). A field that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) is
 * prefixed with an apostrophe, unless it is a plain number: the file goes to Excel.
 */
export function csvField(value: string | number): string {
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^[+-]?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const CSV_HEADER = ['Phần', 'Kênh', 'Chỉ số', 'Giá trị', 'Đơn vị'] as const;

/**
 * The report as one long table (section, channel, metric, value, unit): opens in Excel as is (UTF-8 with BOM,
 * CRLF) and pivots into any layout the periodic report needs.
 */
export function toCsv(r: Report): string {
  const rows: Array<ReadonlyArray<string | number>> = [CSV_HEADER];
  rows.push(['Kỳ báo cáo', '', 'Từ ngày', vietnamDay(r.from), ''], ['Kỳ báo cáo', '', 'Đến ngày', vietnamDay(r.to - 1), '']);
  for (const figures of r.channels) {
    for (const m of METRICS) rows.push(['Tổng hợp', CHANNEL_LABELS[figures.channel], m.label, metricValue(m, figures), m.unit]);
  }
  for (const e of r.topEntries) rows.push(['Câu hỏi được trả lời nhiều nhất', '', `${e.id}: ${e.question}`, e.answers, 'lượt']);
  for (const e of r.helpfulness) {
    rows.push(['Mức hữu ích theo câu hỏi', '', `${e.id}: ${e.question}`, Math.round(e.rate * 1000) / 10, `% (👍 ${e.up} / 👎 ${e.down})`]);
  }
  for (const o of r.ratings.byOfficer) rows.push(['Mức hài lòng theo cán bộ', '', o.officer, o.mean, `điểm (${o.count} đánh giá)`]);
  for (const g of r.gaps) rows.push(['Chủ đề chưa có câu trả lời', '', g.terms.join(', ') || '(nhiều chủ đề)', g.size, 'câu hỏi']);
  for (const w of r.weekly) {
    for (const [key, label] of WEEKLY_SERIES) rows.push(['Theo tuần', w.week, label, w[key], 'tin nhắn']);
  }
  return `\uFEFF${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export const WEEKLY_SERIES = [
  ['answer', 'Trả lời tự động'],
  ['suggest', 'Gợi ý lựa chọn'],
  ['escalate', 'Chuyển cán bộ'],
  ['smalltalk', 'Chào hỏi, đánh giá, khác'],
] as const;

// ---------- Markdown ----------

const mdCell = (s: string | number) => String(s).replaceAll('|', '\\|').replaceAll('\n', ' ');
function mdTable(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.map(mdCell).join(' | ')} |`).join('\n');
}

export function toMarkdown(r: Report): string {
  const out: string[] = [`# Báo cáo hoạt động hỗ trợ doanh nghiệp: ${periodLabel(r)}`, ''];
  out.push(
    mdTable(
      ['Chỉ số', ...r.channels.map((c) => CHANNEL_LABELS[c.channel])],
      METRICS.map((m) => [`${m.label} (${m.unit})`, ...r.channels.map((c) => metricValue(m, c))]),
    ),
    '',
  );
  if (r.topEntries.length) {
    out.push('## Câu hỏi được trả lời nhiều nhất', '', mdTable(['Mã', 'Câu hỏi', 'Số lượt'], r.topEntries.map((e) => [e.id, e.question, e.answers])), '');
  }
  if (r.helpfulness.length) {
    out.push('## Mức hữu ích theo câu hỏi (thấp nhất trước)', '', mdTable(['Mã', 'Câu hỏi', '👍', '👎', 'Hữu ích'], r.helpfulness.map((e) => [e.id, e.question, e.up, e.down, pct(e.rate)])), '');
  }
  if (r.ratings.count) {
    out.push(
      `## Mức hài lòng sau khi cán bộ trả lời: ${r.ratings.mean} / 5 (${r.ratings.count} đánh giá)`,
      '',
      mdTable(['Cán bộ', 'Số đánh giá', 'Điểm trung bình'], r.ratings.byOfficer.map((o) => [o.officer, o.count, o.mean])),
      '',
    );
  }
  if (r.gaps.length) {
    out.push('## Chủ đề chưa có câu trả lời', '', mdTable(['Từ khoá', 'Số câu hỏi'], r.gaps.map((g) => [g.terms.join(', ') || '(nhiều chủ đề)', g.size])), '');
  }
  if (r.weekly.length) {
    out.push('## Tin nhắn theo tuần', '', mdTable(['Tuần (thứ Hai)', ...WEEKLY_SERIES.map(([, l]) => l)], r.weekly.map((w) => [w.week, ...WEEKLY_SERIES.map(([k]) => w[k])])), '');
  }
  return `${out.join('\n')}\n`;
}

export function toJson(r: Report): string {
  return `${JSON.stringify({ ...r, from: vietnamDay(r.from), to: vietnamDay(r.to - 1) }, null, 2)}\n`;
}
