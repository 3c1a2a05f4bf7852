import { adminNav } from '../admin/views.js';
import { html, type Html } from '../web/html.js';
import { histogram, stackedBars } from './charts.js';
import { CHANNEL_LABELS, METRICS, metricValue, WEEKLY_SERIES } from './format.js';
import type { Report } from './report.js';

/** Response-time bins, in working hours (a working day is about 7.5 hours). */
const RESPONSE_BINS: ReadonlyArray<readonly [number, string]> = [
  [0, 'dưới 1 giờ'],
  [1, '1–2 giờ'],
  [2, '2–4 giờ'],
  [4, '4–8 giờ'],
  [8, '1–2 ngày'],
  [16, 'trên 2 ngày'],
];

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function reportBody(r: Report, from: string, to: string): Html {
  const query = `from=${from}&to=${to}`;
  const weekly = stackedBars(
    'Tin nhắn theo tuần, theo cách trợ lý xử lý',
    WEEKLY_SERIES.map(([, label], i) => ({ label, className: `s${i + 1}` })),
    r.weekly.map((w) => ({ label: w.week.slice(5).split('-').reverse().join('/'), values: WEEKLY_SERIES.map(([k]) => w[k]) })),
  );
  const counts = histogram(r.responseHours, RESPONSE_BINS.map(([edge]) => edge));
  const response = stackedBars(
    'Thời gian đến câu trả lời đầu tiên của cán bộ (giờ làm việc)',
    [{ label: 'Số phiếu', className: 's3' }],
    RESPONSE_BINS.map(([, label], i) => ({ label, values: [counts[i]!] })),
  );
  return html`${adminNav('/admin/reports')}
<h1>Báo cáo hoạt động</h1>
<form method="get" action="/admin/reports" class="actions search">
  <label for="from">Từ</label><input type="date" id="from" name="from" value="${from}">
  <label for="to">đến</label><input type="date" id="to" name="to" value="${to}">
  <button type="submit" class="secondary">Xem</button>
  <a href="/admin/reports.csv?${query}">Tải CSV</a> · <a href="/admin/reports.md?${query}">Markdown</a> · <a href="/admin/reports.json?${query}">JSON</a>
</form>
<p class="muted">Số liệu tính từ nhật ký hoạt động (không lưu nội dung tin nhắn), phiếu hỗ trợ và đánh giá của doanh nghiệp. Thời gian phản hồi tính theo giờ làm việc của đơn vị. Dòng lệnh tương ứng: <code>npm run report -- --from ${from} --to ${to} --format csv</code>.</p>
<table class="figures">
  <thead><tr><th>Chỉ số</th>${r.channels.map((c) => html`<th>${CHANNEL_LABELS[c.channel]}</th>`)}</tr></thead>
  <tbody>${METRICS.map(
    (m) => html`<tr data-metric="${m.key}"><td>${m.label} <span class="muted">(${m.unit})</span></td>${r.channels.map((c) => html`<td data-channel="${c.channel}">${metricValue(m, c)}</td>`)}</tr>`,
  )}</tbody>
</table>
<div class="card"><h2>Tin nhắn theo tuần</h2>${r.weekly.length ? weekly : html`<p class="muted">Chưa có tin nhắn trong khoảng này.</p>`}</div>
<div class="card"><h2>Thời gian phản hồi phiếu hỗ trợ</h2>${r.responseHours.length ? response : html`<p class="muted">Chưa có phiếu nào được trả lời.</p>`}</div>
<div class="card"><h2>Câu hỏi được trả lời nhiều nhất</h2>
${r.topEntries.length
  ? html`<table><thead><tr><th>Câu hỏi</th><th>Số lượt</th></tr></thead><tbody>${r.topEntries.map((e) => html`<tr><td>${e.question} <span class="muted">${e.id}</span></td><td>${e.answers}</td></tr>`)}</tbody></table>`
  : html`<p class="muted">Không có.</p>`}
</div>
<div class="card"><h2>Mức hữu ích theo câu hỏi</h2>
<p class="muted">Câu trả lời bị đánh giá "Chưa đúng 👎" nhiều nhất ở đầu: nên rà soát trước.</p>
${r.helpfulness.length
  ? html`<table><thead><tr><th>Câu hỏi</th><th>👍</th><th>👎</th><th>Hữu ích</th></tr></thead><tbody>${r.helpfulness.map((e) => html`<tr><td>${e.question} <span class="muted">${e.id}</span></td><td>${e.up}</td><td>${e.down}</td><td>${pct(e.rate)}</td></tr>`)}</tbody></table>`
  : html`<p class="muted">Chưa có đánh giá nào.</p>`}
</div>
<div class="card"><h2>Mức hài lòng sau khi cán bộ trả lời</h2>
${r.ratings.count
  ? html`<p>${r.ratings.mean} / 5 điểm, ${r.ratings.count} đánh giá.</p><table><thead><tr><th>Cán bộ</th><th>Số đánh giá</th><th>Điểm trung bình</th></tr></thead><tbody>${r.ratings.byOfficer.map((o) => html`<tr><td>${o.officer}</td><td>${o.count}</td><td>${o.mean}</td></tr>`)}</tbody></table>`
  : html`<p class="muted">Chưa có đánh giá nào.</p>`}
</div>
<div class="card"><h2>Chủ đề chưa có câu trả lời</h2>
${r.gaps.length
  ? html`<ul>${r.gaps.map((g) => html`<li>${g.size} câu hỏi · ${g.terms.join(', ') || '(nhiều chủ đề)'}</li>`)}</ul>`
  : html`<p class="muted">Không có nhóm câu hỏi nào lặp lại.</p>`}
<p><a href="/admin/gaps?${query}">Xem chi tiết từng câu hỏi và tạo câu hỏi mới</a></p>
</div>`;
}
