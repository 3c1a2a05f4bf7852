import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreConflictError, type DataStore } from '../../../src/store/types.js';
import { session, staff } from './fixtures.js';
import { perTest, type Reopenable } from './harness.js';

export function accountsContract(open: () => Promise<Reopenable<DataStore>>): void {
  describe('accounts and sessions', () => {
    const h = perTest(open, { beforeEach, afterEach });

    it('adds accounts, finds them by id and username, lists them in creation order, across a reopen', async () => {
      const { store, reopen } = h();
      await store.addUser(staff('id-b', 'binh', { role: 'admin' }));
      await store.addUser(staff('id-a', 'an'));
      const again = await reopen();
      expect((await again.users()).map((u) => u.username)).toEqual(['binh', 'an']);
      expect(await again.user('id-a')).toEqual(staff('id-a', 'an'));
      expect((await again.userByName('binh'))?.id).toBe('id-b');
      expect(await again.user('missing')).toBeNull();
      expect(await again.userByName('missing')).toBeNull();
    });

    it('refuses a username already taken (also by concurrent additions) and keeps the first account', async () => {
      const { store } = h();
      await store.addUser(staff('id-1', 'an'));
      await expect(store.addUser(staff('id-2', 'an'))).rejects.toBeInstanceOf(StoreConflictError);
      const results = await Promise.allSettled([store.addUser(staff('id-3', 'chi')), store.addUser(staff('id-4', 'chi'))]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')?.reason).toBeInstanceOf(StoreConflictError);
      expect((await store.users()).map((u) => u.username)).toEqual(['an', 'chi']);
      expect((await store.userByName('an'))?.id).toBe('id-1');
    });

    it('changes the current account; null for a missing one; renaming onto a taken username is refused', async () => {
      const { store } = h();
      await store.addUser(staff('id-1', 'an'));
      await store.addUser(staff('id-2', 'binh'));
      expect(await store.updateUser('id-1', (u) => void (u.disabled = true))).toEqual(staff('id-1', 'an', { disabled: true }));
      expect(await store.updateUser('missing', (u) => void (u.disabled = true))).toBeNull();
      await expect(store.updateUser('id-2', (u) => void (u.username = 'an'))).rejects.toBeInstanceOf(StoreConflictError);
      expect((await store.user('id-2'))?.username).toBe('binh');
      await store.updateUser('id-2', (u) => void (u.username = 'binh2'));
      expect((await store.userByName('binh2'))?.id).toBe('id-2');
      expect(await store.userByName('binh')).toBeNull();
    });

    it('hands out copies of accounts', async () => {
      const { store } = h();
      await store.addUser(staff('id-1', 'an'));
      (await store.user('id-1'))!.role = 'admin';
      (await store.users())[0]!.disabled = true;
      (await store.updateUser('id-1', () => undefined))!.displayName = 'changed';
      expect(await store.user('id-1')).toEqual(staff('id-1', 'an'));
    });

    it('stores, touches and deletes sessions; adding one drops those expired by then', async () => {
      const { store, reopen } = h();
      await store.addSession(session('s-old', { expiresAt: 100 }), 50);
      await store.addSession(session('s-live', { expiresAt: 1_000 }), 60);
      await store.addSession(session('s-new', { expiresAt: 2_000 }), 100);
      expect(await store.session('s-old')).toBeNull();
      expect(await store.session('s-live')).toEqual(session('s-live', { expiresAt: 1_000 }));
      await store.touchSession('s-live', 500);
      await store.deleteSession('s-new');
      const again = await reopen();
      expect((await again.session('s-live'))?.lastSeenAt).toBe(500);
      expect(await again.session('s-new')).toBeNull();
      expect((await again.snapshot()).sessions.map((s) => s.id)).toEqual(['s-live']);
    });
  });
}
