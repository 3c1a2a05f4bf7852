import type { InboundEvent } from '../channels/types.js';
import type { Bot } from '../conversation/bot.js';
import type { ChannelName, Reply } from '../conversation/types.js';
import type { Logger } from '../log.js';
import type { Conversations } from '../store/conversations.js';
import type { Ticket } from '../store/schema.js';

/** What an inbound event asks us to send, if anything. */
export interface PipelineResult {
  readonly channel: ChannelName;
  readonly userId: string;
  readonly replies: readonly Reply[];
  /** The user's last message (messaging windows count from it), as recorded with this one. */
  readonly lastUserMessageAt: number;
}

/**
 * What the officer inbox needs to know of the conversation, and the one thing it decides: whether a person handles
 * it. The user's open ticket is looked up once per message (userWrote) and handed to the other two.
 */
export interface TicketHooks {
  /** Every user message, so an open ticket keeps the whole conversation: resolves with that ticket, if any. */
  userWrote(channel: ChannelName, userId: string, text: string, at: number): Promise<Ticket | null>;
  /** True while an officer handles this user: the bot stays silent. */
  humanHandling(ticket: Ticket | null, now: number): boolean;
  botSaid(ticket: Ticket, texts: readonly string[], at: number): Promise<void>;
  receipt(channel: ChannelName, userId: string, messageIds: readonly string[], status: 'delivered' | 'seen', at: number): Promise<void>;
}

export interface PipelineOptions {
  readonly bot: Bot;
  readonly conversations: Conversations;
  readonly logger: Logger;
  /** How long the bot stays silent after a person answered from the platform's own inbox. */
  readonly takeoverMs: number;
  /** Profile lookup per channel (display names for tickets), best effort. */
  readonly profile?: (channel: ChannelName, userId: string) => Promise<string | null>;
  readonly tickets?: TicketHooks;
  /** Erases what we hold about a user who asked the platform to delete their data. */
  readonly forget?: (channel: ChannelName, userId: string) => Promise<unknown>;
  readonly clock?: () => number;
}

/**
 * The channel-agnostic handling of one inbound event, run in the user's queue: record it, respect a human
 * takeover, ask the bot, record the replies. Sending is the dispatcher's job.
 */
export class Pipeline {
  private readonly profileAsked = new Set<string>();

  constructor(private readonly o: PipelineOptions) {}

  async handle(event: InboundEvent): Promise<PipelineResult | null> {
    const now = (this.o.clock ?? Date.now)();
    const { conversations } = this.o;
    switch (event.kind) {
      case 'human-reply':
        await conversations.pause(event.channel, event.userId, event.at + this.o.takeoverMs);
        this.o.logger.info({ channel: event.channel, userId: event.userId }, 'a person replied from the platform inbox: bot paused');
        return null;
      case 'interaction':
        await conversations.touched(event.channel, event.userId, event.at);
        return null;
      case 'delivery':
        await this.o.tickets?.receipt(event.channel, event.userId, event.messageIds, event.status, event.at);
        return null;
      case 'unfollow':
        return null;
      case 'forget':
        await this.o.forget?.(event.channel, event.userId);
        return null;
      case 'message': {
        const m = event.message;
        const text = m.text || `(${m.kind === 'attachment' ? 'tệp đính kèm' : m.kind})`;
        const record = await conversations.userSaid(m.channel, m.userId, text, m.timestamp, m.displayName);
        const ticket = (await this.o.tickets?.userWrote(m.channel, m.userId, text, m.timestamp)) ?? null;
        if (!record.displayName) void this.lookUpProfile(m.channel, m.userId);
        // A person is talking to this user (from the inbox or the platform's own inbox): the bot keeps quiet.
        if (record.pausedUntil > now || this.o.tickets?.humanHandling(ticket, now)) return null;
        const response = await this.o.bot.handle(m, { state: record.state });
        const said = response.replies.flatMap((r) => (r.kind === 'handoff' ? [] : [r.text]));
        if (ticket && said.length > 0) await this.o.tickets?.botSaid(ticket, said, now);
        return { channel: m.channel, userId: m.userId, replies: response.replies, lastUserMessageAt: record.lastUserMessageAt };
      }
    }
  }

  /** Best effort, off the reply's path: the display name is for officers' eyes only. */
  private async lookUpProfile(channel: ChannelName, userId: string): Promise<void> {
    const key = `${channel}:${userId}`;
    if (!this.o.profile || this.profileAsked.has(key)) return;
    this.profileAsked.add(key);
    try {
      const name = await this.o.profile(channel, userId);
      if (name) await this.o.conversations.setDisplayName(channel, userId, name);
    } catch (err) {
      this.o.logger.debug({ err, channel }, 'profile lookup failed');
    }
  }
}
