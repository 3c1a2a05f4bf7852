import { vietnameseDate } from '../conversation/answer.js';
import type { Outcome } from '../conversation/types.js';
import type { Timeline } from '../knowledge/timeline.js';
import { formatProblem, type BrokenDraft, type Category, type FaqEntry, type KnowledgeProblem } from '../knowledge/types.js';
import { changeWords, notYetMessage, outdatedMessage, statementMessage, validityMessage } from './check.js';
import type { SearchResult } from '../matching/search.js';
import { html, type Html } from '../web/html.js';
import { dateTime } from '../web/layout.js';
import type { GapCluster } from './gaps.js';
import type { ProposalGroup } from './suggestions.js';
import type { ProposalSource } from '../store/types.js';

const NAV: ReadonlyArray<readonly [string, string]> = [
  ['/admin', 'Tổng quan'],
  ['/admin/knowledge', 'Câu hỏi'],
  ['/admin/try', 'Thử câu hỏi'],
  ['/admin/drafts', 'Bản nháp'],
  ['/admin/suggestions', 'Đề xuất cách hỏi'],
  ['/admin/gaps', 'Câu hỏi chưa có lời đáp'],
  ['/admin/reports', 'Báo cáo'],
  ['/admin/privacy', 'Dữ liệu cá nhân'],
];

export function adminNav(current: string): Html {
  return html`<div class="tabs">${NAV.map(([href, label]) => html`<a href="${href}" class="${href === current ? 'active' : ''}">${label}</a>`)}</div>`;
}

const csrfField = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;
const DECISIONS = { answer: 'Trả lời', suggest: 'Gợi ý lựa chọn', smalltalk: 'Trò chuyện', escalate: 'Đề nghị chuyển cán bộ' } as const;
const KINDS: Readonly<Record<string, string>> = {
  known: 'có trong bộ câu hỏi',
  'loose-accent': 'khác dấu (tính một phần)',
  split: 'tách từ dính liền',
  telex: 'sửa kiểu gõ Telex',
  corrected: 'sửa lỗi gõ',
  unknown: 'chưa biết',
  'tone-slip': 'gõ sai dấu (tính một phần)',
  name: 'tên hàng/địa danh',
};

export function problemsList(problems: readonly KnowledgeProblem[]): Html {
  return problems.length === 0 ? html`<p class="muted">Không có.</p>` : html`<pre class="report">${problems.map((p) => `${formatProblem(p)}\n`).join('')}</pre>`;
}

export interface OverviewView {
  readonly entries: number;
  readonly drafts: number;
  readonly loadedAt: number;
  readonly refused: readonly KnowledgeProblem[] | null;
  readonly warnings: readonly KnowledgeProblem[];
  readonly timeline: Timeline;
}

export function overviewBody(v: OverviewView): Html {
  return html`${adminNav('/admin')}
<h1>Quản trị bộ câu hỏi</h1>
<div class="card">
  <p>${v.entries} câu hỏi đang dùng · ${v.drafts} bản nháp chờ duyệt · nạp lúc ${dateTime(v.loadedAt)}</p>
  <p class="muted">Sửa tệp trong thư mục knowledge/ (hoặc ngay trên các trang này): trợ lý tự nạp lại trong vòng 2 giây.</p>
</div>
${v.refused
  ? html`<div class="card"><h2>Lần sửa gần nhất bị từ chối</h2><p>Trợ lý vẫn dùng bản trước. Hãy sửa các lỗi sau rồi lưu lại:</p>${problemsList(v.refused)}</div>`
  : ''}
${scheduleCard(v.timeline)}
<div class="card"><h2>Cảnh báo (${v.warnings.length})</h2>
  <p class="muted">Câu hỏi dễ nhầm, nội dung lâu chưa rà soát, căn cứ đã bị thay thế, bản nháp, thông tin đơn vị còn trống — giống lệnh <code>npm run kb:check</code>.</p>
  ${problemsList(v.warnings)}
</div>`;
}

const entryLink = (e: FaqEntry, line?: number) => html`<a href="/admin/knowledge/${e.category}/${e.id}">${e.id}</a>${line ? html` <span class="muted">(dòng ${line})</span>` : ''}`;

