import { analyse } from '../conversation/intents.js';
import type { Category } from '../knowledge/types.js';
import type { StaffUser, Ticket, TicketReply } from '../store/schema.js';
import { html, type Html } from '../web/html.js';
import { ago, dateTime, duration } from '../web/layout.js';
import { BOT_AUTHOR, STATUS_LABELS, type SlaView, type TicketFilter } from './tickets.js';

export const FILTERS: ReadonlyArray<readonly [TicketFilter, string]> = [
  ['open', 'Mới'],
  ['mine', 'Của tôi'],
  ['waiting', 'Chờ trả lời'],
  ['answered', 'Đã trả lời'],
  ['closed', 'Đã đóng'],
];

export const CHANNEL_LABELS: Readonly<Record<string, string>> = { messenger: 'Messenger', zalo: 'Zalo', web: 'Web (thử)', cli: 'Dòng lệnh' };

const SLA_LABELS = { late: 'Quá hạn', near: 'Sắp đến hạn', ok: 'Còn hạn', met: 'Đã phản hồi' } as const;

export function slaBadge(sla: SlaView): Html {
  const text = sla.state === 'met' ? SLA_LABELS.met : sla.state === 'late' ? `${SLA_LABELS.late} ${duration(sla.workingLeftMs)}` : `${SLA_LABELS[sla.state]} · còn ${duration(sla.workingLeftMs)}`;
  return html`<span class="sla sla-${sla.state}" title="Hạn phản hồi: ${dateTime(sla.dueAt)}">${text}</span>`;
}

export function loginBody(csrf: string, next: string, error: string | null): Html {
  return html`<div class="login card">
  <h1>Đăng nhập hộp thư cán bộ</h1>
  ${error ? html`<div class="flash error" role="alert">${error}</div>` : ''}
  <form method="post" action="/inbox/login">
    <input type="hidden" name="_csrf" value="${csrf}">
    <input type="hidden" name="next" value="${next}">
    <label for="username">Tên đăng nhập</label>
    <input type="text" id="username" name="username" autocomplete="username" required autofocus>
    <label for="password">Mật khẩu</label>
    <input type="password" id="password" name="password" autocomplete="current-password" required>
    <p><button type="submit">Đăng nhập</button></p>
  </form>
</div>`;
}

export interface ListView {
  readonly filter: TicketFilter;
  readonly query: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly rows: Html;
}

export function listBody(v: ListView): Html {
  const query = v.query ? `&q=${encodeURIComponent(v.query)}` : '';
  return html`<h1>Hộp thư cán bộ</h1>
<div class="tabs">
  ${FILTERS.map(([f, label]) => html`<a href="/inbox?filter=${f}" class="${f === v.filter ? 'active' : ''}">${label} (<span data-count="${f}">${v.counts[f] ?? 0}</span>)</a>`)}
</div>
<form method="get" action="/inbox" class="actions search">
  <input type="hidden" name="filter" value="${v.filter}">
  <input type="search" name="q" value="${v.query}" placeholder="Tìm theo nội dung, tên, số phiếu" aria-label="Tìm kiếm">
  <button type="submit" class="secondary">Tìm</button>
</form>
<table>
  <thead><tr><th>Phiếu</th><th>Thời hạn</th><th>Kênh</th><th>Người hỏi</th><th>Câu hỏi</th><th>Trạng thái</th><th>Người xử lý</th></tr></thead>
  <tbody id="ticket-rows" data-refresh="/inbox/rows?filter=${v.filter}${query}">${v.rows}</tbody>
</table>`;
}

export function rows(tickets: readonly Ticket[], sla: (t: Ticket) => SlaView, users: readonly StaffUser[], now: number): Html {
  if (tickets.length === 0) return html`<tr><td colspan="7" class="muted">Không có phiếu nào.</td></tr>`;
  const name = (id: string | null) => (id ? users.find((u) => u.id === id)?.displayName ?? '?' : '—');
  return html`${tickets.map(
    (t) => html`<tr class="${t.unread ? 'unread' : ''}" data-ticket="${t.id}">
  <td><a href="/inbox/tickets/${t.id}">#${t.id}</a>${t.unread ? html` <span class="badge" title="Chưa đọc">mới</span>` : ''}<div class="muted">${ago(t.createdAt, now)}</div></td>
  <td>${slaBadge(sla(t))}</td>
  <td>${CHANNEL_LABELS[t.channel] ?? t.channel}</td>
  <td>${t.displayName ?? t.userId}</td>
  <td>${t.question.length > 140 ? `${t.question.slice(0, 139)}…` : t.question}</td>
  <td>${STATUS_LABELS[t.status]}</td>
  <td>${name(t.assignee)}</td>
</tr>`,
  )}`;
}

