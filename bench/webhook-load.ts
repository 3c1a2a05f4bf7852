import { createHmac } from 'node:crypto';
import http from 'node:http';

// Load generator for bench/webhook.ts, run in its own process so it does not share the server's event loop.
// argv: url[,url…] secret count concurrency users questions [rate] [first]  stdout: one JSON line with ack latencies
// (ms). `first`: the number of the first message (message ids differ from an earlier run's: a warm-up).
// Several URLs (instances behind a load balancer): request i goes to URL i mod n.
// Without a rate: closed loop, `concurrency` requests always in flight (measures the maximum). With a rate: open
// loop, a request every 1/rate s whatever the answers (measures latency at that offered load).
const [url, secret, countArg, concurrencyArg, usersArg, questionsJson, rateArg, firstArg] = process.argv.slice(2);
const first = Number(firstArg ?? 0);
const rate = rateArg ? Number(rateArg) : 0;
const count = Number(countArg);
const concurrency = Number(concurrencyArg);
const users = Number(usersArg);
const questions: string[] = JSON.parse(questionsJson ?? '[]');
const agent = new http.Agent({ keepAlive: true, maxSockets: rate > 0 ? 256 : concurrency });
const targets = url!.split(',').map((u) => new URL(u));
const now = Date.now();

function payload(n: number): string {
  const i = n + first;
  const user = String(5_000_000_000_000_000 + (i % users));
  const text = questions[i % questions.length]!;
  // Escaped the way Meta sends it (\uXXXX), to exercise raw-body signature checking.
  const json = JSON.stringify({
    object: 'page',
    entry: [{ id: '104857600000001', time: now + i, messaging: [{ sender: { id: user }, recipient: { id: '104857600000001' }, timestamp: now + i, message: { mid: `m_bench_${i}`, text } }] }],
  });
  return json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function send(body: string, i: number): Promise<number> {
  const target = targets[i % targets.length]!;
  const signature = `sha256=${createHmac('sha256', secret!).update(body).digest('hex')}`;
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - start) / 1e6) : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const latencies: number[] = [];
let next = 0;
const started = Date.now();
if (rate > 0) {
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(send(payload(i), i).then((ms) => void latencies.push(ms)));
  }
  await Promise.all(pending);
} else {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        latencies.push(await send(payload(i), i));
      }
    }),
  );
}
process.stdout.write(`${JSON.stringify({ latencies, sendMs: Date.now() - started })}\n`);
agent.destroy();
