import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FakeGraph } from '../tests/helpers/fake-graph.js';
import { FB, signed } from '../tests/helpers/server.js';

// npm run bench:memory: the compiled build started exactly as `npm run start:prod` starts it (one node process),
// then 1,000 conversations through signed Messenger webhooks; RSS read from /proc after the work (and the peak).
// Once with the shipped knowledge base, once with 10,000 entries made from it.
const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> };
const prod = pkg.scripts['start:prod']!;
// `VAR=value … node ARGS`: the variables go into the child's environment, the arguments to node.
const [, assignments = '', args = ''] = /^((?:\w+=\S+\s+)*)node\s+(.*)$/.exec(prod) ?? [];
const prodEnv = Object.fromEntries(assignments.trim().split(/\s+/).filter(Boolean).map((a) => a.split('=', 2) as [string, string]));
const nodeArgs = args.split(/\s+/);

const questions = (await readFile('tests/fixtures/eval/independent.jsonl', 'utf8')).split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { q: string }).q);

/** A knowledge directory of `n` entries: the shipped ones, then copies with a made-up goods name in every question. */
async function knowledgeOf(n: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kb-mem-'));
  await cp(path.resolve('knowledge'), dir, { recursive: true });
  if (n === 0) return dir;
  const files: Array<{ category: string; id: string; text: string }> = [];
  for (const category of await readdir(dir, { withFileTypes: true })) {
    if (!category.isDirectory() || category.name.startsWith('_')) continue;
    for (const f of await readdir(path.join(dir, category.name))) {
      if (f.endsWith('.md')) files.push({ category: category.name, id: f.slice(0, -3), text: await readFile(path.join(dir, category.name, f), 'utf8') });
    }
  }
  let seed = 7;
  const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const syllables = ['ba', 'cam', 'dong', 'hai', 'khoa', 'lan', 'minh', 'nga', 'phu', 'quang', 'son', 'thanh', 'tuan', 'vinh', 'xuan', 'yen'];
  const word = () => syllables[Math.floor(random() * syllables.length)]! + syllables[Math.floor(random() * syllables.length)]!;
  for (let i = files.length; i < n; i++) {
    const base = files[i % files.length]!;
    const id = `${base.id}-s${i}`;
    const goods = `${word()} ${word()}`;
    const text = base.text
      .replace(/^id: .*$/m, `id: ${id}`)
      .replace(/^question: (.*)$/m, (_, q: string) => `question: ${q.replace(/["?]+$/, '')} ${goods}`)
      .replace(/^ {2}- (.*)$/gm, (line, q: string) => (/^ {2}- /.test(line) && !/\d{4}\//.test(q) ? `  - ${q} ${goods}` : line));
    await writeFile(path.join(dir, base.category, `${id}.md`), text);
  }
  return dir;
}

const rssOf = async (pid: number) => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
};

/** V8's heap and external memory, from the server's own /metrics. */
function heapOf(metrics: string): string {
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN) / 1048576;
  return `heap used ${gauge('hoanhmo_nodejs_heap_size_used_bytes').toFixed(0)} of ${gauge('hoanhmo_nodejs_heap_size_total_bytes').toFixed(0)} MB, external ${gauge('hoanhmo_nodejs_external_memory_bytes').toFixed(0)} MB`;
}

async function measure(label: string, entries: number): Promise<void> {
  const graph = await new FakeGraph().start();
  const knowledge = await knowledgeOf(entries);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mem-data-'));
  const started = Date.now();
  const child = spawn(process.execPath, nodeArgs, {
    env: { PATH: process.env.PATH, ...prodEnv, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, KNOWLEDGE_DIR: knowledge, FB_APP_SECRET: FB.appSecret, FB_VERIFY_TOKEN: FB.verifyToken, FB_PAGE_ACCESS_TOKEN: FB.pageToken, FB_GRAPH_API_URL: graph.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (out += d));
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /"port":(\d+)/.exec(out);
      if (m) (clearInterval(timer), resolve(m[1]!));
      if (child.exitCode !== null) (clearInterval(timer), reject(new Error(out)));
    }, 50);
  });
  const loadedMs = Date.now() - started;
  const afterStart = await rssOf(child.pid!);
  const users = 1000;
  const at = Date.now();
  let n = 0;
  const say = async (user: number, text: string) => {
    const body = JSON.stringify({ object: 'page', entry: [{ id: '1', time: at, messaging: [{ sender: { id: `mem-${user}` }, recipient: { id: '1' }, timestamp: at, message: { mid: `m_mem_${++n}`, text } }] }] });
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/messenger`, { method: 'POST', headers: signed(body), body });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  };
  // A conversation: a question, then a second one (or a tapped choice number) a little later.
  for (let u = 0; u < users; u += 25) {
    await Promise.all(Array.from({ length: 25 }, (_, k) => say(u + k, questions[(u + k) % questions.length]!)));
  }
  for (let u = 0; u < users; u += 25) {
    await Promise.all(Array.from({ length: 25 }, (_, k) => say(u + k, (u + k) % 3 === 0 ? '1' : questions[(u + k * 7) % questions.length]!)));
  }
  for (let last = -1; last !== graph.messages.length; ) {
    last = graph.messages.length;
    await new Promise((r) => setTimeout(r, 1500));
  }
  const after = await rssOf(child.pid!);
  const heapAfter = heapOf(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
  // Quiet for a while, as a border gate's bot is most of the day: V8's memory reducer gives back what it can.
  await new Promise((r) => setTimeout(r, 12_000));
  const settled = await rssOf(child.pid!);
  const heap = heapOf(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
  process.stdout.write(
    `${label}: started in ${(loadedMs / 1000).toFixed(1)} s, RSS ${afterStart.rss.toFixed(0)} MB; after ${users} conversations (${n} messages, ${graph.messages.length} replies) RSS ${after.rss.toFixed(0)} MB (${heapAfter}), ${settled.rss.toFixed(0)} MB after 12 s quiet (${heap}), peak ${settled.peak.toFixed(0)} MB\n`,
  );
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await graph.stop();
}

process.stdout.write(`${assignments}node ${nodeArgs.join(' ')} (as npm run start:prod), Node ${process.version}\n`);
if (!process.env.ONLY_10K) await measure(`shipped knowledge base`, 0);
if (!process.env.ONLY_SHIPPED) await measure('10,000 entries', 10_000);