/**
 * "Lịch hiệu lực": what changes soon (legal changes with the entries they touch, dated blocks and entries starting
 * or ending), what has already expired and still needs an edit, and the entries marked for the office's review.
 */
function scheduleCard(t: Timeline): Html {
  type Row = { day: string; what: string; entries: Html };
  const soon: Row[] = [
    ...t.upcoming.map((u) => ({ day: u.change.from, what: changeWords(u), entries: u.citations.length === 0 ? html`<span class="muted">chưa có câu hỏi nào trích dẫn</span>` : html`${u.citations.map((c, i) => html`${i > 0 ? ', ' : ''}${entryLink(c.entry, c.line)}`)}` })),
    ...t.statements.filter((s) => s.state !== 'ended').map((s) => ({ day: s.day, what: statementMessage(s), entries: entryLink(s.entry, s.part.line) })),
    ...t.entries.filter((e) => e.state === 'starts' || e.state === 'ends').map((e) => ({ day: e.day, what: validityMessage(e), entries: entryLink(e.entry) })),
  ].sort((a, b) => a.day.localeCompare(b.day));
  const expired: Array<{ what: string; entries: Html }> = [
    ...t.outdated.map((c) => ({ what: outdatedMessage(c), entries: entryLink(c.entry, c.line) })),
    ...t.statements.filter((s) => s.state === 'ended').map((s) => ({ what: statementMessage(s), entries: entryLink(s.entry, s.part.line) })),
    ...t.entries.filter((e) => e.state === 'expired' || e.state === 'not-yet').map((e) => ({ what: validityMessage(e), entries: entryLink(e.entry) })),
    ...t.notYetInForce.map((c) => ({ what: notYetMessage(c), entries: entryLink(c.entry, c.line) })),
  ];
  return html`<div class="card" id="lich-hieu-luc"><h2>Lịch hiệu lực</h2>
  <p class="muted">Xét tại ngày ${vietnameseDate(t.asOf)} theo các ngày trong <code>_legal.yml</code>, các khối "::: từ … đến …" và <code>valid_from</code>/<code>valid_until</code> của từng câu hỏi; "sắp thay đổi" là trong ${t.lookaheadDays} ngày tới. Giống lệnh <code>npm run kb:check -- --as-of NĂM-THÁNG-NGÀY</code>.</p>
  <h3>Sắp thay đổi (${soon.length})</h3>
  ${soon.length === 0 ? html`<p class="muted">Không có thay đổi nào trong ${t.lookaheadDays} ngày tới.</p>` : html`<table><thead><tr><th>Từ ngày</th><th>Thay đổi</th><th>Câu hỏi liên quan</th></tr></thead><tbody>
  ${soon.map((r) => html`<tr><td>${vietnameseDate(r.day)}</td><td>${r.what}</td><td>${r.entries}</td></tr>`)}</tbody></table>`}
  <h3>Đã hết hạn, cần cập nhật (${expired.length})</h3>
  ${expired.length === 0 ? html`<p class="muted">Không có.</p>` : html`<table><thead><tr><th>Nội dung</th><th>Câu hỏi</th></tr></thead><tbody>
  ${expired.map((r) => html`<tr><td>${r.what}</td><td>${r.entries}</td></tr>`)}</tbody></table>`}
  <h3>Câu hỏi cần đơn vị rà soát (${t.reviews.length})</h3>
  ${t.reviews.length === 0 ? html`<p class="muted">Không có.</p>` : html`<table><thead><tr><th>Câu hỏi</th><th>Lý do</th></tr></thead><tbody>
  ${t.reviews.map((e) => html`<tr><td>${entryLink(e, e.lines.needsReview)}<div class="muted">${e.question}</div></td><td>${e.needsReview}</td></tr>`)}</tbody></table>`}
</div>`;
}

