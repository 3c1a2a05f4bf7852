import path from 'node:path';
import request from 'supertest';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { createServer } from '../src/server.js';
import { openPostgresStores } from '../src/store/open.js';
import { FakeGraph } from '../tests/helpers/fake-graph.js';
import { createDatabase, startPostgres } from '../tests/helpers/postgres.js';
import { FB, signed } from '../tests/helpers/server.js';

const counts = new Map<string, number>();
const orig = pg.Client.prototype.query;
(pg.Client.prototype as any).query = function (this: unknown, ...args: any[]) {
  const text = typeof args[0] === 'string' ? args[0] : args[0]?.text ?? '?';
  const key = String(text).replace(/\s+/g, ' ').slice(0, 70);
  counts.set(key, (counts.get(key) ?? 0) + 1);
  return (orig as any).apply(this, args);
};
const cluster = await startPostgres();
const db = await createDatabase(cluster.url, 'probe');
const graph = await new FakeGraph().start();
const config = loadConfig({ DATABASE_URL: db, KNOWLEDGE_DIR: path.resolve('knowledge'), FB_APP_SECRET: FB.appSecret, FB_VERIFY_TOKEN: 'x', FB_PAGE_ACCESS_TOKEN: 'y', FB_GRAPH_API_URL: graph.url, NODE_ENV: 'production' });
const stores = await openPostgresStores(db, { logger: silentLogger() });
const server = await createServer(config, silentLogger(), { stores });
counts.clear();
const N = 100;
const t0 = Date.now();
for (let i = 0; i < N; i++) {
  const at = Date.now();
  const body = JSON.stringify({ object: 'page', entry: [{ id: '1', time: at, messaging: [{ sender: { id: `p-${i % 50}` }, recipient: { id: '1' }, timestamp: at, message: { mid: `m_p_${i}`, text: 'thủ tục hoàn thuế nhập khẩu' } }] }] });
  await request(server.app).post('/webhooks/messenger').set(signed(body)).send(body);
}
await server.dispatcher.idle();
console.log('ms', Date.now() - t0);
let total = 0;
for (const [k, v] of [...counts].sort((a, b) => b[1] - a[1])) { total += v; console.log(String(v / N).padStart(6), k); }
console.log('per message', total / N);
await server.close();
await graph.stop();
await cluster.stop();
