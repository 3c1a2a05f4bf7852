import { createHmac } from 'node:crypto';
import net from 'node:net';

// Load generator for bench/webhook.ts, run in its own process so it does not share the server's event loop.
// argv: url[,url…] secret count concurrency users questions [rate] [first]  stdout: one JSON line with ack latencies
// (ms) and the CPU the sending took (ms). `first`: the number of the first message (message ids differ from an
// earlier run's: a warm-up).
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

/**
 * Meta builds and signs its requests on its own servers: here every request is made, signed and written out as
 * HTTP/1.1 bytes before the clock starts, and sent on plain keep-alive sockets, so that the stand-in for Meta takes
 * as little as it can of the two cores the servers are measured on (Node's http client cost 0.35 ms per request).
 */
const requests: Buffer[] = Array.from({ length: count }, (_, i) => {
  const body = payload(i);
  const target = targets[i % targets.length]!;
  const signature = `sha256=${createHmac('sha256', secret!).update(body).digest('hex')}`;
  const head = `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\nX-Hub-Signature-256: ${signature}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  return Buffer.from(head + body);
});

/** One keep-alive connection: one request at a time, the answer read by its Content-Length. */
class Connection {
  private readonly socket: net.Socket;
  private received: Buffer = Buffer.alloc(0);
  private pending: { resolve: (status: number) => void; reject: (err: Error) => void } | null = null;

  constructor(target: URL) {
    this.socket = net.connect(Number(target.port), target.hostname);
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.read(chunk));
    this.socket.on('error', (err) => this.pending?.reject(err));
    this.socket.on('close', () => this.pending?.reject(new Error('connection closed')));
  }

  request(bytes: Buffer): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(bytes);
    });
  }

  private read(chunk: Buffer): void {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    const end = this.received.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.received.subarray(0, end).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
    if (Number.isNaN(length)) return this.pending?.reject(new Error(`answer without Content-Length: ${head}`));
    if (this.received.length < end + 4 + length) return;
    this.received = this.received.subarray(end + 4 + length);
    const pending = this.pending!;
    this.pending = null;
    pending.resolve(Number(head.slice(9, 12)));
  }

  close(): void {
    this.socket.end();
  }
}

/** Idle connections per target, opened as needed (at most one per request in flight). */
const idle = targets.map(() => [] as Connection[]);
const opened: Connection[] = [];

async function send(i: number): Promise<number> {
  const t = i % targets.length;
  const connection = idle[t]!.pop() ?? opened[opened.push(new Connection(targets[t]!)) - 1]!;
  const start = process.hrtime.bigint();
  const status = await connection.request(requests[i]!);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  idle[t]!.push(connection);
  if (status !== 200) throw new Error(`HTTP ${status}`);
  return ms;
}

const latencies: number[] = [];
let next = 0;
const started = Date.now();
const cpuAtStart = process.cpuUsage();
if (rate > 0) {
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(send(i).then((ms) => void latencies.push(ms)));
  }
  await Promise.all(pending);
} else {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        latencies.push(await send(i));
      }
    }),
  );
}
const cpu = process.cpuUsage(cpuAtStart);
process.stdout.write(`${JSON.stringify({ latencies, sendMs: Date.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
for (const c of opened) c.close();
