import type { AxiosInstance } from 'axios';
import { PlatformCallError, platformHttp } from '../platform-http.js';
import type { Reply } from '../../conversation/types.js';
import { splitMessage } from '../../knowledge/split.js';
import { SendError, type ChannelAdapter, type OutboundMessage, type SendContext, type SendFailureKind } from '../types.js';
import { ZaloAuthError, type ZaloTokens } from './tokens.js';

export const ZALO_TEXT_LIMIT = 2000;
export const ZALO_BUTTON_LIMIT = 5;
export const ZALO_BUTTON_TITLE_LIMIT = 100;
/** Consultation messages may be sent within 7 days of the user's last interaction. */
export const ZALO_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
export const WINDOW_CLOSED = 'ngoài thời hạn 7 ngày kể từ lần tương tác cuối của người dùng: liên hệ qua điện thoại/email';

const TOKEN_ERRORS = new Set([-216, -220, -124]);
const WINDOW_ERRORS = new Set([-230, -232]);

/** Zalo's `error` code → what to do (errors arrive with HTTP 200; branch on the code, not the status). */
export function classifyZaloError(code: number): SendFailureKind {
  if (TOKEN_ERRORS.has(code)) return 'auth';
  if (code === -32) return 'rate-limit';
  if (WINDOW_ERRORS.has(code)) return 'window';
  if (code === -213) return 'unavailable';
  return 'invalid';
}

/**
 * A tapped `oa.query.show` button comes back as a user message carrying its payload, shown in the chat: so the
 * payload is what the user would type — the choice's number and title — and the conversation layer maps it back.
 */
export function buttonPayload(number: number | null, title: string): string {
  return number === null ? title : `${number}. ${title}`;
}

export interface ZaloAdapterOptions {
  readonly apiUrl: string;
  readonly tokens: ZaloTokens;
  readonly timeoutMs?: number;
}

export class ZaloAdapter implements ChannelAdapter {
  readonly name = 'zalo' as const;
  readonly holdOnAuthFailure = true;
  private readonly http: AxiosInstance;
  /** Zalo's docs differ on whether a button template needs template_type: learnt from the first refusal. */
  private buttonTemplateType: 'omit' | 'button' = 'omit';

  constructor(private readonly o: ZaloAdapterOptions) {
    this.http = platformHttp({ baseURL: o.apiUrl, timeout: o.timeoutMs ?? 10_000 });
  }

  render(userId: string, replies: readonly Reply[], context: SendContext): OutboundMessage[] {
    if (context.now - context.lastUserMessageAt > ZALO_WINDOW_MS) throw new SendError('window', WINDOW_CLOSED);
    const out: OutboundMessage[] = [];
    const push = (text: string, buttons?: Array<{ title: string; payload: string }>) =>
      out.push({
        channel: 'zalo',
        userId,
        text,
        body: { recipient: { user_id: userId }, message: buttons ? { text, attachment: { type: 'template', payload: { buttons } } } : { text } },
      });
    for (const reply of replies) {
      if (reply.kind === 'handoff') continue;
      const parts = splitMessage(reply.text, ZALO_TEXT_LIMIT);
      const last = parts.pop() ?? '';
      parts.forEach((p) => push(p));
      if (reply.kind === 'choices' && reply.choices.length > 0) {
        // At most 5 buttons; the message body lists every choice with its number, and typing the number works too.
        const numbered = reply.choices.length > 1;
        push(
          last,
          reply.choices.slice(0, ZALO_BUTTON_LIMIT).map((c, i) => {
            // A choice that is its own number (a 1–5 rating) needs no prefix.
            const label = buttonPayload(numbered && c.title !== String(i + 1) ? i + 1 : null, c.title);
            const title = label.length > ZALO_BUTTON_TITLE_LIMIT ? `${label.slice(0, ZALO_BUTTON_TITLE_LIMIT - 1)}…` : label;
            return { title, type: 'oa.query.show', payload: title };
          }),
        );
      } else if (last !== '') {
        push(last);
      }
    }
    return out;
  }

  async send(message: OutboundMessage): Promise<{ messageId: string }> {
    let token = await this.token();
    try {
      return await this.post(token, message);
    } catch (err) {
      if (!(err instanceof SendError) || err.kind !== 'auth') throw err;
      // -216/-220/-124: the token was revoked or expired early. Refresh once and retry once.
      token = await this.refreshAfter(token);
      return this.post(token, message);
    }
  }

  async profile(userId: string): Promise<string | null> {
    const token = await this.token();
    const res = await this.http.get('/v3.0/oa/user/detail', { headers: { access_token: token }, params: { data: JSON.stringify({ user_id: userId }) } });
    const data = res.data as { error?: number; data?: { display_name?: string } };
    return data.error === 0 && data.data?.display_name ? data.data.display_name : null;
  }

  private async token(): Promise<string> {
    try {
      return await this.o.tokens.accessToken();
    } catch (err) {
      throw toSendError(err);
    }
  }

  private async refreshAfter(rejected: string): Promise<string> {
    try {
      return await this.o.tokens.refresh(rejected);
    } catch (err) {
      throw toSendError(err);
    }
  }

  private async post(token: string, message: OutboundMessage): Promise<{ messageId: string }> {
    const body = this.withTemplateType(message.body);
    const data = await this.call(token, body);
    if (data.error === 0) return { messageId: String(data.data?.message_id ?? '') };
    if (data.error === -201 && hasButtons(body)) {
      // Invalid parameter on a button message: try the other template shape once and keep the one that works.
      this.buttonTemplateType = this.buttonTemplateType === 'omit' ? 'button' : 'omit';
      const retry = await this.call(token, this.withTemplateType(message.body));
      if (retry.error === 0) return { messageId: String(retry.data?.message_id ?? '') };
      throw zaloError(retry);
    }
    throw zaloError(data);
  }

  private async call(token: string, body: unknown): Promise<{ error?: number; message?: string; data?: { message_id?: string } }> {
    try {
      const res = await this.http.post('/v3.0/oa/message/cs', body, { headers: { access_token: token, 'content-type': 'application/json' } });
      return res.data ?? {};
    } catch (err) {
      if (err instanceof PlatformCallError) throw new SendError(err.status === 429 ? 'rate-limit' : 'transient', err.message, err.status ?? err.network ?? undefined);
      throw err;
    }
  }

  private withTemplateType(body: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
    if (this.buttonTemplateType === 'omit' || !hasButtons(body)) return body;
    const message = body.message as { text: string; attachment: { type: string; payload: Record<string, unknown> } };
    return { ...body, message: { ...message, attachment: { ...message.attachment, payload: { template_type: 'button', ...message.attachment.payload } } } };
  }
}

function hasButtons(body: Readonly<Record<string, unknown>>): boolean {
  return typeof body.message === 'object' && body.message !== null && 'attachment' in body.message;
}

function zaloError(data: { error?: number; message?: string }): SendError {
  const code = typeof data.error === 'number' ? data.error : -1;
  const kind = classifyZaloError(code);
  const message = WINDOW_ERRORS.has(code) ? `ngoài thời hạn 7 ngày (${data.message ?? 'Zalo'})` : data.message ?? 'Zalo từ chối tin nhắn';
  return new SendError(kind, message, code);
}

function toSendError(err: unknown): SendError {
  if (err instanceof SendError) return err;
  if (err instanceof ZaloAuthError) return new SendError('auth', err.message, err.code);
  return new SendError('transient', (err as Error)?.message ?? String(err));
}
