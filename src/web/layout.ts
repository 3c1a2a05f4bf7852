import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import type { StaffUser } from '../store/schema.js';
import { html, type Html } from './html.js';

export const ASSETS_DIR = fileURLToPath(new URL('./assets/', import.meta.url));

/** /static: the staff pages' stylesheet and script (same origin, so the CSP can forbid inline code). */
export function staticAssets(): Router {
  const router = Router();
  router.use('/static', express.static(ASSETS_DIR, { maxAge: '1h', index: false }));
  return router;
}

export interface PageOptions {
  readonly title: string;
  readonly user: StaffUser | null;
  readonly csrf?: string;
  readonly body: Html;
  readonly unread?: number;
  /** Live updates: the version the page was rendered at, and how often to poll. */
  readonly live?: { readonly version: number; readonly intervalMs: number };
  readonly flash?: { readonly text: string; readonly error?: boolean } | null;
}

/** The frame of every staff page: Vietnamese, escaped, no inline script. */
export function page(o: PageOptions): string {
  const nav = o.user
    ? html`<nav>
        <a href="/inbox">Hộp thư <span id="unread" class="badge" ${o.unread ? '' : 'hidden'}>${o.unread ?? 0}</span></a>
        ${o.user.role === 'admin' ? html`<a href="/admin">Quản trị</a>` : ''}
      </nav>
      <span class="who-am-i">${o.user.displayName}</span>
      <form method="post" action="/inbox/logout"><input type="hidden" name="_csrf" value="${o.csrf ?? ''}"><button type="submit">Đăng xuất</button></form>`
    : html`<nav></nav>`;
  const bodyAttrs = o.live ? html` data-summary="/inbox/api/summary" data-version="${o.live.version}" data-interval="${o.live.intervalMs}"` : '';
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.unread ? `(${o.unread}) ` : ''}${o.title} – Hải quan Hoành Mô</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body${bodyAttrs}>
<header class="top"><a class="brand" href="/inbox">Hải quan cửa khẩu Hoành Mô</a>${nav}</header>
<main>
${o.flash ? html`<div class="flash ${o.flash.error ? 'error' : ''}" role="status">${o.flash.text}</div>` : ''}
${o.body}
</main>
${o.live ? html`<script src="/static/inbox.js"></script>` : ''}
</body>
</html>`.value;
}

/** "3 giờ trước", "2 ngày trước": how old a ticket looks to an officer. */
export function ago(from: number, now: number): string {
  const minutes = Math.max(0, Math.round((now - from) / 60_000));
  if (minutes < 1) return 'vừa xong';
  if (minutes < 60) return `${minutes} phút trước`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} giờ trước`;
  return `${Math.round(hours / 24)} ngày trước`;
}

/** dd/mm/yyyy hh:mm in Vietnam's time. */
export function dateTime(t: number): string {
  const d = new Date(t + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** "3 giờ 20 phút" of working time. */
export function duration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h} giờ${m ? ` ${m} phút` : ''}` : `${m} phút`;
}
