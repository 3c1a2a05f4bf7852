import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityLine, ActivityStore } from '../../../src/store/types.js';
import { perTest, type Reopenable } from './harness.js';

const line = (iso: string, u: string, d: ActivityLine['d'] = 'answer'): ActivityLine => ({ at: Date.parse(iso), ch: 'messenger', u, d, v: 'match', e: d === 'answer' ? 'gio-lam-viec' : null, s: 0.874 });

// 2026-02-28T18:00Z is 1 March in Vietnam (UTC+7): months are Vietnam months, as in the monthly files.
const LINES = [
  line('2026-01-10T02:00:00Z', 'aaa'),
  line('2026-01-20T02:00:00Z', 'bbb', 'escalate'),
  line('2026-02-05T02:00:00Z', 'aaa'),
  line('2026-02-28T18:00:00Z', 'aaa', 'suggest'),
  line('2026-03-15T02:00:00Z', 'bbb'),
];

export function activityContract(name: string, open: () => Promise<Reopenable<ActivityStore>>): void {
  describe(`ActivityStore contract: ${name}`, () => {
    const h = perTest(open, { beforeEach, afterEach });

    it('reads the lines of a time range [from, to) in time order, across a reopen', async () => {
      const { store, reopen } = h();
      await store.append(LINES.slice(0, 2));
      await store.append(LINES.slice(2));
      await store.append([]);
      const again = await reopen();
      expect(await again.read({ from: 0, to: Date.parse('2100-01-01') })).toEqual(LINES);
      expect(await again.read({ from: LINES[1]!.at, to: LINES[3]!.at })).toEqual([LINES[1], LINES[2]]);
      expect(await again.read({ from: 0, to: LINES[0]!.at })).toEqual([]);
    });

    it("rewrites one pseudonym's lines, asking for a mapper per month", async () => {
      const { store } = h();
      await store.append(LINES);
      const months: string[] = [];
      const changed = await store.rewriteUsers({ user: 'aaa' }, (month) => (months.push(month), (u) => (u === 'aaa' ? 'x-gone' : u)));
      expect(changed).toBe(3);
      expect([...months].sort()).toEqual(['2026-01', '2026-02', '2026-03']);
      expect((await store.read({ from: 0, to: Date.parse('2100-01-01') })).map((l) => l.u)).toEqual(['x-gone', 'bbb', 'x-gone', 'x-gone', 'bbb']);
    });

    it('rewrites every pseudonym of the Vietnam months before a month, with that month\'s mapper; unchanged ones do not count', async () => {
      const { store } = h();
      await store.append(LINES);
      const changed = await store.rewriteUsers({ before: '2026-03' }, (month) => (u) => (u === 'bbb' ? u : `${month}/${u}`));
      expect(changed).toBe(2);
      expect((await store.read({ from: 0, to: Date.parse('2100-01-01') })).map((l) => l.u)).toEqual(['2026-01/aaa', 'bbb', '2026-02/aaa', 'aaa', 'bbb']);
    });
  });
}
