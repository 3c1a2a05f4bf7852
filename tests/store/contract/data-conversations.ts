import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataStore } from '../../../src/store/types.js';
import { perTest, type Reopenable } from './harness.js';

export function conversationsContract(open: () => Promise<Reopenable<DataStore>>): void {
  describe('conversations', () => {
    const h = perTest(open, { beforeEach, afterEach });

    it('reads null for a user never seen; a change starts the conversation empty and stores it', async () => {
      const { store } = h();
      expect(await store.conversation('messenger', 'psid-1')).toBeNull();
      const record = await store.updateConversation('messenger', 'psid-1', (r) => {
        r.displayName = 'Trần Thị Bình';
        r.lastUserMessageAt = 5_000;
        r.transcript.push({ at: 5_000, from: 'user', text: 'xin chào' });
      });
      const expected = { channel: 'messenger', userId: 'psid-1', displayName: 'Trần Thị Bình', state: { awaiting: null, at: 0 }, lastUserMessageAt: 5_000, transcript: [{ at: 5_000, from: 'user', text: 'xin chào' }], pausedUntil: 0 };
      expect(record).toEqual(expected);
      expect(await store.conversation('messenger', 'psid-1')).toEqual(expected);
      // One per channel and user: the same id on another channel is someone else.
      expect(await store.conversation('zalo', 'psid-1')).toBeNull();
      expect(await store.conversation('messenger', 'psid-2')).toBeNull();
    });

    it('applies each change to the current record, and the data survives a reopen (lazy changes after flush)', async () => {
      const { store, reopen } = h();
      await store.updateConversation('zalo', 'z-1', (r) => void (r.pausedUntil = 9_000));
      await store.updateConversation('zalo', 'z-1', (r) => void r.transcript.push({ at: 6_000, from: 'bot', text: 'Dạ, cơ quan làm việc từ thứ Hai đến thứ Sáu.' }), { lazy: true });
      await store.flush();
      const again = await reopen();
      const record = await again.conversation('zalo', 'z-1');
      expect(record?.pausedUntil).toBe(9_000);
      expect(record?.transcript.map((i) => i.from)).toEqual(['bot']);
    });

    it('hands out copies: changing a returned record changes nothing stored', async () => {
      const { store } = h();
      const returned = await store.updateConversation('web', 'w-1', (r) => void (r.displayName = 'An'));
      returned.displayName = 'changed';
      returned.transcript.push({ at: 1, from: 'user', text: 'not stored' });
      const read = (await store.conversation('web', 'w-1'))!;
      read.pausedUntil = 123;
      expect(await store.conversation('web', 'w-1')).toMatchObject({ displayName: 'An', transcript: [], pausedUntil: 0 });
    });

    it('loses none of many concurrent changes to one conversation', async () => {
      const { store } = h();
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.updateConversation('web', 'busy', (r) => void r.transcript.push({ at: i, from: 'user', text: `tin ${i}` }))));
      const record = await store.conversation('web', 'busy');
      expect(record?.transcript.map((t) => t.at).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });
  });
}
