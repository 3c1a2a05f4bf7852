import { spawn, type ChildProcess } from 'node:child_process';

/** The real entry point (src/main.ts) in its own process, as `npm start` runs it, with exactly this environment. */
export interface ChildServer {
  readonly child: ChildProcess;
  /** Resolves with http://127.0.0.1:<port> once the server listens. */
  readonly base: Promise<string>;
  readonly exited: Promise<number | null>;
  output(): string;
}

const running = new Set<ChildProcess>();

export function startChildServer(env: NodeJS.ProcessEnv, timeoutMs = 30_000): ChildServer {
  // node itself (not the tsx wrapper), so that signals reach the server.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const base = (async () => {
    for (const started = Date.now(); ; await new Promise((r) => setTimeout(r, 30))) {
      const port = /"port":(\d+)/.exec(out)?.[1];
      if (port) return `http://127.0.0.1:${port}`;
      if (child.exitCode !== null || Date.now() - started > timeoutMs) throw new Error(`server did not start:\n${out}`);
    }
  })();
  return { child, base, exited, output: () => out };
}

/** Kills every child server still running (afterEach). */
export function killChildServers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Polls until `get` returns a value, failing after `ms`. */
export async function until<T>(get: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}
