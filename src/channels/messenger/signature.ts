import { hmacSha256Hex, safeEqual } from '../signature.js';

export type SignatureCheck = 'valid' | 'missing' | 'invalid';

/**
 * Meta signs the raw request bytes: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, body)>`. The body
 * must be the bytes as received — re-serialised JSON loses Meta's \uXXXX escapes and escaped slashes.
 */
export function checkSignature(rawBody: Buffer, header: string | undefined, appSecret: string): SignatureCheck {
  if (!header) return 'missing';
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return 'invalid';
  return safeEqual(match[1]!.toLowerCase(), hmacSha256Hex(appSecret, rawBody)) ? 'valid' : 'invalid';
}

export function sign(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${hmacSha256Hex(appSecret, rawBody)}`;
}
