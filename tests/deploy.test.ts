import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('production build', () => {
  it('npm run build, then start:prod after npm ci --omit=dev: one node process, answers /api/ask, /metrics counts the question', async () => {
    await run('npm', ['run', 'build'], { maxBuffer: 16 * 1024 * 1024 });
    // A production install: the compiled build, the knowledge base, the out-of-scope questions and runtime dependencies only.
    const app = await mkdtemp(path.join(os.tmpdir(), 'prod-'));
    for (const f of ['dist', 'knowledge', 'calibration', 'package.json', 'package-lock.json']) await cp(f, path.join(app, f), { recursive: true });
    await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, maxBuffer: 16 * 1024 * 1024 });
    const child = spawn('npm', ['run', '--silent', 'start:prod'], {
      cwd: app,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', DATA_DIR: path.join(app, 'data'), ENABLE_WEB_CHAT: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d));
    child.stderr!.on('data', (d: Buffer) => (out += d));
    try {
      for (const started = Date.now(); !/"port":(\d+)/.test(out); await new Promise((r) => setTimeout(r, 50))) {
        if (Date.now() - started > 30_000) throw new Error(`did not start:\n${out}`);
      }
      const base = `http://127.0.0.1:${/"port":(\d+)/.exec(out)![1]}`;
      const answer = (await (await fetch(`${base}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hq làm việc t7 ko' }) })).json()) as { decision: string; id: string };
      expect(answer).toMatchObject({ decision: 'answer', id: 'gio-lam-viec' });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^hoanhmo_inbound_events_total\{channel="web",kind="text"\} 1$/m);
      expect(out).toContain('"entries":');
      // No tsx, no loader: the server is plain node running the compiled files.
      const { stdout } = await run('ps', ['-o', 'args=', '-g', String(child.pid)]);
      const nodes = stdout.split('\n').filter((l) => /^\S*node /.test(l));
      expect(nodes).toHaveLength(1);
      expect(nodes[0]).toMatch(/^node --max-semi-space-size=\S+ .*dist\/main\.js$/);
      expect(stdout).not.toMatch(/tsx/);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
    }
  }, 180_000);

  it('the systemd unit starts the same command as npm run start:prod', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> };
    const unit = await readFile('deploy/hoanhmo-bot.service', 'utf8');
    const exec = /^ExecStart=\/usr\/bin\/(node .*)$/m.exec(unit)![1];
    // `VAR=value … node ARGS`: each variable an Environment= line of both units, the same node command.
    const [, assignments, command] = /^((?:\w+=\S+\s+)*)(node .*)$/.exec(pkg.scripts['start:prod']!)!;
    expect(command).toBe(exec);
    const variables = assignments!.trim().split(/\s+/);
    expect(variables).toContain('NODE_ENV=production');
    const template = await readFile('deploy/hoanhmo-bot@.service', 'utf8');
    for (const v of variables) {
      expect(unit).toMatch(new RegExp(`^Environment=${v}$`, 'm'));
      expect(template).toMatch(new RegExp(`^Environment=${v}$`, 'm'));
    }
    expect(/^ExecStart=\/usr\/bin\/env PORT=%i \/usr\/bin\/(node .*)$/m.exec(template)![1]).toBe(exec);
  });
});