export function knowledgeBody(entries: readonly FaqEntry[], categories: readonly Category[], q: string, category: string, staleBefore: string): Html {
  return html`${adminNav('/admin/knowledge')}
<h1>Câu hỏi (${entries.length})</h1>
<form method="get" action="/admin/knowledge" class="actions search">
  <input type="search" name="q" value="${q}" placeholder="Tìm trong câu hỏi, cách hỏi, câu trả lời, căn cứ" aria-label="Tìm kiếm">
  <select name="category" aria-label="Nhóm"><option value="">Tất cả nhóm</option>${categories.map((c) => html`<option value="${c.id}" ${c.id === category ? 'selected' : ''}>${c.title}</option>`)}</select>
  <button type="submit" class="secondary">Lọc</button>
</form>
<table><thead><tr><th>Câu hỏi</th><th>Nhóm</th><th>Rà soát</th><th>Căn cứ</th><th></th></tr></thead><tbody>
${entries.map(
  (e) => html`<tr>
  <td><strong>${e.question}</strong><div class="muted">${e.id} · ${e.alternates.length} cách hỏi khác${e.draft ? ' · BẢN NHÁP' : ''}${e.needsReview ? ' · CẦN RÀ SOÁT' : ''}${e.validFrom || e.validUntil ? ` · dùng ${e.validFrom ? `từ ${vietnameseDate(e.validFrom)} ` : ''}${e.validUntil ? `đến ${vietnameseDate(e.validUntil)}` : ''}`.trimEnd() : ''}</div></td>
  <td>${categories.find((c) => c.id === e.category)?.title ?? e.category}</td>
  <td>${e.reviewedOn ? html`<span class="${e.reviewedOn < staleBefore ? 'sla sla-late' : ''}">${e.reviewedOn}</span>` : html`<span class="sla sla-late">chưa có</span>`}</td>
  <td class="muted">${e.legalBasis.join('; ')}</td>
  <td><a href="/admin/knowledge/${e.category}/${e.id}">Sửa</a></td>
</tr>`,
)}
</tbody></table>`;
}

export function editorBody(category: string, id: string, text: string, csrf: string, problems: readonly KnowledgeProblem[] | null, saved: boolean): Html {
  return html`${adminNav('/admin/knowledge')}
<h1>Sửa ${category}/${id}.md</h1>
${saved ? html`<div class="flash">Đã lưu: trợ lý dùng nội dung mới ngay.</div>` : ''}
${problems ? html`<div class="card"><h2>Chưa lưu: tệp có lỗi</h2>${problemsList(problems)}</div>` : ''}
<form method="post" action="/admin/knowledge/${category}/${id}">
  ${csrfField(csrf)}
  <label for="source">Nội dung tệp (phần khai báo YAML và câu trả lời markdown — xem hướng dẫn trong knowledge/README.md)</label>
  <textarea id="source" name="source" class="editor" spellcheck="false">${text}</textarea>
  <p><button type="submit">Kiểm tra và lưu</button></p>
</form>`;
}

