import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Logger } from './log.js';
import { monitoringAllowed, securityHeaders } from './web/security.js';

export interface Health {
  readonly status: 'ok' | 'degraded';
  readonly knowledge: { readonly entries: number; readonly drafts: number; readonly warnings: number; readonly lastReloadRefused?: string };
  readonly channels: Readonly<Record<string, { enabled: boolean; detail: string }>>;
}

export interface AppParts {
  readonly logger: Logger;
  readonly health: () => Promise<Health>;
  /** Routers mounted at the root, in order: channels, web chat, inbox... */
  readonly routers: readonly Router[];
  /** Zalo domain verification code, also published as a meta tag on the home page. */
  readonly siteVerification?: string | null;
  readonly webChat?: boolean;
  /** Express "trust proxy": who may set X-Forwarded-For; false (nobody) unless TRUST_PROXY says. */
  readonly trustProxy?: false | number | string;
  /** METRICS_TOKEN: shows /healthz details to monitoring from elsewhere than this machine. */
  readonly monitoringToken?: string | null;
}

function homePage(parts: AppParts): string {
  const meta = parts.siteVerification ? `<meta name="zalo-platform-site-verification" content="${parts.siteVerification}" />` : '';
  const chat = parts.webChat ? '<li><a href="/chat">Thử trò chuyện với trợ lý</a></li>' : '';
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8">${meta}<meta name="viewport" content="width=device-width, initial-scale=1"><title>Trợ lý Hải quan cửa khẩu Hoành Mô</title><link rel="stylesheet" href="/static/chat.css"></head><body class="home"><h1>Trợ lý tự động – Hải quan cửa khẩu Hoành Mô</h1><p>Hệ thống trả lời câu hỏi của doanh nghiệp qua fanpage và Zalo OA.</p><ul>${chat}<li><a href="/healthz">Tình trạng hệ thống</a></li></ul></body></html>`;
}

/** The HTTP application: health, the routers of the enabled parts, and errors that never leak internals. */
export function createApp(parts: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', parts.trustProxy ?? false);
  app.use(securityHeaders);
  app.get('/healthz', async (req, res) => {
    const health = await parts.health();
    // Anyone may learn whether the bot is up; which channel lacks which credential is for monitoring only.
    res.status(health.status === 'ok' ? 200 : 503).json(monitoringAllowed(req, parts.monitoringToken ?? null) ? health : { status: health.status });
  });
  app.get('/', (_req, res) => res.type('html').send(homePage(parts)));
  for (const router of parts.routers) app.use(router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'không tìm thấy' });
  });
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
    if (status >= 500) parts.logger.error({ err, path: req.path }, 'request failed');
    else parts.logger.warn({ path: req.path, status, reason: err?.type ?? err?.message }, 'bad request');
    if (res.headersSent) return;
    const message = status === 413 ? 'nội dung quá lớn' : status === 400 ? 'yêu cầu không hợp lệ' : status >= 500 ? 'lỗi máy chủ' : 'yêu cầu bị từ chối';
    res.status(status).json({ error: message });
  };
  app.use(onError);
  return app;
}
