/**
 * How late this process's timers fire: a cheap measure of a busy event loop. When processing takes every cycle, the
 * webhooks' acknowledgements wait behind it; the dispatcher then claims no new users for a moment (their events are
 * stored and wait in the queue), so that acknowledging stays fast under more load than the process can answer.
 */
export class LoopLag {
  private lagMs = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs = 10) {}

  start(): this {
    const tick = (expected: number) => {
      this.timer = setTimeout(() => {
        const now = performance.now();
        // A moving average: one slow callback is not a busy loop.
        this.lagMs = 0.7 * this.lagMs + 0.3 * Math.max(0, now - expected);
        tick(now + this.intervalMs);
      }, this.intervalMs);
      this.timer.unref();
    };
    tick(performance.now() + this.intervalMs);
    return this;
  }

  get current(): number {
    return this.lagMs;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