export interface TicketView {
  readonly ticket: Ticket;
  readonly sla: SlaView;
  readonly me: StaffUser;
  readonly users: readonly StaffUser[];
  readonly csrf: string;
  readonly categories: readonly Category[];
  readonly humanHandling: boolean;
  readonly now: number;
}

const FROM_LABELS = { user: 'Người hỏi', bot: 'Trợ lý tự động', officer: 'Cán bộ' } as const;
const REPLY_STATUS = { queued: 'Đang chờ gửi', sent: 'Đã gửi', failed: 'Gửi thất bại' } as const;

export function repliesFragment(ticket: Ticket, users: readonly StaffUser[], csrf: string): Html {
  if (ticket.replies.length === 0) return html`<p class="muted">Chưa có câu trả lời của cán bộ.</p>`;
  const name = (id: string) => users.find((u) => u.id === id)?.displayName ?? '?';
  return html`${ticket.replies.map((r: TicketReply) => {
    const receipt = r.seenAt ? ' · đã xem' : r.deliveredAt ? ' · đã nhận' : '';
    return html`<div class="msg officer" data-reply="${r.id}">
  <span class="who">${name(r.by)} · ${dateTime(r.at)} · <strong class="status-${r.status}">${REPLY_STATUS[r.status]}${r.status === 'sent' ? receipt : ''}</strong></span>${r.text}
  ${r.status === 'failed'
    ? html`<div class="flash error">Lý do: ${r.error ?? 'không rõ'}</div>
  <form method="post" action="/inbox/tickets/${ticket.id}/replies/${r.id}/retry"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="secondary">Gửi lại</button></form>`
    : ''}
</div>`;
  })}`;
}