export function tryBody(q: string, outcome: Outcome | null, result: SearchResult | null): Html {
  return html`${adminNav('/admin/try')}
<h1>Thử câu hỏi</h1>
<form method="get" action="/admin/try" class="actions search">
  <input type="search" name="q" value="${q}" placeholder="Gõ câu hỏi như người dùng, ví dụ: ad oi hq lam viec t7 ko" aria-label="Câu hỏi">
  <button type="submit">Thử</button>
</form>
${outcome && result
  ? html`<div class="card">
  <p><strong>Quyết định: ${DECISIONS[outcome.decision]}</strong>${outcome.entryId ? html` — <a href="/admin/knowledge?q=${outcome.entryId}">${outcome.entryId}</a>` : ''} · độ tin cậy ${result.confidence.toFixed(2)} · phần riêng của câu đứng đầu ${result.distinctiveness.toFixed(2)} · từ chưa biết ${(result.unknownShare * 100).toFixed(0)}%</p>
  ${outcome.intent === 'whats-new' ? html`<p>Câu hỏi về văn bản mới: trợ lý trả lời bằng danh sách văn bản trong <code>_legal.yml</code> (90 ngày qua và 90 ngày tới), không dùng câu hỏi có sẵn.</p>` : ''}
  ${outcome.withheld ? html`<p class="sla sla-late">${outcome.withheld.reason}</p>` : ''}
  <h2>Các từ trợ lý nhận ra</h2>
  <table><thead><tr><th>Gõ</th><th>Hiểu là</th><th>Loại</th></tr></thead><tbody>
  ${result.words.map((w) => html`<tr><td>${w.spelling ?? w.typed}</td><td>${w.as.join(' + ') || '—'}</td><td>${KINDS[w.kind] ?? w.kind}</td></tr>`)}
  </tbody></table>
  <h2>Câu hỏi ứng viên</h2>
  <p class="muted">Xếp theo điểm tổng hợp = điểm của bộ tìm kiếm theo từ + 0,5 × xác suất của mô hình học máy. Độ tin cậy ở trên kết hợp cả hai cùng các tín hiệu trong bảng.</p>
  <table><thead><tr><th>Câu hỏi</th><th>Tổng hợp</th><th>Bộ tìm kiếm</th><th>Học máy</th><th>Phủ câu hỏi người dùng</th><th>Phủ cách hỏi</th><th>Từ khóa chính</th><th>Cách hỏi khớp nhất</th></tr></thead><tbody>
  ${result.candidates.map(
    (c) => html`<tr><td><a href="/admin/knowledge?q=${c.id}">${c.id}</a></td><td>${c.combined.toFixed(3)}</td><td>${c.score.toFixed(3)}</td><td>${pct(c.learned)}</td><td>${c.queryCoverage.toFixed(2)}</td><td>${c.questionCoverage.toFixed(2)}</td><td>${c.keyCoverage.toFixed(2)}</td><td>${c.matched}</td></tr>`,
  )}
  </tbody></table>
  <h2>Mô hình học máy</h2>
  <p>Các câu hỏi có xác suất cao nhất: ${result.learned.best.map((b, i) => html`${i > 0 ? ' · ' : ''}<a href="/admin/knowledge?q=${b.id}">${b.id}</a> ${pct(b.probability)}`)} · không thuộc câu hỏi nào: ${pct(result.learned.none)}</p>
  <p class="muted">Mô hình học từ chính các câu hỏi và cách hỏi trong bộ câu hỏi (và các câu ngoài phạm vi trong calibration/out-of-scope.txt), học lại mỗi khi bộ câu hỏi thay đổi.</p>
  <p class="muted">Nếu trợ lý chọn sai, thêm cách hỏi này (hoặc một cách hỏi tương tự) vào "alternates" của câu hỏi đúng; nếu hai câu hỏi cùng hiện với điểm gần nhau, thêm từ phân biệt.</p>
</div>`
  : ''}`;
}

const pct = (p: number) => `${(p * 100).toFixed(0)}%`;

const SOURCES: Readonly<Record<ProposalSource, string>> = {
  choice: 'người hỏi chọn từ gợi ý',
  officer: 'cán bộ gửi câu trả lời này',
  helpful: 'đánh giá Hữu ích 👍',
};

export function suggestionsBody(groups: readonly ProposalGroup[], csrf: string, flash: string | null): Html {
  const sources = (s: ProposalGroup['proposals'][number]['sources']) =>
    (Object.keys(SOURCES) as ProposalSource[]).filter((k) => s[k] > 0).map((k) => `${SOURCES[k]} (${s[k]})`).join(', ');
  return html`${adminNav('/admin/suggestions')}
<h1>Đề xuất cách hỏi</h1>
${flash ? html`<div class="flash">${flash}</div>` : ''}
<p class="muted">Những cách hỏi mà thực tế đã xác nhận dẫn tới một câu hỏi: người hỏi gõ câu này rồi chọn đúng câu hỏi trong phần gợi ý, cán bộ trả lời câu này bằng câu hỏi có sẵn, hoặc câu trả lời được đánh giá Hữu ích 👍. Chỉ lưu nội dung câu hỏi và cách xác nhận, không lưu người hỏi. "Thêm vào cách hỏi" ghi vào tệp của câu hỏi (kiểm tra như trình sửa), trợ lý dùng ngay; "Bỏ qua" thì cách hỏi này không được đề xuất lại.</p>
${groups.length === 0 ? html`<p class="muted">Chưa có đề xuất nào.</p>` : ''}
${groups.map(
  (g) => html`<div class="card" data-entry="${g.entry.id}">
  <h2>${g.entry.question}</h2>
  <p class="muted">${g.entry.category}/${g.entry.id}.md · ${g.entry.alternates.length} cách hỏi khác · <a href="/admin/knowledge/${g.entry.category}/${g.entry.id}">Sửa</a></p>
  <table><thead><tr><th>Cách hỏi</th><th>Số lần</th><th>Nguồn</th><th>Gần nhất</th><th></th></tr></thead><tbody>
  ${g.proposals.map(
    (p) => html`<tr data-key="${p.key}"><td>${p.question}</td><td>${p.count}</td><td class="muted">${sources(p.sources)}</td><td class="muted">${dateTime(p.lastAt)}</td><td><div class="actions">
    <form method="post" action="/admin/suggestions/accept">${csrfField(csrf)}<input type="hidden" name="entryId" value="${p.entryId}"><input type="hidden" name="key" value="${p.key}"><button type="submit">Thêm vào cách hỏi</button></form>
    <form method="post" action="/admin/suggestions/dismiss">${csrfField(csrf)}<input type="hidden" name="entryId" value="${p.entryId}"><input type="hidden" name="key" value="${p.key}"><button type="submit" class="secondary">Bỏ qua</button></form>
  </div></td></tr>`,
  )}
  </tbody></table>
</div>`,
)}`;
}

