import http from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killChildServers, startChildServer } from '../helpers/child-server.js';

afterEach(() => killChildServers());

describe('the HTTP server behind a reverse proxy', () => {
  it('keeps idle connections longer than Caddy keeps its upstream ones (2 minutes), and says so', async () => {
    const base = await startChildServer({ DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'keep-alive-')) }).base;
    const agent = new http.Agent({ keepAlive: true });
    const headers = await new Promise<http.IncomingHttpHeaders>((resolve, reject) =>
      http
        .get(`${base}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.headers));
        })
        .on('error', reject),
    );
    agent.destroy();
    // Node's default is 5 s: a proxy reusing a connection the server is closing gets a reset and answers 502.
    const timeout = Number(/timeout=(\d+)/.exec(String(headers['keep-alive'] ?? ''))?.[1]);
    expect(timeout).toBeGreaterThan(120);
  });
});
