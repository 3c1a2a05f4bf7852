import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Logs: JSON lines when stdout is not a terminal (journald, files), readable lines for a person at a terminal.
const run = (format: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', '-e', `import('./src/log.ts').then(({ createLogger }) => { createLogger('info', 1, '${format}').info({ access_token: 'tok-SECRET-1', n: 3 }, 'xin chào'); })`], { encoding: 'utf8' });

describe('logs', () => {
  it('are JSON lines when stdout is not a terminal, and redact secrets', () => {
    const out = run('auto').stdout.trim();
    expect(JSON.parse(out)).toMatchObject({ level: 30, msg: 'xin chào', n: 3, access_token: '[ẩn]' });
  });

  it('are readable lines in pretty mode (what a terminal gets), still redacted', () => {
    const out = run('pretty').stdout;
    expect(out).toMatch(/INFO.*xin chào/);
    expect(() => JSON.parse(out)).toThrow();
    expect(out).not.toContain('tok-SECRET-1');
  });
});
