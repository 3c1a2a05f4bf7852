import { SendError, type ChannelAdapter, type InboundEvent, type OutboundMessage } from '../channels/types.js';
import type { ChannelName } from '../conversation/types.js';
import type { Logger } from '../log.js';
import type { Conversations } from '../store/conversations.js';
import type { Journal, PendingEvent } from '../store/journal.js';
import type { Pipeline } from './pipeline.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';
import { GateClosedError, typingIfFree, type SendGate } from './send-gate.js';

export type InboundJournal = Journal<InboundEvent, OutboundMessage>;

/** An event as a webhook hands it over: a stable id for deduplication and the key that orders it. */
export interface Delivery {
  readonly id: string;
  readonly event: InboundEvent;
}

export interface DispatcherOptions {
  readonly journal: InboundJournal;
  readonly pipeline: Pipeline;
  readonly conversations: Conversations;
  readonly channels: ReadonlyMap<ChannelName, ChannelAdapter>;
  /** Each channel's limit on platform calls in flight (a channel without one is not limited: the web chat). */
  readonly gates: ReadonlyMap<ChannelName, SendGate>;
  readonly logger: Logger;
  readonly retry?: RetryPolicy;
  readonly clock?: () => number;
  /** Told of every event accepted (redeliveries apart): metrics. */
  readonly observe?: (event: InboundEvent) => void;
  /** Called when a send fails for good with an authentication problem: an admin must renew the token. */
  readonly onAuthFailure?: (channel: ChannelName, err: SendError) => void;
}

function userOf(event: InboundEvent): { channel: ChannelName; userId: string } {
  return event.kind === 'message' ? { channel: event.message.channel, userId: event.message.userId } : { channel: event.channel, userId: event.userId };
}

/**
 * Takes acknowledged events from the webhooks to the platforms: writes them to the journal (durable before the
 * webhook answers), then processes each user's events one after another — different users in parallel — and sends
 * the replies with retries, journaling progress so a restart resumes without repeating finished sends.
 */
export class Dispatcher {
  private readonly queues = new Map<string, Promise<void>>();
  private stopping = false;
  /** Events whose replies wait for a channel's credentials to be renewed. */
  private readonly held = new Map<ChannelName, Array<PendingEvent<InboundEvent, OutboundMessage>>>();

  constructor(private readonly o: DispatcherOptions) {}

  /** Durably accepts events (dropping redeliveries) and schedules them. Resolves when they are safe on disk. */
  async receive(deliveries: readonly Delivery[]): Promise<number> {
    const accepted = await this.o.journal.accept(
      deliveries.map((d) => {
        const { channel, userId } = userOf(d.event);
        return { id: d.id, key: `${channel}:${userId}`, event: d.event };
      }),
    );
    for (const p of accepted) {
      this.o.observe?.(p.event);
      this.schedule(p);
    }
    return accepted.length;
  }

  /** Schedules what the journal holds unfinished (after a restart). */
  resume(): number {
    const unfinished = this.o.journal.unfinished();
    for (const p of unfinished) this.schedule(p);
    if (unfinished.length > 0) this.o.logger.info({ count: unfinished.length }, 'resuming unfinished inbound events');
    return unfinished.length;
  }

  /** Sends what was held for a channel whose credentials were just renewed. */
  release(channel: ChannelName): number {
    const held = this.held.get(channel) ?? [];
    this.held.delete(channel);
    for (const p of held) this.schedule(p);
    if (held.length > 0) this.o.logger.info({ channel, count: held.length }, 'sending replies held while the channel was not authorised');
    return held.length;
  }

  heldCount(channel: ChannelName): number {
    return this.held.get(channel)?.length ?? 0;
  }