export function alternateRefusedBody(category: string, id: string, problems: readonly KnowledgeProblem[]): Html {
  return html`${adminNav('/admin/suggestions')}
<h1>Chưa thêm được cách hỏi vào ${category}/${id}.md</h1>
<p>Tệp sẽ không nạp được nếu thêm cách hỏi này, nên chưa có gì được ghi:</p>${problemsList(problems)}
<p><a href="/admin/knowledge/${category}/${id}">Sửa tệp</a> · <a href="/admin/suggestions">← Đề xuất cách hỏi</a></p>`;
}

export function draftsBody(drafts: readonly FaqEntry[], broken: readonly BrokenDraft[], categories: readonly Category[], csrf: string, flash: string | null): Html {
  return html`${adminNav('/admin/drafts')}
<h1>Bản nháp chờ duyệt (${drafts.length})</h1>
${flash ? html`<div class="flash">${flash}</div>` : ''}
${drafts.length === 0 ? html`<p class="muted">Không có bản nháp nào.</p>` : ''}
${broken.length > 0
  ? html`<div class="card"><h2>Bản nháp lỗi, không dùng được (${broken.length})</h2><p class="muted">Cần sửa hoặc loại bỏ:</p>
${broken.map(
  (d) => html`<div data-broken-draft="${d.id}">${problemsList(d.problems)}<div class="actions">
    <a class="button secondary" href="/admin/knowledge/${d.category}/${d.id}">Sửa</a>
    <form method="post" action="/admin/drafts/${d.category}/${d.id}/reject">${csrfField(csrf)}<button type="submit" class="danger">Loại bỏ</button></form>
  </div></div>`,
)}</div>`
  : ''}
${drafts.map(
  (d) => html`<div class="card" data-draft="${d.id}">
  <h2>${d.question}</h2>
  <p class="muted">${categories.find((c) => c.id === d.category)?.title ?? d.category} · ${d.category}/${d.id}.md${d.sourceTicket ? html` · từ <a href="/inbox/tickets/${d.sourceTicket}">phiếu #${d.sourceTicket}</a>` : ''}</p>
  <p><strong>Cách hỏi khác:</strong> ${d.alternates.join(' · ') || '(chưa có)'}</p>
  <div class="msg bot">${d.answerText}</div>
  <p><strong>Căn cứ:</strong> ${d.legalBasis.join('; ') || '(chưa có — cần bổ sung trước khi duyệt)'}</p>
  <div class="actions">
    <form method="post" action="/admin/drafts/${d.category}/${d.id}/approve">${csrfField(csrf)}<button type="submit">Duyệt</button></form>
    <a class="button secondary" href="/admin/knowledge/${d.category}/${d.id}">Sửa</a>
    <form method="post" action="/admin/drafts/${d.category}/${d.id}/reject">${csrfField(csrf)}<button type="submit" class="danger">Loại bỏ</button></form>
  </div>
</div>`,
)}`;
}

export function approveRefusedBody(category: string, id: string, problems: readonly KnowledgeProblem[]): Html {
  return html`${adminNav('/admin/drafts')}
<h1>Chưa duyệt được ${category}/${id}.md</h1>
<p>Bản nháp cần sửa trước khi dùng để trả lời:</p>${problemsList(problems)}
<p><a href="/admin/knowledge/${category}/${id}">Sửa bản nháp</a> · <a href="/admin/drafts">← Bản nháp</a></p>`;
}

