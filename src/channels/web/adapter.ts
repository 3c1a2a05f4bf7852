import type { Reply } from '../../conversation/types.js';
import type { ChannelAdapter, OutboundMessage } from '../types.js';

export interface WebMessage {
  readonly id: string;
  readonly at: number;
  readonly text: string;
}

const PER_USER = 50;

/**
 * The web chat as a channel for messages that do not answer a request: an officer's reply to a ticket opened from
 * /chat waits here until the page polls for it. Kept in memory: it is a test channel.
 */
export class WebAdapter implements ChannelAdapter {
  readonly name = 'web' as const;
  private readonly outbox = new Map<string, WebMessage[]>();
  private n = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  render(userId: string, replies: readonly Reply[]): OutboundMessage[] {
    return replies
      .filter((r): r is Exclude<Reply, { kind: 'handoff' }> => r.kind !== 'handoff')
      .map((r) => ({ channel: 'web', userId, text: r.text, body: { text: r.text } }));
  }

  async send(message: OutboundMessage): Promise<{ messageId: string }> {
    const list = this.outbox.get(message.userId) ?? [];
    const m: WebMessage = { id: `web-${++this.n}`, at: this.clock(), text: message.text };
    list.push(m);
    if (list.length > PER_USER) list.splice(0, list.length - PER_USER);
    this.outbox.set(message.userId, list);
    return { messageId: m.id };
  }

  /** Messages for this user newer than `after` (epoch ms). */
  since(userId: string, after: number): WebMessage[] {
    return (this.outbox.get(userId) ?? []).filter((m) => m.at > after);
  }
}
