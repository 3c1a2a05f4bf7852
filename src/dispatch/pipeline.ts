import type { InboundEvent } from '../channels/types.js';
import type { Bot } from '../conversation/bot.js';
import type { ChannelName, Reply } from '../conversation/types.js';
import type { Logger } from '../log.js';
import type { Conversations } from '../store/conversations.js';

/** What an inbound event asks us to send, if anything. */
export interface PipelineResult {
  readonly channel: ChannelName;
  readonly userId: string;
  readonly replies: readonly Reply[];
}

export interface PipelineOptions {
  readonly bot: Bot;
  readonly conversations: Conversations;
  readonly logger: Logger;
  /** How long the bot stays silent after a person answered from the platform's own inbox. */
  readonly takeoverMs: number;
  /** Profile lookup per channel (display names for tickets), best effort. */
  readonly profile?: (channel: ChannelName, userId: string) => Promise<string | null>;
  /** Messages from a user whose conversation a person has taken over (the inbox appends them to the ticket). */
  readonly whilePaused?: (channel: ChannelName, userId: string, text: string, at: number) => Promise<void>;
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
        conversations.pause(event.channel, event.userId, event.at + this.o.takeoverMs);
        this.o.logger.info({ channel: event.channel, userId: event.userId }, 'a person replied from the platform inbox: bot paused');
        return null;
      case 'interaction':
        conversations.touched(event.channel, event.userId, event.at);
        return null;
      case 'unfollow':
      case 'delivery':
        return null;
      case 'message': {
        const m = event.message;
        conversations.userSaid(m.channel, m.userId, m.text || `(${m.kind})`, m.timestamp, m.displayName);
        this.lookUpProfile(m.channel, m.userId);
        if (conversations.isPaused(m.channel, m.userId, now)) {
          await this.o.whilePaused?.(m.channel, m.userId, m.text, m.timestamp);
          return null;
        }
        const response = await this.o.bot.handle(m);
        return { channel: m.channel, userId: m.userId, replies: response.replies };
      }
    }
  }

  private lookUpProfile(channel: ChannelName, userId: string): void {
    const key = `${channel}:${userId}`;
    if (!this.o.profile || this.profileAsked.has(key) || this.o.conversations.record(channel, userId)?.displayName) return;
    this.profileAsked.add(key);
    this.o
      .profile(channel, userId)
      .then((name) => {
        if (name) this.o.conversations.setDisplayName(channel, userId, name);
      })
      .catch((err: unknown) => this.o.logger.debug({ err, channel }, 'profile lookup failed'));
  }
}
