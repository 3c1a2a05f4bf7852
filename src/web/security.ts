import { createHmac, randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { safeEqual } from '../channels/signature.js';

/**
 * Security headers on every response (pages, API, static files): no framing, no sniffing, scripts and styles only
 * from this origin, nothing cached unless a route says otherwise (static files do).
 */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });
  next();
};

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    try {
      out[name] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // an undecodable cookie is ignored
    }
  }
  return out;
}

export interface CookieOptions {
  readonly maxAgeMs?: number;
  /** null: Secure when the request came over TLS (directly or through a trusted proxy). */
  readonly secure: boolean | null;
  /** Lax (default) lets a link from elsewhere open a staff page signed in; Strict never sends the cookie cross-site. */
  readonly sameSite?: 'Lax' | 'Strict';
}

export function setCookie(req: Request, res: Response, name: string, value: string, options: CookieOptions): void {
  const secure = options.secure ?? req.secure;
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', `SameSite=${options.sameSite ?? 'Lax'}`];
  if (options.maxAgeMs !== undefined) parts.push(`Max-Age=${Math.floor(options.maxAgeMs / 1000)}`);
  if (secure) parts.push('Secure');
  res.append('Set-Cookie', parts.join('; '));
}

export function clearCookie(req: Request, res: Response, name: string, secure: boolean | null): void {
  setCookie(req, res, name, '', { maxAgeMs: 0, secure });
}

/** A random token for forms that must come from our own pages. */
export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

export function csrfMatches(expected: string | undefined, given: unknown): boolean {
  return typeof expected === 'string' && typeof given === 'string' && expected !== '' && safeEqual(expected, given);
}

/**
 * A token for a form shown before there is a session (the login form): signed with the installation's secret and
 * dated, so only a token this server issued in the last `ttlMs` passes — a cookie planted by someone else does not.
 */
export function signedFormToken(secret: string, now: number): string {
  const body = `${now.toString(36)}.${randomBytes(18).toString('base64url')}`;
  return `${body}.${createHmac('sha256', secret).update(`form:${body}`).digest('base64url')}`;
}

export function signedFormTokenValid(secret: string, token: unknown, now: number, ttlMs: number): boolean {
  if (typeof token !== 'string') return false;
  const m = /^([0-9a-z]+)\.([\w-]+)\.([\w-]+)$/.exec(token);
  if (!m) return false;
  const issued = parseInt(m[1]!, 36);
  if (!(issued <= now && now - issued < ttlMs)) return false;
  return safeEqual(createHmac('sha256', secret).update(`form:${m[1]}.${m[2]}`).digest('base64url'), m[3]!);
}

/**
 * Monitoring details (/healthz, /metrics) are for the machine itself or whoever holds the monitoring token. A request
 * counts as local only if it reached us directly from loopback: one relayed by a reverse proxy on the same machine
 * also comes from loopback, but carries a forwarding header.
 */
export function monitoringAllowed(req: Request, token: string | null): boolean {
  const auth = req.get('authorization') ?? '';
  if (token && auth.startsWith('Bearer ') && safeEqual(auth.slice(7).trim(), token)) return true;
  const peer = req.socket.remoteAddress ?? '';
  const loopback = peer === '::1' || peer.startsWith('127.') || peer.startsWith('::ffff:127.');
  return loopback && req.get('x-forwarded-for') === undefined && req.get('forwarded') === undefined && req.get('x-real-ip') === undefined;
}
