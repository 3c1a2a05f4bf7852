import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraph } from '../helpers/fake-graph.js';
import { killChildServers, startChildServer, until } from '../helpers/child-server.js';
import { messengerEnv, signed } from '../helpers/server.js';

/**
 * The issue's crash measurement as a test: 480 acknowledged Messenger messages (one per user) with the Send API
 * answering in 300 ms, then the server process killed (SIGKILL, or SIGTERM) right after the last acknowledgement,
 * and restarted on the same data directory. Every user must get their answer; with bounded sending at most
 * SEND_CONCURRENCY of them may get it twice after a SIGKILL, none after a SIGTERM.
 */
const USERS = 480;
const CONCURRENCY = 48;
let graph: FakeGraph;
beforeAll(async () => {
  graph = await new FakeGraph().start();
  graph.delayMs = 300;
});
afterAll(async () => {
  await graph.stop();
});
afterEach(() => {
  killChildServers();
  graph.requests.length = 0;
  graph.maxInFlight = 0;
});

function serve(dataDir: string) {
  const server = startChildServer({
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    ...messengerEnv(graph.url),
    SEND_CONCURRENCY: String(CONCURRENCY),
  });
  return { ...server, port: server.base.then((b) => b.split(':').pop()!) };
}

async function backlog(port: string): Promise<void> {
  const at = Date.now();
  const post = async (i: number) => {
    const body = JSON.stringify({ object: 'page', entry: [{ id: '1', time: at, messaging: [{ sender: { id: `crash-${i}` }, recipient: { id: '1' }, timestamp: at, message: { mid: `m_crash_${i}`, text: 'thủ tục hoàn thuế nhập khẩu' } }] }] });
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/messenger`, { method: 'POST', headers: signed(body), body });
    expect(res.status).toBe(200);
  };
  for (let i = 0; i < USERS; i += 60) await Promise.all(Array.from({ length: Math.min(60, USERS - i) }, (_, k) => post(i + k)));
}

/** Per user: how many times the answer arrived. */
function answersPerUser(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of graph.messages) {
    const user = (m.body.recipient as { id: string }).id;
    if ((m.body.message as { text: string }).text.includes('Căn cứ')) counts.set(user, (counts.get(user) ?? 0) + 1);
  }
  return counts;
}

describe('a crash with a backlog of replies', () => {
  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`${signal} right after the last acknowledgement: nothing lost, ${signal === 'SIGKILL' ? `at most ${CONCURRENCY} repeated` : 'nothing repeated'}`, async () => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'crash-'));
      const first = serve(dataDir);
      await backlog(await first.port);
      first.child.kill(signal);
      await first.exited;
      const before = answersPerUser().size;
      expect(before).toBeLessThan(USERS); // the kill really interrupted the backlog

      const second = serve(dataDir);
      await second.port;
      await until(() => (answersPerUser().size === USERS ? true : undefined), 60_000);
      await new Promise((r) => setTimeout(r, 700)); // let any late duplicate arrive
      const repeated = [...answersPerUser().values()].filter((n) => n > 1).length;
      console.log(`${signal}: answered before the kill ${before}, repeated ${repeated}, most in flight ${graph.maxInFlight}`);
      expect(answersPerUser().size).toBe(USERS);
      if (signal === 'SIGKILL') expect(repeated).toBeLessThanOrEqual(CONCURRENCY);
      else expect(repeated).toBe(0);
      expect(graph.maxInFlight).toBeLessThanOrEqual(CONCURRENCY);
      second.child.kill('SIGTERM');
      await second.exited;
    }, 120_000);
  }
});
