import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { killChildServers, startChildServer } from '../tests/helpers/child-server.js';
import { createDatabase, startPostgres } from '../tests/helpers/postgres.js';
import { cpuByPid, cpuSince, postgresPids } from './cpu.js';
import { FakeSendApi } from './fake-send-api.js';

// npm run bench:webhook: the real entry point in a process of its own (as in production), signed Messenger payloads
// over loopback from a separate process (signed before the clock starts), replies to a fake Graph API (in this
// process, plain node:http) answering in SEND_API_MS (100 ms). CPU per message is read from /proc for the servers,
// PostgreSQL, the load generator and the fake API. Each scenario on a fresh server, after a warm-up of WARM_UP
// messages: the maximum sustained rate (closed loop, 32 connections), then acknowledgement latency at an offered 300
// messages/s (Meta's Send API cap per page) for 20 s. First one instance on the embedded store, then two instances
// (the real entry point, two processes) sharing a throwaway PostgreSQL, the load spread over both.
// ONLY=lowdb|postgres, ONLY_RATE=1 to skip the maximum.
const users = 500;
/** Messages sent (and answered) before each measured run. */
const WARM_UP = 1500;
const secret = 'bench-app-secret';
const questions = (await readFile('tests/fixtures/eval/dev.jsonl', 'utf8'))
  .split('\n')
  .filter(Boolean)
  .map((l) => (JSON.parse(l) as { q: string }).q);

interface Instances {
  readonly urls: string[];
  /** Resolves when every acknowledged message has its replies (the fake API has seen nothing new for a while). */
  idle(): Promise<void>;
  /** The processes serving the load (servers, database), for CPU accounting. */
  pids(): Promise<{ servers: number[]; database: number[] }>;
  describe(): Promise<string>;
  close(): Promise<void>;
}

/** Servers as production runs them: the real entry point in processes of their own, the fake API in this one. */
async function servers(graph: FakeSendApi, env: Record<string, string>, count: number, label: string): Promise<Instances> {
  const bases: string[] = [];
  const children: number[] = [];
  for (let i = 0; i < count; i++) {
    const server = startChildServer({ NODE_ENV: 'production', LOG_LEVEL: 'info', FB_APP_SECRET: secret, FB_VERIFY_TOKEN: 'bench', FB_PAGE_ACCESS_TOKEN: 'bench-token', FB_GRAPH_API_URL: graph.url, ...env });
    bases.push(await server.base);
    children.push(server.child.pid!);
  }
  return {
    urls: bases.map((base) => `${base}/webhooks/messenger`),
    async idle() {
      for (let last = -1; last !== graph.replies; ) {
        last = graph.replies;
        await new Promise((r) => setTimeout(r, 1000));
      }
    },
    pids: async () => ({ servers: children, database: env.DATABASE_URL ? await postgresPids(env.DATABASE_URL) : [] }),
    describe: async () => label,
    async close() {
      killChildServers();
    },
  };
}

async function embedded(graph: FakeSendApi): Promise<Instances> {
  return servers(graph, { DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'bench-webhook-')) }, 1, 'one instance, embedded store (lowdb)');
}

async function twoOnPostgres(graph: FakeSendApi, clusterUrl: string, n: number): Promise<Instances> {
  return servers(graph, { DATABASE_URL: await createDatabase(clusterUrl, `bench_webhook_${n}`) }, 2, 'two instances (two processes), one PostgreSQL database');
}

async function run(label: string, open: (graph: FakeSendApi) => Promise<Instances>, count: number, concurrency: number, rate: number): Promise<void> {
  const graph = await new FakeSendApi().start();
  // Meta answers a send in about 100 ms: SEND_CONCURRENCY must keep 300 messages/s flowing at that speed.
  graph.delayMs = Number(process.env.SEND_API_MS ?? 100);
  const instances = await open(graph);
  const load = (n: number, first: number) =>
    promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bench/webhook-load.ts', instances.urls.join(','), secret, String(n), String(concurrency), String(users), JSON.stringify(questions), String(rate), String(first)],
      { maxBuffer: 64 * 1024 * 1024 },
    );
  // A server in production has run for a while: the first seconds after a start (code not yet optimised by V8,
  // caches empty) are a warm-up, run and drained before measuring.
  await load(WARM_UP, count);
  await instances.idle();
  const before = graph.replies;
  const cpu = async () => {
    const { servers: serverPids, database } = await instances.pids();
    return { servers: cpuByPid(serverPids), database: cpuByPid(database), fake: process.cpuUsage() };
  };
  const cpuBefore = await cpu();
  const started = Date.now();
  const { stdout } = await load(count, 0);
  const { latencies, sendMs, cpuMs: loadCpuMs } = JSON.parse(stdout) as { latencies: number[]; sendMs: number; cpuMs: number };
  await instances.idle();
  const cpuAfter = await cpu();
  const fakeUs = process.cpuUsage(cpuBefore.fake);
  const perMessage = (ms: number) => `${(ms / count).toFixed(2)} ms`;
  // The stability wait is not work: end to end is when the last reply arrived.
  const endToEndMs = (graph.lastAt || Date.now()) - started;
  const sorted = latencies.sort((x, y) => x - y);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1);
  process.stdout.write(
    [
      `${label} — ${count} signed Messenger messages from ${users} users, ${rate > 0 ? `offered at ${rate}/s` : `${concurrency} connections`}, Node ${process.version}`,
      `  acknowledged: ${latencies.length} in ${(sendMs / 1000).toFixed(1)} s (${((latencies.length / sendMs) * 1000).toFixed(0)} webhooks/s)`,
      `  ack latency: p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`,
      `  end to end (webhook → reply at the fake Graph API): ${count} messages, ${graph.replies - before} replies in ${(endToEndMs / 1000).toFixed(1)} s = ${((count / endToEndMs) * 1000).toFixed(0)} messages/s`,
      `  CPU per message: servers ${perMessage(cpuSince(cpuBefore.servers, cpuAfter.servers))}${cpuAfter.database.size > 0 ? `, PostgreSQL ${perMessage(cpuSince(cpuBefore.database, cpuAfter.database))}` : ''}, load generator ${perMessage(loadCpuMs)}, fake API ${perMessage((fakeUs.user + fakeUs.system) / 1000)}`,
      `  ${await instances.describe()}`,
    ].join('\n') + '\n',
  );
  await instances.close();
  await graph.stop();
}

const only = process.env.ONLY;
if (only !== 'postgres') {
  if (!process.env.ONLY_RATE) await run('Embedded store, maximum sustained rate', embedded, 6000, 32, 0);
  await run('Embedded store, latency at 300 messages/s', embedded, 6000, 0, 300);
}
if (only !== 'lowdb') {
  const cluster = await startPostgres();
  try {
    if (!process.env.ONLY_RATE) await run('PostgreSQL, two instances, maximum sustained rate', (g) => twoOnPostgres(g, cluster.url, 1), 6000, 32, 0);
    await run('PostgreSQL, two instances, latency at 300 messages/s', (g) => twoOnPostgres(g, cluster.url, 2), 6000, 0, 300);
  } finally {
    killChildServers();
    await cluster.stop();
  }
}
