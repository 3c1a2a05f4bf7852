import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoginAttempts } from '../../../src/store/types.js';
import { LoginThrottle } from '../../../src/web/limits.js';
import { perTest, type Harness } from './harness.js';

const S = 1_000;
const MIN = 60 * S;
const T0 = Date.parse('2026-06-01T01:00:00Z');

export function loginAttemptsContract(name: string, open: () => Promise<Harness<LoginAttempts>>): void {
  describe(`LoginAttempts contract: ${name}`, () => {
    const h = perTest(open, { beforeEach, afterEach });

    it('allows five attempts, then spaces them out by 30 s doubling up to 15 min', async () => {
      const { store } = h();
      for (let i = 0; i < 5; i++) expect(await store.reserve('an|1.2.3.4', T0)).toEqual({ ok: true });
      expect(await store.reserve('an|1.2.3.4', T0 + 10 * S)).toEqual({ ok: false, retryAfterMs: 20 * S });
      let t = T0 + 30 * S;
      for (const wait of [60 * S, 2 * MIN, 4 * MIN, 8 * MIN, 15 * MIN, 15 * MIN]) {
        expect(await store.reserve('an|1.2.3.4', t)).toEqual({ ok: true });
        expect(await store.reserve('an|1.2.3.4', t)).toEqual({ ok: false, retryAfterMs: wait });
        t += wait;
      }
    });

    it('forgives on success, keeps keys apart, and forgets a key after a quiet day', async () => {
      const { store } = h();
      for (let i = 0; i < 5; i++) await store.reserve('an|1.2.3.4', T0);
      expect((await store.reserve('an|1.2.3.4', T0)).ok).toBe(false);
      expect((await store.reserve('an|5.6.7.8', T0)).ok).toBe(true);
      await store.succeeded('an|1.2.3.4');
      expect((await store.reserve('an|1.2.3.4', T0)).ok).toBe(true);
      for (let i = 0; i < 5; i++) await store.reserve('binh|1.2.3.4', T0);
      expect((await store.reserve('binh|1.2.3.4', T0 + 24 * 60 * MIN - 1)).ok).toBe(true);
      expect((await store.reserve('binh|1.2.3.4', T0 + 48 * 60 * MIN)).ok).toBe(true);
      for (let i = 0; i < 4; i++) expect((await store.reserve('binh|1.2.3.4', T0 + 48 * 60 * MIN)).ok).toBe(true);
      expect((await store.reserve('binh|1.2.3.4', T0 + 48 * 60 * MIN)).ok).toBe(false);
    });

    it('answers exactly as web/limits.ts LoginThrottle over a run of attempts', async () => {
      const { store } = h();
      let now = T0;
      const reference = new LoginThrottle();
      const steps: Array<[number, 'reserve' | 'succeeded']> = [
        [0, 'reserve'], [1, 'reserve'], [1, 'reserve'], [2, 'reserve'], [3, 'reserve'], [3, 'reserve'], [20 * S, 'reserve'],
        [31 * S, 'reserve'], [40 * S, 'reserve'], [95 * S, 'reserve'], [10 * MIN, 'reserve'], [10 * MIN, 'succeeded'],
        [10 * MIN, 'reserve'], [11 * MIN, 'reserve'], [12 * MIN, 'reserve'], [13 * MIN, 'reserve'], [14 * MIN, 'reserve'],
        [14 * MIN + 1, 'reserve'], [30 * 60 * MIN, 'reserve'],
      ];
      for (const [offset, action] of steps) {
        now = T0 + offset;
        if (action === 'succeeded') {
          await reference.succeeded('k');
          await store.succeeded('k');
        } else {
          expect(await store.reserve('k', now)).toEqual(await reference.reserve('k', now));
        }
      }
    });

    it('counts every one of many parallel attempts (counted before the password is checked)', async () => {
      const { store } = h();
      const results = await Promise.all(Array.from({ length: 12 }, () => store.reserve('an|1.2.3.4', T0)));
      expect(results.filter((r) => r.ok)).toHaveLength(5);
    });
  });
}
