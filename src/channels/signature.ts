import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Constant-time comparison of two strings, false (not an exception) when lengths differ. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function hmacSha256Hex(key: string, data: Buffer | string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
