import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { safeEqual } from '../channels/signature.js';

/** Security headers for the staff pages: no framing, no sniffing, scripts and styles only from this origin. */
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
}

export function setCookie(req: Request, res: Response, name: string, value: string, options: CookieOptions): void {
  const secure = options.secure ?? req.secure;
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
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

/** Counts attempts per key in a sliding window: login attempts per IP address. */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Records an attempt; false when the key is over its limit. */
  attempt(key: string): boolean {
    const now = this.clock();
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.hits.clear();
    return recent.length <= this.limit;
  }
}
