/**
 * Payloads carried by choices. Short ASCII strings: they travel through Messenger quick replies / postbacks
 * (≤ 1,000 characters) and come back from Zalo buttons as message text.
 */
export type Payload =
  | { readonly kind: 'faq'; readonly id: string }
  | { readonly kind: 'handoff' }
  | { readonly kind: 'retry' }
  | { readonly kind: 'start' }
  | { readonly kind: 'menu'; readonly category: string | null }
  | { readonly kind: 'feedback'; readonly helpful: boolean; readonly id: string }
  | { readonly kind: 'rating'; readonly ticket: string; readonly stars: number };

export function encodePayload(p: Payload): string {
  switch (p.kind) {
    case 'faq':
      return `FAQ:${p.id}`;
    case 'handoff':
      return 'HANDOFF';
    case 'retry':
      return 'RETRY';
    case 'start':
      return 'GET_STARTED';
    case 'menu':
      return p.category ? `MENU:${p.category}` : 'MENU';
    case 'feedback':
      return `FEEDBACK:${p.helpful ? 'up' : 'down'}:${p.id}`;
    case 'rating':
      return `RATE:${p.ticket}:${p.stars}`;
  }
}

const ID = '[a-z0-9-]+';
const PATTERNS: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => Payload]> = [
  [new RegExp(`^FAQ:(${ID})$`), (m) => ({ kind: 'faq', id: m[1]! })],
  [/^HANDOFF$/, () => ({ kind: 'handoff' })],
  [/^RETRY$/, () => ({ kind: 'retry' })],
  [/^GET_STARTED$/, () => ({ kind: 'start' })],
  [new RegExp(`^MENU(?::(${ID}))?$`), (m) => ({ kind: 'menu', category: m[1] ?? null })],
  [new RegExp(`^FEEDBACK:(up|down):(${ID})$`), (m) => ({ kind: 'feedback', helpful: m[1] === 'up', id: m[2]! })],
  [/^RATE:([A-Za-z0-9-]+):([1-5])$/, (m) => ({ kind: 'rating', ticket: m[1]!, stars: Number(m[2]) })],
];

/** Decodes a payload; null for anything we did not issue (a stale or forged payload is treated as text). */
export function decodePayload(raw: string): Payload | null {
  const s = raw.trim();
  for (const [pattern, build] of PATTERNS) {
    const m = pattern.exec(s);
    if (m) return build(m);
  }
  return null;
}
