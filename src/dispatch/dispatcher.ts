import { randomUUID } from 'node:crypto';
import { SendError, type ChannelAdapter, type InboundEvent, type OutboundMessage } from '../channels/types.js';
import type { ChannelName } from '../conversation/types.js';
import type { Logger } from '../log.js';
import type { Conversations } from '../store/conversations.js';
import type { InboundQueue, QueuedEvent, UserLease } from '../store/types.js';
import type { Pipeline } from './pipeline.js';
import { LoopLag } from './loop-lag.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';
import { Gate, GateClosedError, typingIfFree, type Slot } from './gate.js';

export type InboundJournal = InboundQueue<InboundEvent, OutboundMessage>;
type Pending = QueuedEvent<InboundEvent, OutboundMessage>;
type Who = { channel: ChannelName; userId: string };

/** An event as a webhook hands it over: a stable id for deduplication and the key that orders it. */
export interface Delivery {
  readonly id: string;
  readonly event: InboundEvent;
}

export interface DispatcherOptions {
  readonly journal: InboundJournal;
  readonly pipeline: Pick<Pipeline, 'handle'>;
  readonly conversations: Conversations;
  readonly channels: ReadonlyMap<ChannelName, ChannelAdapter>;
  /** Each channel's limit on platform calls in flight (a channel without one is not limited: the web chat). */
  readonly gates: ReadonlyMap<ChannelName, Gate>;
  readonly logger: Logger;
  readonly retry?: RetryPolicy;
  readonly clock?: () => number;
  /** Told of every event accepted (redeliveries apart): metrics. */
  readonly observe?: (event: InboundEvent) => void;
  /** Called when a send fails for good with an authentication problem: an admin must renew the token. */
  readonly onAuthFailure?: (channel: ChannelName, err: SendError) => void;
  /** How long a user is ours once claimed; renewed while we work. Another instance takes over after it. */
  readonly leaseMs?: number;
  /** How often to look for work this instance was not told about (another instance's, or one that died). */
  readonly pollMs?: number;
  /** Users worked on at once (each user's events one after another). */
  readonly maxUsers?: number;
  /**
   * Users claimed at most by one call to the queue (one round trip on PostgreSQL). Small enough that one instance
   * does not take every waiting user while another sits idle.
   */
  readonly claimBatch?: number;
  /**
   * Another instance may take the user next (a shared queue): what this instance buffers for them is written before
   * the lease is let go. Alone on its data, an instance keeps its write-behind (one write per interval, not per user).
   */
  readonly shared?: boolean;
  /**
   * While the event loop runs this late (ms), no new user is claimed as long as some are being worked on: stored
   * events wait, webhooks keep being acknowledged promptly (see loop-lag.ts). Off when absent.
   */
  readonly busyLagMs?: number;
  /**
   * "Typing…" is shown once a user has waited this long (ms) since their message was accepted without the reply
   * starting to go out; a reply that goes sooner needs no indicator, and would cost a platform call.
   */
  readonly typingAfterMs?: number;
  /**
   * Replies worked out at once (the pipeline: the conversation and ticket reads, matching); the sends and writes
   * after it are not limited. Each user's pipeline waits on a few database round trips; dozens of them interleaved
   * keep the event loop's queue long, and the webhooks' acknowledgements wait in it. Not limited when absent.
   */
  readonly pipelines?: number;
}

function userOf(event: InboundEvent): Who {
  return event.kind === 'message' ? { channel: event.message.channel, userId: event.message.userId } : { channel: event.channel, userId: event.userId };
}

export const DEFAULT_LEASE_MS = 30_000;
export const DEFAULT_TYPING_AFTER_MS = 1000;

/**
 * Takes acknowledged events from the webhooks to the platforms. Events are stored in the queue (durable before the
 * webhook answers); a worker claims one user at a time and processes that user's events in order — different users
 * in parallel, on this instance or another one sharing the queue — then sends the replies with retries, recording
 * progress so a restart (or another instance, after the lease) resumes without repeating finished sends.
 */
