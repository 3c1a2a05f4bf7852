import { describe, expect, it } from 'vitest';
import { LoopLag } from '../../src/dispatch/loop-lag.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('LoopLag', () => {
  it('rises while callbacks hold the event loop, and falls back when it is free', async () => {
    const lag = new LoopLag(5).start();
    try {
      await wait(50);
      const calm = lag.current;
      for (let i = 0; i < 5; i++) {
        const until = performance.now() + 40;
        while (performance.now() < until); // a busy loop: timers fire late
        await wait(0);
      }
      await wait(10);
      const busy = lag.current;
      expect(busy).toBeGreaterThan(10);
      expect(busy).toBeGreaterThan(calm);
      await wait(300);
      expect(lag.current).toBeLessThan(busy / 4);
    } finally {
      lag.stop();
    }
  });
});