  /** Resolves when every queue is empty (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  /**
   * Graceful shutdown: no new event or send starts; sends in flight finish and are journaled. Everything else stays
   * in the journal, unfinished, and the next start resumes it: nothing lost, nothing sent twice.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const gate of this.o.gates.values()) gate.close();
    await this.idle();
  }

  private schedule(p: PendingEvent<InboundEvent, OutboundMessage>): void {
    const previous = this.queues.get(p.key) ?? Promise.resolve();
    const next = previous.then(() => this.process(p)).catch((err: unknown) => {
      if (err instanceof GateClosedError) return;
      this.o.logger.error({ err, id: p.id }, 'event processing failed');
    });
    this.queues.set(p.key, next);
    void next.finally(() => {
      if (this.queues.get(p.key) === next) this.queues.delete(p.key);
    });
  }

  private async process(p: PendingEvent<InboundEvent, OutboundMessage>): Promise<void> {
    if (this.stopping) return;
    const { channel, userId } = userOf(p.event);
    const adapter = this.o.channels.get(channel);
    const gate = this.o.gates.get(channel);
    if (p.sends === null) {
      if (p.event.kind === 'message' && adapter?.typing) {
        const typing = () => adapter.typing!(userId);
        (gate ? typingIfFree(gate, typing) : typing()).catch((err: unknown) => this.o.logger.debug({ err }, 'typing indicator failed'));
      }
      const result = await this.o.pipeline.handle(p.event);
      if (result === null || result.replies.length === 0) {
        await this.o.journal.done(p.id);
        return;
      }
      const now = (this.o.clock ?? Date.now)();
      const record = await this.o.conversations.record(channel, userId);
      let sends: OutboundMessage[] = [];
      try {
        if (!adapter) throw new SendError('not-configured', `kênh ${channel} chưa được cấu hình`);
        sends = adapter.render(userId, result.replies, { author: 'bot', lastUserMessageAt: record?.lastUserMessageAt ?? now, now });
      } catch (err) {
        await this.fail(channel, userId, result.replies.map((r) => ('text' in r ? r.text : '')).join('\n'), err);
        await this.o.journal.done(p.id);
        return;
      }
      await this.o.journal.plan(p.id, sends);
      p.sends = sends;
    }
    for (let i = p.sent; i < p.sends.length; i++) {
      const message = p.sends[i]!;
      try {
        if (!adapter) throw new SendError('not-configured', `kênh ${channel} chưa được cấu hình`);
        // The slot is held until the send is journaled, so a crash can repeat only the sends of the slots in use.
        const slot = await withRetry(
          async () => {
            const held = gate ? await gate.acquire() : null;
            try {
              await adapter.send(message);
              return held;
            } catch (err) {
              held?.release();
              throw err;
            }
          },
          this.o.retry ?? DEFAULT_RETRY,
          undefined,
          (err, attempt) => this.o.logger.warn({ channel, attempt, kind: err.kind, code: err.code }, 'send failed, retrying'),
        );
        try {
          await this.o.conversations.said(channel, userId, 'bot', message.text, (this.o.clock ?? Date.now)());
          await this.o.journal.sent(p.id, i);
        } finally {
          slot?.release();
        }
      } catch (err) {
        if (err instanceof GateClosedError) return; // shutting down: resumed from here after the restart
        if (err instanceof SendError && err.kind === 'auth' && adapter?.holdOnAuthFailure) {
          // Not done: kept in the journal (a restart resumes it) and held until the channel is authorised again.
          this.o.logger.warn({ channel, userId }, 'reply held until the channel is authorised again');
          this.o.onAuthFailure?.(channel, err);
          const list = this.held.get(channel) ?? [];
          list.push(p);
          this.held.set(channel, list);
          return;
        }
        // The rest of this reply would arrive out of context: record the failure once and stop.
        await this.fail(channel, userId, p.sends.slice(i).map((m) => m.text).join('\n'), err);
        break;
      }
    }
    await this.o.journal.done(p.id);
  }

  private async fail(channel: ChannelName, userId: string, text: string, raw: unknown): Promise<void> {
    const err = raw instanceof SendError ? raw : new SendError('transient', (raw as Error)?.message ?? String(raw));
    this.o.logger.error({ channel, userId, kind: err.kind, code: err.code, message: err.platformMessage }, 'reply not delivered');
    if (err.kind === 'auth') this.o.onAuthFailure?.(channel, err);
    await this.o.conversations.deliveryFailed({
      at: (this.o.clock ?? Date.now)(),
      channel,
      userId,
      text,
      kind: err.kind,
      platformMessage: err.platformMessage,
      code: err.code === undefined ? null : `${err.code}${err.subcode !== undefined ? `/${err.subcode}` : ''}`,
    });
  }
}
