import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { createServer } from '../src/server.js';
import { FakeGraph } from '../tests/helpers/fake-graph.js';

// npm run bench:webhook: the real server (embedded lowdb store and journal in a temp dir) driven over loopback with
// signed Messenger payloads by a separate process, replying to a fake Graph API in this process. Two runs, each on a
// fresh server: the maximum sustained rate (closed loop, 32 connections), then acknowledgement latency at an offered
// 300 messages/s (Meta's Send API cap per page) for 20 s.
const users = 500;
const secret = 'bench-app-secret';
const questions = (await readFile('tests/fixtures/eval/dev.jsonl', 'utf8'))
  .split('\n')
  .filter(Boolean)
  .map((l) => (JSON.parse(l) as { q: string }).q);

async function run(label: string, count: number, concurrency: number, rate: number): Promise<void> {
const graph = await new FakeGraph().start();
// Meta answers a send in about 100 ms: SEND_CONCURRENCY must keep 300 messages/s flowing at that speed.
graph.delayMs = Number(process.env.SEND_API_MS ?? 100);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-webhook-'));
const config = loadConfig({
  DATA_DIR: dataDir,
  KNOWLEDGE_DIR: path.resolve('knowledge'),
  FB_APP_SECRET: secret,
  FB_VERIFY_TOKEN: 'bench',
  FB_PAGE_ACCESS_TOKEN: 'bench-token',
  FB_GRAPH_API_URL: graph.url,
  NODE_ENV: 'production',
});
const server = await createServer(config, silentLogger());
const http = server.app.listen(0, '127.0.0.1');
await new Promise((r) => http.once('listening', r));
const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/webhooks/messenger`;

const started = Date.now();
const { stdout } = await promisify(execFile)(
  process.execPath,
  ['--import', 'tsx', 'bench/webhook-load.ts', url, secret, String(count), String(concurrency), String(users), JSON.stringify(questions), String(rate)],
  { maxBuffer: 64 * 1024 * 1024 },
);
const { latencies, sendMs } = JSON.parse(stdout) as { latencies: number[]; sendMs: number };
await server.dispatcher.idle();
const endToEndMs = Date.now() - started;
const replies = graph.messages.length;
const sorted = latencies.sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1);
process.stdout.write(
  [
    `${label} — ${count} signed Messenger messages from ${users} users, ${rate > 0 ? `offered at ${rate}/s` : `${concurrency} connections`}, Node ${process.version}`,
    `  acknowledged: ${latencies.length} in ${(sendMs / 1000).toFixed(1)} s (${((latencies.length / sendMs) * 1000).toFixed(0)} webhooks/s)`,
    `  ack latency: p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`,
    `  end to end (webhook → reply at the fake Graph API): ${count} messages, ${replies} replies in ${(endToEndMs / 1000).toFixed(1)} s = ${((count / endToEndMs) * 1000).toFixed(0)} messages/s`,
    `  store: ${Object.keys((await server.store.snapshot()).conversations).length} conversations; RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`,
  ].join('\n') + '\n',
);
http.close();
await server.close();
await graph.stop();
}

if (!process.env.ONLY_RATE) await run('Maximum sustained rate', 6000, 32, 0);
await run('Latency at 300 messages/s', 6000, 0, 300);
