import { sendStaffPage } from '../inbox/staff-page.js';
import { Router, type Response } from 'express';
import { adminNav } from '../admin/views.js';
import type { ChannelName } from '../conversation/types.js';
import type { Tickets } from '../inbox/tickets.js';
import { html, type Html } from '../web/html.js';
import { page } from '../web/layout.js';
import { staffOf } from '../web/session.js';
import { erasureSummary, type PersonalData } from './service.js';

export interface PrivacyRoutesOptions {
  readonly personalData: PersonalData;
  readonly tickets: Tickets;
  /** The pseudonym recorded in the audit log instead of the person's id. */
  readonly userKey: (channel: ChannelName, userId: string) => string;
  readonly retentionMonths: number;
}

const CHANNELS: ReadonlyArray<readonly [ChannelName, string]> = [
  ['messenger', 'Messenger'],
  ['zalo', 'Zalo'],
  ['web', 'Trang web'],
];

function privacyBody(o: { csrf: string; retentionMonths: number; message: Html | null; channel: string; user: string }): Html {
  const csrf = html`<input type="hidden" name="_csrf" value="${o.csrf}">`;
  return html`${adminNav('/admin/privacy')}
<h1>Dữ liệu cá nhân</h1>
<p class="muted">Dữ liệu cá nhân (tin nhắn, phiếu hỗ trợ, đánh giá) được tự động xoá nội dung sau ${o.retentionMonths} tháng; các số liệu thống kê vẫn được giữ. Trang này xử lý yêu cầu của một người: xuất toàn bộ dữ liệu về họ, hoặc xoá dữ liệu đó.</p>
${o.message ? html`<div class="card" role="status">${o.message}</div>` : ''}
<form method="post" class="card" action="/admin/privacy/export">${csrf}
  <label for="p-channel">Kênh</label>
  <select id="p-channel" name="channel">${CHANNELS.map(([id, label]) => html`<option value="${id}" ${id === o.channel ? 'selected' : ''}>${label}</option>`)}</select>
  <label for="p-user">Mã người dùng trên kênh, hoặc số phiếu hỗ trợ (ví dụ #12)</label>
  <input type="text" id="p-user" name="user" value="${o.user}" required>
  <div class="actions">
    <button type="submit">Xuất dữ liệu (JSON)</button>
    <label><input type="checkbox" name="confirm" value="yes"> Tôi xác nhận xoá vĩnh viễn</label>
    <button type="submit" class="danger" formaction="/admin/privacy/erase">Xoá dữ liệu của người này</button>
  </div>
</form>`;
}

/** /admin/privacy: a person's access and deletion requests (the same as `npm run user-data`, while the server runs). */
export function privacyRoutes(o: PrivacyRoutesOptions): Router {
  const router = Router();
  const render = (res: Response, message: Html | null, channel = 'messenger', user = '', status = 200) => {
    const staff = staffOf(res)!;
    const body = privacyBody({ csrf: staff.session.csrf, retentionMonths: o.retentionMonths, message, channel, user });
    return sendStaffPage(res, o.tickets, { title: 'Dữ liệu cá nhân', body, status });
  };
  /** Channel and user from the form; "#12" means the user of ticket 12. */
  const target = async (body: Record<string, unknown>): Promise<{ channel: ChannelName; userId: string } | null> => {
    const user = String(body.user ?? '').trim();
    if (/^#\d{1,9}$/.test(user)) {
      const ticket = await o.tickets.byId(Number(user.slice(1)));
      return ticket && !ticket.erasedAt ? { channel: ticket.channel, userId: ticket.userId } : null;
    }
    const channel = CHANNELS.find(([id]) => id === body.channel)?.[0];
    return channel && user !== '' ? { channel, userId: user } : null;
  };

  router.get('/admin/privacy', (_req, res) => render(res, null));

  router.post('/admin/privacy/export', async (req, res, next) => {
    const body = req.body as Record<string, unknown>;
    try {
      const who = await target(body);
      if (!who) return await render(res, html`Không tìm thấy người dùng hoặc phiếu này.`, String(body.channel ?? ''), String(body.user ?? ''), 404);
      const data = await o.personalData.export(who.channel, who.userId);
      await o.tickets.audit(staffOf(res)!.user.id, 'privacy.export', null, `${who.channel}:${o.userKey(who.channel, who.userId)}`);
      res.type('application/json; charset=utf-8').attachment(`du-lieu-${who.channel}-${who.userId.replace(/[^\w-]/g, '_')}.json`).send(`${JSON.stringify(data, null, 2)}\n`);
    } catch (err) {
      next(err);
    }
  });

  router.post('/admin/privacy/erase', async (req, res, next) => {
    const body = req.body as Record<string, unknown>;
    try {
      const who = await target(body);
      if (!who) return await render(res, html`Không tìm thấy người dùng hoặc phiếu này.`, String(body.channel ?? ''), String(body.user ?? ''), 404);
      if (body.confirm !== 'yes') return await render(res, html`Hãy đánh dấu ô xác nhận trước khi xoá.`, who.channel, String(body.user ?? ''), 400);
      const report = await o.personalData.erase(who.channel, who.userId);
      await o.tickets.audit(staffOf(res)!.user.id, 'privacy.erase', null, `${who.channel}:${o.userKey(who.channel, who.userId)}`);
      await render(res, html`Đã xoá: ${erasureSummary(report)}.`);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