export class Dispatcher {
  private readonly owner = randomUUID();
  private readonly active = new Set<Promise<void>>();
  private stopping = false;
  private kicking: Promise<void> | null = null;
  private again = false;
  private poller: NodeJS.Timeout | null = null;
  private readonly lag: LoopLag | null;
  private retryWhenCalm: NodeJS.Timeout | null = null;
  private readonly pipelineGate: Gate | null;

  constructor(private readonly o: DispatcherOptions) {
    this.lag = o.busyLagMs === undefined ? null : new LoopLag().start();
    this.pipelineGate = o.pipelines === undefined ? null : new Gate(o.pipelines);
  }

  private tooBusy(): boolean {
    if (!this.lag || this.active.size === 0 || this.lag.current < this.o.busyLagMs!) return false;
    this.retryWhenCalm ??= setTimeout(() => {
      this.retryWhenCalm = null;
      this.kick();
    }, 20);
    return true;
  }

  private now(): number {
    return (this.o.clock ?? Date.now)();
  }

  private get leaseMs(): number {
    return this.o.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** Durably accepts events (dropping redeliveries) and starts on them. Resolves when they are safe. */
  async receive(deliveries: readonly Delivery[]): Promise<number> {
    const accepted = await this.o.journal.accept(
      deliveries.map((d) => {
        const { channel, userId } = userOf(d.event);
        return { id: d.id, key: `${channel}:${userId}`, event: d.event };
      }),
    );
    for (const p of accepted) this.o.observe?.(p.event);
    if (accepted.length > 0) this.kick();
    return accepted.length;
  }

  /** Starts on what the queue holds unfinished (after a restart), and keeps looking for work now and then. */
  resume(): void {
    this.kick();
    if (this.o.pollMs && !this.poller) {
      this.poller = setInterval(() => this.kick(), this.o.pollMs);
      this.poller.unref();
    }
  }

  /** Sends what was held for a channel whose credentials were just renewed. */
  async release(channel: ChannelName): Promise<number> {
    const n = await this.o.journal.release(channel);
    if (n > 0) this.o.logger.info({ channel, count: n }, 'sending replies held while the channel was not authorised');
    this.kick();
    return n;
  }

  heldCount(channel: ChannelName): Promise<number> {
    return this.o.journal.held(channel);
  }

  /** Resolves when this instance has nothing left to do (tests, graceful shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.kicking) await this.kicking;
      if (this.active.size === 0) {
        // One more look: work may have been accepted while the last user was finishing.
        await this.fill();
        if (this.active.size === 0) return;
      }
      await Promise.all([...this.active]);
    }
  }

  /**
   * Graceful shutdown: no new event or send starts; sends in flight finish and are recorded. Everything else stays
   * in the queue, unfinished, and the next start (or another instance) resumes it: nothing lost, nothing sent twice.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.poller) clearInterval(this.poller);
    if (this.retryWhenCalm) clearTimeout(this.retryWhenCalm);
    this.lag?.stop();
    for (const gate of this.o.gates.values()) gate.close();
    this.pipelineGate?.close();
    while (this.active.size > 0 || this.kicking) {
      if (this.kicking) await this.kicking;
      await Promise.all([...this.active]);
    }
  }

  /** Claims users with waiting work until none is left or enough are being worked on. */
  private kick(): void {
    if (this.stopping) return;
    if (this.kicking) {
      this.again = true;
      return;
    }
    this.kicking = this.fill()
      .catch((err: unknown) => this.o.logger.error({ err }, 'could not claim work from the inbound queue'))
      .finally(() => {
        this.kicking = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async fill(): Promise<void> {
    const max = this.o.maxUsers ?? 256;
    while (!this.stopping && this.active.size < max && !this.tooBusy()) {
      const leases = await this.o.journal.claimSome(this.owner, this.leaseMs, Math.min(this.o.claimBatch ?? 1, max - this.active.size));
      if (leases.length === 0) return;
      for (const lease of leases) {
        const work = this.work(lease).finally(() => {
          this.active.delete(work);
          this.kick();
        });
        this.active.add(work);
      }
    }
  }

  /** One user's events, in order, while the lease is ours; then events that arrived meanwhile; then let go. */
  private async work(lease: UserLease<InboundEvent, OutboundMessage>): Promise<void> {
    const renewal = setInterval(() => void lease.renew().catch(() => undefined), Math.max(1000, this.leaseMs / 3));
    renewal.unref();
    let who: Who | null = null;
    let released = false;
    try {
      for (let events = lease.events; events.length > 0 && !this.stopping; ) {
        const after: { events: Pending[] | null } = { events: null };
        for (const [i, p] of events.entries()) {
          const user = (who ??= this.hold(p));
          if (this.stopping) return;
          // The last event is marked done with the look for new ones (or the letting go): one statement fewer. What
          // this instance buffers for the user is written first, before another instance may take them.
          const complete =
            i < events.length - 1
              ? (q: Pending) => this.complete(q, user)
              : async (q: Pending) => {
                  await this.flushConversation(user);
                  after.events = await lease.finish(q.id);
                };
          try {
            await this.process(p, complete);
          } catch (err) {
            if (err instanceof GateClosedError) return;
            this.o.logger.error({ err, id: p.id }, 'event processing failed');
            await this.o.journal.done(p.id);
          }
        }
        if (after.events === null) {
          if (who) await this.flushConversation(who);
          after.events = await lease.finish();
        }
        events = after.events;
        released = events.length === 0;
      }
    } finally {
      clearInterval(renewal);
      if (who && this.o.shared) await this.o.conversations.letGo(who.channel, who.userId).catch((err: unknown) => this.o.logger.warn({ err }, 'could not write a conversation'));
      if (!released) await lease.release().catch((err: unknown) => this.o.logger.warn({ err }, 'could not release a user lease'));
    }
  }

  /** The user of a lease, whose conversation this instance keeps while it holds them (on a shared queue). */
  private hold(p: Pending): Who {
    const who = userOf(p.event);
    if (this.o.shared) this.o.conversations.hold(who.channel, who.userId);
    return who;
  }

  /** On a shared queue only: alone on its data, an instance keeps its write-behind (one write per interval). */
  private async flushConversation(who: Who): Promise<void> {
    if (!this.o.shared) return;
    await this.o.conversations.flush(who.channel, who.userId).catch((err: unknown) => this.o.logger.warn({ err }, 'could not write a conversation'));
  }

  /** The event is finished, and its user's conversation written with it (in parallel: one round trip's wait). */
  private async complete(p: Pending, who: Who): Promise<void> {
    await Promise.all([this.o.journal.done(p.id), this.flushConversation(who)]);
  }

  /** `complete` marks the event done (and writes its conversation): the caller knows how, see work(). */
  private async process(p: Pending, complete: (p: Pending) => Promise<void>): Promise<void> {
    const who = userOf(p.event);
    const { channel, userId } = who;
    const adapter = this.o.channels.get(channel);
    const gate = this.o.gates.get(channel);
    if (p.sends === null) {
      const cancelTyping = p.event.kind === 'message' && adapter?.typing ? this.typingSoon(p, () => adapter.typing!(userId), gate) : () => undefined;
      const handle = () => this.o.pipeline.handle(p.event);
      const result = await (this.pipelineGate ? this.pipelineGate.run(handle) : handle()).finally(cancelTyping);
      if (result === null || result.replies.length === 0) {
        await complete(p);
        return;
      }
      const now = this.now();
      let sends: OutboundMessage[] = [];
      try {
        if (!adapter) throw new SendError('not-configured', `kênh ${channel} chưa được cấu hình`);
        sends = adapter.render(userId, result.replies, { author: 'bot', lastUserMessageAt: result.lastUserMessageAt, now });
      } catch (err) {
        await this.fail(channel, userId, result.replies.map((r) => ('text' in r ? r.text : '')).join('\n'), err);
        await complete(p);
        return;
      }
      await this.o.journal.plan(p.id, sends);
      p.sends = sends;
    }
    const said: string[] = [];
    for (let i = p.sent; i < p.sends.length; i++) {
      const message = p.sends[i]!;
      let slot: Slot | null;
      try {
        if (!adapter) throw new SendError('not-configured', `kênh ${channel} chưa được cấu hình`);
        slot = await withRetry(
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
      } catch (err) {
        if (err instanceof GateClosedError) throw err; // shutting down: resumed from here after the restart
        if (err instanceof SendError && err.kind === 'auth' && adapter?.holdOnAuthFailure) {
          // Not done: kept in the queue (a restart resumes it) and held until the channel is authorised again.
          this.o.logger.warn({ channel, userId }, 'reply held until the channel is authorised again');
          this.o.onAuthFailure?.(channel, err);
          await this.o.journal.hold(p.id, channel);
          return;
        }
        // The rest of this reply would arrive out of context: record the failure once and stop.
        await this.fail(channel, userId, p.sends.slice(i).map((m) => m.text).join('\n'), err);
        break;
      }
      said.push(message.text);
      p.sent = i + 1;
      // The slot is held until the send is recorded, so a crash can repeat only the sends of the slots in use. The
      // last send is recorded by the event's completion itself: one statement fewer per reply.
      try {
        if (p.sent < p.sends.length) await this.o.journal.sent(p.id, i);
        else await this.finishReply(p, who, said, complete);
      } finally {
        slot?.release();
      }
      if (p.sent === p.sends.length) return;
    }
    await this.finishReply(p, who, said, complete);
  }

  /**
   * Shows "typing…" when the user has waited typingAfterMs since their message was accepted (at once for a message
   * that waited its turn behind a slow reply); returns what cancels it once the reply is about to go. Best effort,
   * and only while the platform is not busy.
   */
  private typingSoon(p: Pending, typing: () => Promise<void>, gate: Gate | undefined): () => void {
    const after = this.o.typingAfterMs ?? DEFAULT_TYPING_AFTER_MS;
    const show = () => void (gate ? typingIfFree(gate, typing) : typing()).catch((err: unknown) => this.o.logger.debug({ err }, 'typing indicator failed'));
    const wait = Math.min(after, p.at + after - this.now());
    if (wait <= 0) {
      show();
      return () => undefined;
    }
    const timer = setTimeout(show, wait);
    timer.unref();
    return () => clearTimeout(timer);
  }

  /** The transcript is context for officers: written once for the whole reply, with the event's completion. */
  private async finishReply(p: Pending, who: Who, said: readonly string[], complete: (p: Pending) => Promise<void>): Promise<void> {
    await this.o.conversations.said(who.channel, who.userId, 'bot', said, this.now());
    await complete(p);
  }

  private async fail(channel: ChannelName, userId: string, text: string, raw: unknown): Promise<void> {
    const err = raw instanceof SendError ? raw : new SendError('transient', (raw as Error)?.message ?? String(raw));
    this.o.logger.error({ channel, userId, kind: err.kind, code: err.code, message: err.platformMessage }, 'reply not delivered');
    if (err.kind === 'auth') this.o.onAuthFailure?.(channel, err);
    await this.o.conversations.deliveryFailed({
      at: this.now(),
      channel,
      userId,
      text,
      kind: err.kind,
      platformMessage: err.platformMessage,
      code: err.code === undefined ? null : `${err.code}${err.subcode !== undefined ? `/${err.subcode}` : ''}`,
    });
  }
}
