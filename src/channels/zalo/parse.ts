import type { IncomingMessage } from '../../conversation/types.js';
import type { Delivery } from '../../dispatch/dispatcher.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** IDs and timestamps stay strings: Zalo's are 19-digit numbers that lose precision as JSON numbers. */
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

const ATTACHMENT_EVENTS = new Set([
  'user_send_image', 'user_send_sticker', 'user_send_file', 'user_send_link', 'user_send_location', 'user_send_audio',
  'user_send_video', 'user_send_gif', 'user_send_business_card',
]);

export type ParsedZaloEvent =
  | { readonly delivery: Delivery }
  | { readonly ignored: string }
  | { readonly problem: string };

/**
 * One Zalo webhook body (one event per request) → a common delivery. Never throws: what it cannot read is a
 * `problem`, what it deliberately skips is `ignored`.
 */
export function parseZaloEvent(body: unknown): ParsedZaloEvent {
  if (!isObject(body)) return { problem: 'body is not an object' };
  const name = str(body.event_name);
  if (!name) return { problem: 'missing event_name' };
  const at = Number(str(body.timestamp));
  if (!Number.isFinite(at)) return { problem: `${name}: missing timestamp` };
  const sender = isObject(body.sender) ? str(body.sender.id) : undefined;
  const recipient = isObject(body.recipient) ? str(body.recipient.id) : undefined;
  const message = isObject(body.message) ? body.message : undefined;
  const msgId = message ? str(message.msg_id) : undefined;

  if (name === 'user_send_text' || ATTACHMENT_EVENTS.has(name)) {
    if (!sender) return { problem: `${name}: missing sender.id` };
    if (!msgId) return { problem: `${name}: missing message.msg_id` };
    const text = name === 'user_send_text' ? (message ? str(message.text) : undefined) ?? '' : '';
    if (name === 'user_send_text' && text.trim() === '') return { problem: `${name}: empty text` };
    const incoming: IncomingMessage = {
      channel: 'zalo',
      userId: sender,
      messageId: msgId,
      timestamp: at,
      kind: name === 'user_send_text' ? 'text' : 'attachment',
      text,
    };
    return { delivery: { id: `zalo:${msgId}`, event: { kind: 'message', message: incoming } } };
  }
  if (name === 'follow') {
    const follower = isObject(body.follower) ? str(body.follower.id) : undefined;
    if (!follower) return { problem: 'follow: missing follower.id' };
    const incoming: IncomingMessage = { channel: 'zalo', userId: follower, messageId: `follow:${follower}:${at}`, timestamp: at, kind: 'start', text: '' };
    return { delivery: { id: `zalo:follow:${follower}:${at}`, event: { kind: 'message', message: incoming } } };
  }
  if (name === 'unfollow' || name === 'user_withdraw') {
    const user = (isObject(body.follower) ? str(body.follower.id) : undefined) ?? sender;
    if (!user) return { problem: `${name}: missing user id` };
    const kind = name === 'unfollow' ? 'unfollow' : 'forget';
    return { delivery: { id: `zalo:${name}:${user}:${at}`, event: { kind, channel: 'zalo', userId: user, at } } };
  }
  if (name.startsWith('oa_send_')) {
    // Echo of a message the OA sent. With sender.admin_id, a person wrote it from the OA chat tool.
    const adminId = isObject(body.sender) ? str(body.sender.admin_id) : undefined;
    if (!adminId) return { ignored: `${name}: echo of an automated message` };
    if (!recipient) return { problem: `${name}: missing recipient.id` };
    return { delivery: { id: `zalo:echo:${msgId ?? `${recipient}:${at}`}`, event: { kind: 'human-reply', channel: 'zalo', userId: recipient, at } } };
  }
  if (name === 'user_received_message' || name === 'user_seen_message') {
    const user = sender;
    if (!user) return { problem: `${name}: missing sender.id` };
    const ids = message && Array.isArray(message.msg_ids) ? message.msg_ids.map(str).filter((x): x is string => !!x) : msgId ? [msgId] : [];
    return {
      delivery: {
        id: `zalo:${name}:${user}:${at}`,
        event: { kind: 'delivery', channel: 'zalo', userId: user, messageIds: ids, status: name === 'user_seen_message' ? 'seen' : 'delivered', at },
      },
    };
  }
  return { ignored: `unhandled event ${name}` };
}
