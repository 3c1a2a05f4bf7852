import { afterEach, describe, expect, it, vi } from 'vitest';
import { idleCollector } from '../src/idle-collector.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('idleCollector', () => {
  it('collects once traffic pauses after a burst, not during it', () => {
    vi.useFakeTimers();
    const gc = vi.fn();
    const collector = idleCollector(gc, { quietMs: 1000, afterRequests: 10 });
    for (let i = 0; i < 30; i++) {
      collector.activity();
      vi.advanceTimersByTime(100);
    }
    expect(gc).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(gc).toHaveBeenCalledTimes(2);
    // The next collection waits for the next burst.
    collector.activity();
    vi.advanceTimersByTime(5000);
    expect(gc).toHaveBeenCalledTimes(2);
  });

  it('leaves a trickle of requests alone, and stops', () => {
    vi.useFakeTimers();
    const gc = vi.fn();
    const collector = idleCollector(gc, { quietMs: 1000, afterRequests: 10 });
    for (let i = 0; i < 9; i++) collector.activity();
    vi.advanceTimersByTime(5000);
    expect(gc).not.toHaveBeenCalled();
    collector.activity();
    collector.stop();
    vi.advanceTimersByTime(5000);
    expect(gc).not.toHaveBeenCalled();
  });
});
