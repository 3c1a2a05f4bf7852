import type { Coordination } from './types.js';

/** Coordination for the embedded store: one process, so "every instance" is this one. */
export class LocalCoordination implements Coordination {
  private readonly lastRun = new Map<string, number>();
  private readonly listeners = new Map<string, Set<() => void>>();

  constructor(private readonly clock: () => number = Date.now) {}

  async once(name: string, periodMs: number, task: () => Promise<void>): Promise<boolean> {
    const last = this.lastRun.get(name);
    const now = this.clock();
    if (last !== undefined && now - last < periodMs) return false;
    this.lastRun.set(name, now);
    try {
      await task();
    } catch (err) {
      // A failed run may be retried before the period is over.
      this.lastRun.delete(name);
      throw err;
    }
    return true;
  }

  async publish(topic: string): Promise<void> {
    for (const listener of this.listeners.get(topic) ?? []) listener();
  }

  subscribe(topic: string, listener: () => void): () => void {
    const set = this.listeners.get(topic) ?? new Set();
    set.add(listener);
    this.listeners.set(topic, set);
    return () => set.delete(listener);
  }
}
