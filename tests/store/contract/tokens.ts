import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TokenVault, ZaloTokenRecord } from '../../../src/store/types.js';
import { perTest, type Reopenable } from './harness.js';

export interface TokenVaultHarness extends Reopenable<TokenVault> {
  /** A second vault on the same data at the same time, as another process or instance would open it. */
  another(): Promise<TokenVault>;
}

const EMPTY: ZaloTokenRecord = { accessToken: null, refreshToken: null, accessExpiresAt: 0, refreshedAt: 0, status: 'ok', lastError: null, seededFrom: null };
const pair = (n: number, expiresAt = 1_000_000): ZaloTokenRecord => ({ ...EMPTY, accessToken: `access-${n}`, refreshToken: `refresh-${n}`, accessExpiresAt: expiresAt, refreshedAt: n });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What a refresh does under the lock: re-read, refresh only if still expired (the refresh token is single-use), write.
 * Counts the refresh calls that would reach Zalo.
 */
function refresher(now: number) {
  let calls = 0;
  const refresh = async (vault: TokenVault): Promise<string> =>
    vault.exclusive(async () => {
      const current = await vault.read();
      if (current.accessToken && current.accessExpiresAt > now) return current.accessToken;
      calls++;
      await pause(20);
      const next = pair(calls, now + 90_000_000);
      await vault.write({ ...next, refreshToken: `${current.refreshToken}>${calls}` });
      return next.accessToken!;
    });
  return { refresh, calls: () => calls };
}

export function tokenVaultContract(name: string, open: () => Promise<TokenVaultHarness>): void {
  describe(`TokenVault contract: ${name}`, () => {
    const h = perTest(open, { beforeEach, afterEach });

    it('reads an empty pair before the first write', async () => {
      expect(await h().store.read()).toEqual(EMPTY);
    });

    it('writes the pair durably (reopen) and hands out copies', async () => {
      const { store, reopen } = h();
      await store.write({ ...pair(1), status: 'needs-reauth', lastError: 'Invalid refresh token', seededFrom: 'abc' });
      const read = await store.read();
      read.accessToken = 'changed';
      const again = await reopen();
      expect(await again.read()).toEqual({ ...pair(1), status: 'needs-reauth', lastError: 'Invalid refresh token', seededFrom: 'abc' });
    });

    it('changes its version whenever the pair is written, here or by another handle', async () => {
      const { store, another } = h();
      const other = await another();
      const v0 = await store.version();
      await pause(15); // a file-time marker needs the clock to move
      await store.write(pair(1));
      const v1 = await store.version();
      expect(v1).not.toBe(v0);
      await pause(15);
      await other.write(pair(2));
      const v2 = await store.version();
      expect(v2).not.toBe(v1);
      expect((await store.read()).accessToken).toBe('access-2');
      expect(await store.version()).toBe(v2);
    });

    it('runs one task at a time across handles, returning each result; a failing task releases the lock', async () => {
      const { store, another } = h();
      const other = await another();
      let running = 0;
      let most = 0;
      const task = (n: number) => async () => {
        running++;
        most = Math.max(most, running);
        await pause(5);
        running--;
        return n;
      };
      const failing = store.exclusive(async () => {
        throw new Error('Zalo không trả lời');
      });
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? other : store).exclusive(task(i))));
      await expect(failing).rejects.toThrow('Zalo không trả lời');
      expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(most).toBe(1);
      expect(await store.exclusive(async () => 'after')).toBe('after');
    });

    it('refreshes an expired pair once when many callers on two handles race (they re-read under the lock)', async () => {
      const { store, another } = h();
      const other = await another();
      await store.write(pair(0, 500));
      const { refresh, calls } = refresher(1_000);
      const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => refresh(i % 2 ? other : store)));
      expect(calls()).toBe(1);
      expect(new Set(tokens)).toEqual(new Set(['access-1']));
      expect((await other.read()).refreshToken).toBe('refresh-0>1');
    });
  });
}
