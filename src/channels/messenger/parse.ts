import type { IncomingMessage } from '../../conversation/types.js';
import type { Delivery } from '../../dispatch/dispatcher.js';

/** How our own sends are marked, so their echoes are recognised even if the app id is missing. */
export const OUR_METADATA = 'hoanhmo-bot';

export interface ParsedWebhook {
  /** Events to process, ordered by timestamp. */
  readonly deliveries: Delivery[];
  /** Events seen and deliberately not processed (reads, standby, our own echoes...), for the log. */
  readonly ignored: Array<{ readonly reason: string; readonly detail?: string }>;
  /** Structurally broken parts of the payload. */
  readonly problems: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/**
 * Meta's webhook body → common deliveries. Iterates every entry and every messaging event (batches carry several),
 * keeps IDs as strings, and sorts by timestamp. Never throws: what it cannot read is reported in `problems`.
 */
export function parseMessengerWebhook(body: unknown, appId: string | null): ParsedWebhook {
  const out: ParsedWebhook = { deliveries: [], ignored: [], problems: [] };
  if (!isObject(body) || body.object !== 'page' || !Array.isArray(body.entry)) {
    out.problems.push(`not a page webhook (object=${isObject(body) ? String(body.object) : typeof body})`);
    return out;
  }
  const events: Array<{ at: number; delivery: Delivery }> = [];
  body.entry.forEach((entry, i) => {
    if (!isObject(entry)) {
      out.problems.push(`entry[${i}] is not an object`);
      return;
    }
    if (Array.isArray(entry.standby) && entry.standby.length > 0) {
      out.ignored.push({ reason: 'standby', detail: `${entry.standby.length} event(s) for another app` });
    }
    if (entry.messaging !== undefined && !Array.isArray(entry.messaging)) out.problems.push(`entry[${i}].messaging is not an array`);
    for (const [j, raw] of (Array.isArray(entry.messaging) ? entry.messaging : []).entries()) {
      const parsed = parseEvent(raw, appId);
      if ('problem' in parsed) out.problems.push(`entry[${i}].messaging[${j}]: ${parsed.problem}`);
      else if ('ignored' in parsed) out.ignored.push({ reason: parsed.ignored });
      else events.push(parsed);
    }
  });
  events.sort((a, b) => a.at - b.at);
  out.deliveries.push(...events.map((e) => e.delivery));
  return out;
}

type EventResult = { at: number; delivery: Delivery } | { ignored: string } | { problem: string };

function parseEvent(raw: unknown, appId: string | null): EventResult {
  if (!isObject(raw)) return { problem: 'not an object' };
  const sender = isObject(raw.sender) ? str(raw.sender.id) : undefined;
  const recipient = isObject(raw.recipient) ? str(raw.recipient.id) : undefined;
  const at = typeof raw.timestamp === 'number' ? raw.timestamp : Number(raw.timestamp);
  if (!sender || !recipient) return { problem: 'missing sender.id or recipient.id' };
  if (!Number.isFinite(at)) return { problem: 'missing timestamp' };

  if (isObject(raw.message)) {
    const m = raw.message;
    const mid = str(m.mid);
    if (m.is_echo === true) {
      const ours = (appId !== null && str(m.app_id) === appId) || str(m.metadata) === OUR_METADATA;
      if (ours) return { ignored: 'echo of our own message' };
      // An echo not sent by our app: a person replied from the Page inbox / Business Suite to `recipient`.
      return {
        at,
        delivery: { id: `messenger:echo:${mid ?? `${recipient}:${at}`}`, event: { kind: 'human-reply', channel: 'messenger', userId: recipient, at } },
      };
    }
    if (!mid) return { problem: 'message without mid' };
    const base = { channel: 'messenger' as const, userId: sender, messageId: mid, timestamp: at };
    const text = str(m.text) ?? '';
    let message: IncomingMessage;
    if (isObject(m.quick_reply) && str(m.quick_reply.payload)) {
      message = { ...base, kind: 'choice', text, payload: str(m.quick_reply.payload)! };
    } else if (text.trim() !== '') {
      message = { ...base, kind: 'text', text };
    } else if (Array.isArray(m.attachments) || m.sticker_id !== undefined) {
      message = { ...base, kind: 'attachment', text: '' };
    } else {
      return { problem: 'message with neither text nor attachments' };
    }
    return { at, delivery: { id: `messenger:${mid}`, event: { kind: 'message', message } } };
  }

  if (isObject(raw.postback)) {
    const p = raw.postback;
    const payload = str(p.payload);
    if (!payload) return { problem: 'postback without payload' };
    const mid = str(p.mid) ?? `${sender}:${at}:${payload}`;
    const text = str(p.title) ?? payload;
    const message: IncomingMessage =
      payload === 'GET_STARTED'
        ? { channel: 'messenger', userId: sender, messageId: mid, timestamp: at, kind: 'start', text }
        : { channel: 'messenger', userId: sender, messageId: mid, timestamp: at, kind: 'choice', text, payload };
    return { at, delivery: { id: `messenger:${mid}`, event: { kind: 'message', message } } };
  }

  if (isObject(raw.reaction)) {
    // A reaction reopens the 24-hour window; it is never answered.
    return { at, delivery: { id: `messenger:reaction:${sender}:${at}`, event: { kind: 'interaction', channel: 'messenger', userId: sender, at } } };
  }
  if (isObject(raw.delivery) || isObject(raw.read)) {
    const d = isObject(raw.delivery) ? raw.delivery : (raw.read as Json);
    const mids = Array.isArray(d.mids) ? d.mids.map(str).filter((x): x is string => !!x) : [];
    return {
      at,
      delivery: {
        id: `messenger:${isObject(raw.read) ? 'read' : 'delivery'}:${sender}:${at}`,
        event: { kind: 'delivery', channel: 'messenger', userId: sender, messageIds: mids, status: isObject(raw.read) ? 'seen' : 'delivered', at },
      },
    };
  }
  const kinds = Object.keys(raw).filter((k) => !['sender', 'recipient', 'timestamp'].includes(k));
  return { ignored: `unhandled event (${kinds.join(', ') || 'empty'})` };
}
