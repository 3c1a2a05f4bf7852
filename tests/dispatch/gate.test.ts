import { describe, expect, it } from 'vitest';
import { GateClosedError, Gate } from '../../src/dispatch/gate.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Gate', () => {
  it('lets at most `limit` calls run, serves waiters first come first served, refuses waiters once closed', async () => {
    const gate = new Gate(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const release: Array<() => void> = [];
    const task = (n: number) =>
      gate.run(async () => {
        most = Math.max(most, ++running);
        order.push(n);
        await new Promise<void>((r) => release.push(r));
        running--;
      });
    const all = [1, 2, 3, 4, 5].map(task);
    await tick();
    expect([gate.inFlight, gate.queued]).toEqual([2, 3]);
    expect(gate.tryAcquire()).toBeNull();
    release.shift()!();
    await tick();
    await tick();
    expect(order).toEqual([1, 2, 3]);
    gate.close();
    await expect(all[3]).rejects.toBeInstanceOf(GateClosedError);
    await expect(all[4]).rejects.toBeInstanceOf(GateClosedError);
    while (release.length) release.shift()!();
    await Promise.all(all.slice(0, 3));
    expect(most).toBe(2);
    expect(gate.inFlight).toBe(0);
    await expect(gate.acquire()).rejects.toBeInstanceOf(GateClosedError);
  });
});
