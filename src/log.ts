import { createRequire } from 'node:module';
import { isatty } from 'node:tty';
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

/**
 * Secrets never reach the log: these paths are censored wherever they appear in a logged object. Code must still
 * not log tokens on purpose; this is the safety net (an axios error carries its request config, for example).
 */
const REDACT = [
  'access_token', '*.access_token', '*.*.access_token', 'refresh_token', '*.refresh_token', '*.*.refresh_token',
  'appsecret_proof', '*.appsecret_proof', 'headers.access_token', '*.headers.access_token', 'headers.secret_key',
  '*.headers.secret_key', 'headers.authorization', '*.headers.authorization', 'headers.cookie', '*.headers.cookie',
  'password', '*.password', 'secret', '*.secret', 'config.params.access_token', 'err.config', '*.config.headers',
];

/**
 * Server logs go to stdout; command-line tools pass fd 2 so their stdout stays machine-readable. A person watching
 * a terminal reads short coloured lines; anything else (journald, a file, a pipe) gets JSON lines.
 */
export function createLogger(level: LogLevel, fd: 1 | 2 = 1, format: 'auto' | 'json' | 'pretty' = 'auto'): Logger {
  const options = { level, redact: { paths: REDACT, censor: '[ẩn]' }, base: undefined };
  if (format === 'pretty' || (format === 'auto' && isatty(fd))) {
    // Loaded only for a terminal: a service writing JSON to journald does not carry the pretty-printer.
    const { build } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
    return pino(options, build({ destination: fd, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }));
  }
  return pino(options, pino.destination({ fd, sync: fd === 2 }));
}

/** A logger that discards everything: tests and tools that print their own output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
