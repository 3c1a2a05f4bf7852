import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * The quick start's `npm start`, as a new user runs it: the real entry point in its own process, on embedded
 * defaults, with no platform credentials and a data directory that does not exist yet.
 */
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children) c.kill('SIGKILL');
  children.length = 0;
});

function start(dataDir: string): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir };
  // node itself (not the tsx wrapper), so that signals reach the server.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function until<T>(get: () => T | undefined, ms = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm start', () => {
  it('starts without credentials in a new data directory, reports disabled channels, refuses a second server, stops cleanly', async () => {
    const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'start-')), 'data');
    const server = start(dataDir);
    const port = await until(() => /"port":(\d+)/.exec(server.output())?.[1]);
    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status: string; channels: Record<string, { enabled: boolean }> };
    expect(health.status).toBe('ok');
    expect(health.channels.messenger!.enabled).toBe(false);
    expect(health.channels.zalo!.enabled).toBe(false);
    expect(server.output()).toContain('channel messenger: disabled');

    const second = start(dataDir);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('đang dùng thư mục dữ liệu');

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    await expect(access(path.join(dataDir, 'server.pid'))).rejects.toThrow();
    await access(path.join(dataDir, 'db.json'));
  }, 40_000);
});
