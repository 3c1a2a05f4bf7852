import { safeEqual, sha256Hex } from '../signature.js';

export type SignatureCheck = 'valid' | 'missing' | 'invalid';

/**
 * Zalo signs `X-ZEvent-Signature: mac=<hex>` with a plain SHA-256 (not an HMAC) of
 * app_id + raw body + timestamp + OA secret key, where app_id and timestamp are fields of that same JSON body and
 * the body is the raw string as received. The `mac=` prefix is optional.
 */
export function checkZaloSignature(rawBody: Buffer, header: string | undefined, appId: string, timestamp: string, oaSecretKey: string): SignatureCheck {
  if (!header) return 'missing';
  const value = header.trim().replace(/^mac=/i, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(value)) return 'invalid';
  return safeEqual(value, zaloMac(rawBody, appId, timestamp, oaSecretKey)) ? 'valid' : 'invalid';
}

export function zaloMac(rawBody: Buffer | string, appId: string, timestamp: string, oaSecretKey: string): string {
  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  return sha256Hex(`${appId}${body}${timestamp}${oaSecretKey}`);
}
