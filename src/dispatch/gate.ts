import type { ChannelAdapter, OutboundMessage } from '../channels/types.js';

/** A held slot: release it exactly once. */
export interface Slot {
  release(): void;
}

/** Thrown to callers waiting for a slot when the server shuts down: their work stays in the journal. */
export class GateClosedError extends Error {
  constructor() {
    super('the server is shutting down: the work is left for the next start');
    this.name = 'GateClosedError';
  }
}

/**
 * At most `limit` tasks at once, waiters served first come, first served, and refused once the server shuts down.
 *
 * Each channel has one for its platform calls in flight: since each user's replies go one after another, that is
 * also fair across users, and a process killed mid-burst can repeat at most `limit` sends (those whose answer it
 * never recorded), instead of every send it had started. The dispatcher may have one for the replies it works out
 * at once (see DispatcherOptions.pipelines).
 */
export class Gate {
  private busy = 0;
  private readonly waiting: Array<{ resolve: (slot: Slot) => void; reject: (err: Error) => void }> = [];
  private closed = false;

  constructor(readonly limit: number) {}

  get inFlight(): number {
    return this.busy;
  }

  get queued(): number {
    return this.waiting.length;
  }

  acquire(): Promise<Slot> {
    if (this.closed) return Promise.reject(new GateClosedError());
    if (this.busy < this.limit && this.waiting.length === 0) return Promise.resolve(this.take());
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /**
   * A slot now or nothing, for calls worth making only while the platform is not busy (typing indicators): only when
   * at least half the slots are free, so that replies arriving a moment later still find theirs.
   */
  tryAcquire(): Slot | null {
    return !this.closed && this.busy < this.limit / 2 && this.waiting.length === 0 ? this.take() : null;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const slot = await this.acquire();
    try {
      return await task();
    } finally {
      slot.release();
    }
  }

  /** No new slots: waiters are refused (their work stays journaled), calls in flight finish. */
  close(): void {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.reject(new GateClosedError());
  }

  private take(): Slot {
    this.busy++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.busy--;
        const next = this.waiting.shift();
        if (next) next.resolve(this.take());
      },
    };
  }
}

/**
 * The adapter as officers' replies, surveys and profile lookups use it: every platform call through the channel's
 * gate. (The dispatcher takes slots itself, to hold one until a send is journaled.)
 */
export function gatedAdapter(adapter: ChannelAdapter, gate: Gate): ChannelAdapter {
  return {
    name: adapter.name,
    ...(adapter.holdOnAuthFailure !== undefined ? { holdOnAuthFailure: adapter.holdOnAuthFailure } : {}),
    render: (userId, replies, context) => adapter.render(userId, replies, context),
    send: (message: OutboundMessage) => gate.run(() => adapter.send(message)),
    ...(adapter.typing ? { typing: (userId: string) => typingIfFree(gate, () => adapter.typing!(userId)) } : {}),
    ...(adapter.profile ? { profile: (userId: string) => gate.run(() => adapter.profile!(userId)) } : {}),
  };
}

/** "Typing…" is worth a call only when the platform is not busy: under load the slots go to the replies. */
export async function typingIfFree(gate: Gate, typing: () => Promise<void>): Promise<void> {
  const slot = gate.tryAcquire();
  if (!slot) return;
  try {
    await typing();
  } finally {
    slot.release();
  }
}
