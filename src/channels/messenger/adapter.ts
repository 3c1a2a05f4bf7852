import type { Choice, Reply } from '../../conversation/types.js';
import { splitMessage } from '../../knowledge/split.js';
import { SendError, type ChannelAdapter, type OutboundMessage, type SendContext } from '../types.js';
import { GraphClient } from './client.js';
import { OUR_METADATA } from './parse.js';

export const MESSENGER_TEXT_LIMIT = 2000;
export const QUICK_REPLY_LIMIT = 13;
export const QUICK_REPLY_TITLE_LIMIT = 20;
const HOUR = 60 * 60 * 1000;
/** Bots may message within 24 h of the user's last message; people (HUMAN_AGENT tag) within 7 days. */
export const STANDARD_WINDOW_MS = 24 * HOUR;
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR;

export const WINDOW_CLOSED_OFFICER = 'ngoài thời hạn nhắn tin 7 ngày: liên hệ qua điện thoại/email';
export const WINDOW_CLOSED_BOT = 'ngoài thời hạn 24 giờ kể từ tin nhắn cuối của người dùng';

// Question words that add nothing to a short button title ("Thời hạn nộp thuế là khi nào?" → "Thời hạn nộp thuế").
const TRAILING = /\s*(?:là gì|là bao lâu|là khi nào|như thế nào|thế nào|ra sao|ở đâu|bao nhiêu|không|gì|nào)?\s*[?.!]*\s*$/iu;

/**
 * A quick-reply title within Messenger's 20 characters: numbered like the list in the message body (which keeps
 * the full text), question tail dropped, cut at a word boundary with "…" when still too long.
 */
export function shortTitle(title: string, number: number | null, limit = QUICK_REPLY_TITLE_LIMIT): string {
  const prefix = number === null ? '' : `${number}. `;
  let text = title.replace(/\s+/g, ' ').trim();
  const trimmed = text.replace(TRAILING, '').trim();
  if (trimmed.length >= 4) text = trimmed;
  const room = limit - prefix.length;
  if (text.length <= room) return prefix + text;
  const cut = text.slice(0, room - 1);
  const space = cut.lastIndexOf(' ');
  return `${prefix}${(space >= room / 2 ? cut.slice(0, space) : cut).replace(/[,;:–-]\s*$/, '')}…`;
}

export class MessengerAdapter implements ChannelAdapter {
  readonly name = 'messenger' as const;

  constructor(private readonly client: GraphClient) {}

  render(userId: string, replies: readonly Reply[], context: SendContext): OutboundMessage[] {
    const age = context.now - context.lastUserMessageAt;
    let messaging: Record<string, unknown>;
    if (age <= STANDARD_WINDOW_MS) {
      messaging = { messaging_type: 'RESPONSE' };
    } else if (context.author === 'officer' && age <= HUMAN_AGENT_WINDOW_MS) {
      // Meta policy: the HUMAN_AGENT tag is for text written by a person, never for the bot's own answers.
      messaging = { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
    } else {
      throw new SendError('window', context.author === 'officer' ? WINDOW_CLOSED_OFFICER : WINDOW_CLOSED_BOT);
    }
    const out: OutboundMessage[] = [];
    const push = (text: string, extra: Record<string, unknown> = {}) =>
      out.push({
        channel: 'messenger',
        userId,
        text,
        body: { recipient: { id: userId }, ...messaging, message: { text, metadata: OUR_METADATA, ...extra } },
      });
    for (const reply of replies) {
      if (reply.kind === 'handoff') continue;
      const parts = splitMessage(reply.text, MESSENGER_TEXT_LIMIT);
      const last = parts.pop() ?? '';
      parts.forEach((p) => push(p));
      if (reply.kind === 'choices' && reply.choices.length > 0) push(last, { quick_replies: quickReplies(reply.choices) });
      else if (last !== '') push(last);
    }
    return out;
  }

  async send(message: OutboundMessage): Promise<{ messageId: string }> {
    const result = await this.client.post<{ recipient_id?: string; message_id?: string }>('/me/messages', message.body);
    return { messageId: result.message_id ?? '' };
  }

  async typing(userId: string): Promise<void> {
    await this.client.post('/me/messages', { recipient: { id: userId }, sender_action: 'typing_on' });
  }

  async profile(userId: string): Promise<string | null> {
    const p = await this.client.get<{ first_name?: string; last_name?: string }>(`/${encodeURIComponent(userId)}`, {
      fields: 'first_name,last_name',
    });
    const name = [p.last_name, p.first_name].filter(Boolean).join(' ').trim();
    return name === '' ? null : name;
  }
}

function quickReplies(choices: readonly Choice[]): Array<Record<string, string>> {
  const numbered = choices.length > 1;
  return choices.slice(0, QUICK_REPLY_LIMIT).map((c, i) => ({
    content_type: 'text',
    // A choice that is its own number (a 1–5 rating) needs no prefix.
    title: shortTitle(c.title, numbered && c.title !== String(i + 1) ? i + 1 : null),
    payload: c.payload,
  }));
}
