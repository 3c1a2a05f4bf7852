import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Coordination } from '../../../src/store/types.js';
import { eventually, manualClock, perTest, type Harness, type TestClock } from './harness.js';

const DAY = 24 * 3600_000;

/** One instance's view: `open(clock)` gives a Coordination whose job times come from `clock`, with no job run yet. */
export function coordinationContract(name: string, open: (clock: TestClock) => Promise<Harness<Coordination>>): void {
  describe(`Coordination contract: ${name}`, () => {
    const clock = manualClock();
    const h = perTest(() => (clock.set(Date.parse('2026-06-01T20:00:00Z')), open(clock)), { beforeEach, afterEach });

    it('runs a job once per period: not again within it, again after it, each name on its own', async () => {
      const { store } = h();
      let runs = 0;
      const job = async () => void runs++;
      expect(await store.once('retention', DAY, job)).toBe(true);
      expect(runs).toBe(1);
      clock.advance(DAY - 1);
      expect(await store.once('retention', DAY, job)).toBe(false);
      expect(await store.once('backup', DAY, job)).toBe(true);
      expect(runs).toBe(2);
      clock.advance(1);
      expect(await store.once('retention', DAY, job)).toBe(true);
      expect(runs).toBe(3);
    });

    it('runs a job once when called several times at once', async () => {
      const { store } = h();
      let runs = 0;
      const results = await Promise.all(Array.from({ length: 6 }, () => store.once('retention', DAY, async () => void runs++)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(runs).toBe(1);
    });

    it("tells this instance's listeners of a topic, only them, until they unsubscribe", async () => {
      const { store } = h();
      const heard: string[] = [];
      const stopTickets = store.subscribe('tickets', () => heard.push('tickets'));
      store.subscribe('tickets', () => heard.push('tickets-2'));
      store.subscribe('users', () => heard.push('users'));
      await store.publish('tickets');
      await eventually(() => heard.length >= 2);
      expect([...heard].sort()).toEqual(['tickets', 'tickets-2']);
      stopTickets();
      heard.length = 0;
      await store.publish('tickets');
      await store.publish('users');
      await eventually(() => heard.includes('users') && heard.includes('tickets-2'));
      expect(heard).not.toContain('tickets');
    });
  });
}