export function ticketBody(v: TicketView): Html {
  const t = v.ticket;
  const post = (action: string, label: string, cls = 'secondary', extra: Html | string = '') =>
    html`<form method="post" action="/inbox/tickets/${t.id}/${action}"><input type="hidden" name="_csrf" value="${v.csrf}">${extra}<button type="submit" class="${cls}">${label}</button></form>`;
  const lastOfficer = [...t.replies].reverse().find((r) => r.status !== 'failed')?.text ?? '';
  // Other ways the user put the question: their messages, minus requests for a person and small talk.
  const userLines = t.transcript
    .filter((i) => i.from === 'user' && i.text !== t.question && i.text.length > 3)
    .map((i) => i.text)
    .filter((x) => {
      const a = analyse(x);
      return !a.humanRequest && a.smallTalk === null;
    });
  const name = (id: string) => (id === BOT_AUTHOR ? 'Trợ lý tự động' : v.users.find((u) => u.id === id)?.displayName ?? '?');
  return html`<p><a href="/inbox">← Hộp thư</a></p>
<h1>Phiếu #${t.id}: ${t.question.length > 90 ? `${t.question.slice(0, 89)}…` : t.question}</h1>
<p class="muted">${CHANNEL_LABELS[t.channel] ?? t.channel} · ${t.displayName ?? 'chưa rõ tên'} (${t.userId}) · mở ${dateTime(t.createdAt)} · ${STATUS_LABELS[t.status]}${t.assignee ? ` · ${name(t.assignee)} xử lý` : ''} · ${slaBadge(v.sla)}</p>
${t.rating
  ? html`<p class="rating" data-stars="${t.rating.stars}">Doanh nghiệp đánh giá: ${'★'.repeat(t.rating.stars)}${'☆'.repeat(5 - t.rating.stars)} (${t.rating.stars}/5)${t.rating.officer ? ` cho ${name(t.rating.officer)}` : ''}${t.rating.comment ? html` · góp ý: “${t.rating.comment}”` : ''}</p>`
  : ''}
<div class="grid">
<div>
  <section class="card"><h2>Hội thoại</h2>
    ${t.transcript.map((i) => html`<div class="msg ${i.from}"><span class="who">${FROM_LABELS[i.from]} · ${dateTime(i.at)}</span>${i.text}</div>`)}
  </section>
  <section class="card"><h2>Trả lời của cán bộ</h2>
    <div id="replies" data-refresh="/inbox/tickets/${t.id}/replies">${repliesFragment(t, v.users, v.csrf)}</div>
    ${t.status === 'closed'
      ? html`<p class="muted">Phiếu đã đóng. Mở lại để trả lời.</p>`
      : html`<form method="post" action="/inbox/tickets/${t.id}/reply">
      <input type="hidden" name="_csrf" value="${v.csrf}">
      <label for="reply-text">Câu trả lời gửi tới người hỏi (qua ${CHANNEL_LABELS[t.channel] ?? t.channel})</label>
      <textarea id="reply-text" name="text" required maxlength="6000"></textarea>
      <p><button type="submit">Gửi trả lời</button></p>
    </form>`}
  </section>
  <section class="card"><h2>Ghi chú nội bộ</h2>
    ${t.notes.length === 0 ? html`<p class="muted">Chưa có ghi chú.</p>` : t.notes.map((n) => html`<div class="msg bot"><span class="who">${name(n.by)} · ${dateTime(n.at)}</span>${n.text}</div>`)}
    <form method="post" action="/inbox/tickets/${t.id}/note"><input type="hidden" name="_csrf" value="${v.csrf}">
      <label for="note-text">Ghi chú (chỉ cán bộ thấy)</label><textarea id="note-text" name="text" required maxlength="4000"></textarea>
      <p><button type="submit" class="secondary">Lưu ghi chú</button></p></form>
  </section>
</div>
<div>
  <section class="card"><h2>Xử lý</h2>
    <div class="actions">
      ${t.status !== 'closed' && t.assignee !== v.me.id ? post('claim', 'Nhận xử lý', '') : ''}
      ${t.status !== 'closed' ? post('close', 'Đóng phiếu') : post('reopen', 'Mở lại')}
      ${t.status !== 'closed' && v.humanHandling ? post('hand-back', 'Trả lại cho trợ lý') : ''}
    </div>
    ${t.status !== 'closed'
      ? html`<form method="post" action="/inbox/tickets/${t.id}/assign" class="actions spaced">
      <input type="hidden" name="_csrf" value="${v.csrf}">
      <select name="assignee" aria-label="Giao cho">${v.users.filter((u) => !u.disabled).map((u) => html`<option value="${u.id}" ${u.id === t.assignee ? 'selected' : ''}>${u.displayName}</option>`)}</select>
      <button type="submit" class="secondary">Giao việc</button></form>`
      : ''}
    <p class="muted">${v.humanHandling ? 'Trợ lý đang tạm dừng với người này: tin nhắn mới chỉ được gắn vào phiếu.' : 'Trợ lý vẫn tự trả lời người này.'}</p>
  </section>
  <section class="card"><h2>Câu trả lời có sẵn</h2>
    ${t.candidates.length === 0
      ? html`<p class="muted">Trợ lý không tìm thấy câu hỏi gần giống.</p>`
      : t.candidates.map(
          (c) => html`<div class="candidate"><div>${c.question}</div><div class="actions"><span class="muted">điểm ${c.score.toFixed(2)} · ${c.id}</span>
          ${t.status !== 'closed' ? post('send-faq', 'Gửi câu trả lời này', 'secondary', html`<input type="hidden" name="entryId" value="${c.id}">`) : ''}</div></div>`,
        )}
  </section>
  <section class="card"><h2>Lưu thành FAQ nháp</h2>
    <form method="post" action="/inbox/tickets/${t.id}/draft"><input type="hidden" name="_csrf" value="${v.csrf}">
      <label for="d-category">Nhóm</label>
      <select id="d-category" name="category">${v.categories.map((c) => html`<option value="${c.id}">${c.title}</option>`)}</select>
      <label for="d-question">Câu hỏi chuẩn</label><input type="text" id="d-question" name="question" value="${t.question}" required>
      <label for="d-alternates">Cách hỏi khác (mỗi dòng một câu)</label><textarea id="d-alternates" name="alternates">${userLines.join('\n')}</textarea>
      <label for="d-answer">Câu trả lời</label><textarea id="d-answer" name="answer" required>${lastOfficer}</textarea>
      <label for="d-legal">Căn cứ pháp lý (mỗi dòng một văn bản)</label><textarea id="d-legal" name="legal"></textarea>
      <p><button type="submit" class="secondary">Lưu thành FAQ nháp</button></p>
      <p class="muted">Bản nháp chưa được dùng để trả lời cho đến khi quản trị viên duyệt.</p>
    </form>
  </section>
</div>
</div>`;
}
