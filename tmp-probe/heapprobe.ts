import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { createServer } from '../src/server.js';
import { FakeGraph } from '../tests/helpers/fake-graph.js';
import { FB, signed } from '../tests/helpers/server.js';
import { readFile } from 'node:fs/promises';
const gc = (globalThis as any).gc as () => void;
const mb = (n: number) => (n / 1048576).toFixed(1);
const show = (label: string) => { gc(); gc(); const m = process.memoryUsage(); console.log(label, 'heapUsed', mb(m.heapUsed), 'heapTotal', mb(m.heapTotal), 'rss', mb(m.rss), 'external', mb(m.external), 'ab', mb(m.arrayBuffers)); };
show('baseline');
const graph = await new FakeGraph().start();
const config = loadConfig({ DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'hp-')), KNOWLEDGE_DIR: '/work/main/knowledge', FB_APP_SECRET: FB.appSecret, FB_VERIFY_TOKEN: FB.verifyToken, FB_PAGE_ACCESS_TOKEN: FB.pageToken, FB_GRAPH_API_URL: graph.url, NODE_ENV: 'production' });
const server = await createServer(config, silentLogger());
show('after start');
const questions = (await readFile('/work/main/tests/fixtures/eval/independent.jsonl', 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l).q);
let n = 0; const at = Date.now();
for (let u = 0; u < 1000; u++) {
  for (const text of [questions[u % questions.length], u % 3 === 0 ? '1' : questions[(u * 7) % questions.length]]) {
    const body = JSON.stringify({ object: 'page', entry: [{ id: '1', time: at, messaging: [{ sender: { id: `hp-${u}` }, recipient: { id: '1' }, timestamp: at, message: { mid: `m_hp_${++n}`, text } }] }] });
    await request(server.app).post('/webhooks/messenger').set(signed(body)).send(body);
  }
  if (u % 100 === 0) await server.dispatcher.idle();
}
await server.dispatcher.idle();
graph.requests.length = 0;
show('after 1000 conversations');
console.log('db.json conversations', Object.keys(server.store.data.conversations).length, 'json bytes', JSON.stringify(server.store.data).length);
await server.close();
await graph.stop();