/** A save whose reload was refused: the person who saved sees why, and whether their change was taken back. */
export function reloadRefusedBody(what: string, undone: boolean, problems: readonly KnowledgeProblem[]): Html {
  return html`${adminNav('/admin')}
<h1>Bộ câu hỏi chưa được nạp lại</h1>
<p>${undone
    ? `Thay đổi "${what}" làm bộ câu hỏi không nạp được nên đã được hoàn tác; trợ lý vẫn dùng bản trước.`
    : `Đã lưu "${what}", nhưng bộ câu hỏi đang có lỗi ở tệp khác nên chưa được nạp lại; trợ lý vẫn dùng bản trước cho đến khi sửa xong.`}</p>
${problemsList(problems)}
<p><a href="/admin">← Quản trị</a></p>`;
}

export function gapsBody(clusters: readonly GapCluster[], from: string, to: string, csrf: string): Html {
  return html`${adminNav('/admin/gaps')}
<h1>Câu hỏi chưa có lời đáp</h1>
<p class="muted">Câu hỏi đã chuyển cán bộ và câu trả lời bị đánh giá "Chưa đúng 👎" trong khoảng thời gian, gom theo nội dung giống nhau, nhóm lớn nhất trước.</p>
<form method="get" action="/admin/gaps" class="actions search">
  <label for="from">Từ</label><input type="date" id="from" name="from" value="${from}">
  <label for="to">đến</label><input type="date" id="to" name="to" value="${to}">
  <button type="submit" class="secondary">Xem</button>
</form>
${clusters.length === 0 ? html`<p class="muted">Không có câu hỏi nào trong khoảng này.</p>` : ''}
${clusters.map(
  (c) => html`<div class="card" data-cluster-size="${c.size}">
  <h2>${c.size} câu hỏi · ${c.terms.join(', ')}</h2>
  <ul>${c.examples.map((q) => html`<li>${q.text} <span class="muted">(${q.source === 'ticket' ? html`<a href="/inbox/tickets/${q.ref}">phiếu #${q.ref}</a>` : `👎 ${q.ref}`} · ${dateTime(q.at)})</span></li>`)}</ul>
  <form method="post" action="/admin/new">${csrfField(csrf)}
    <input type="hidden" name="question" value="${c.representative.text}">
    <input type="hidden" name="alternates" value="${c.members.slice(1, 15).map((m) => m.text).join('\n')}">
    <button type="submit" class="secondary">Tạo FAQ mới từ nhóm này</button>
  </form>
</div>`,
)}`;
}

export interface NewEntryView {
  readonly csrf: string;
  readonly categories: readonly Category[];
  readonly question: string;
  readonly alternates: string;
  readonly answer: string;
  readonly legal: string;
  readonly problems: readonly KnowledgeProblem[] | null;
}

export function newEntryBody(v: NewEntryView): Html {
  return html`${adminNav('/admin/gaps')}
<h1>Tạo câu hỏi mới (bản nháp)</h1>
${v.problems ? html`<div class="card"><h2>Chưa lưu được</h2>${problemsList(v.problems)}</div>` : ''}
<form method="post" action="/admin/drafts/create">${csrfField(v.csrf)}
  <label for="n-category">Nhóm</label>
  <select id="n-category" name="category">${v.categories.map((c) => html`<option value="${c.id}">${c.title}</option>`)}</select>
  <label for="n-question">Câu hỏi chuẩn</label><input type="text" id="n-question" name="question" value="${v.question}" required>
  <label for="n-alternates">Cách hỏi khác (mỗi dòng một câu)</label><textarea id="n-alternates" name="alternates">${v.alternates}</textarea>
  <label for="n-answer">Câu trả lời</label><textarea id="n-answer" name="answer" required>${v.answer}</textarea>
  <label for="n-legal">Căn cứ pháp lý (mỗi dòng một văn bản)</label><textarea id="n-legal" name="legal">${v.legal}</textarea>
  <p><button type="submit">Lưu bản nháp</button></p>
</form>`;
}
