import { LOGIN_THROTTLE, type ThrottleOptions } from '../../web/limits.js';
import type { LoginAttempts } from '../types.js';
import { inTransaction, type Pool } from './pool.js';

const DAY_MS = 24 * 3600_000;
/** How often an instance sweeps keys idle for a day (the in-memory throttle evicts them by size instead). */
const SWEEP_EVERY_MS = 3600_000;

interface AttemptState {
  readonly count: number;
  readonly lastAt: number;
}

export type AttemptDecision = { readonly ok: true; readonly next: AttemptState } | { readonly ok: false; readonly retryAfterMs: number };

/** web/limits.ts LoginThrottle.reserve, as a pure function of the stored state: both stores apply the same rules. */
export function decideAttempt(seen: AttemptState | null, now: number, o: ThrottleOptions = LOGIN_THROTTLE): AttemptDecision {
  // A day without attempts wipes the slate.
  const state = seen && now - seen.lastAt < DAY_MS ? seen : { count: 0, lastAt: 0 };
  if (state.count >= o.freeAttempts) {
    const wait = Math.min(o.baseDelayMs * 2 ** (state.count - o.freeAttempts), o.maxDelayMs);
    if (now - state.lastAt < wait) return { ok: false, retryAfterMs: wait - (now - state.lastAt) };
  }
  return { ok: true, next: { count: state.count + 1, lastAt: now } };
}

/**
 * Failed logins shared by every instance: one row per key, read and updated under its row lock, so parallel
 * attempts on two instances are counted one after the other, exactly as in one process.
 */
export class PostgresLoginAttempts implements LoginAttempts {
  private lastSweep = 0;

  constructor(
    private readonly pool: Pool,
    private readonly options: ThrottleOptions = LOGIN_THROTTLE,
  ) {}

  async reserve(key: string, now: number): Promise<{ ok: true } | { ok: false; retryAfterMs: number }> {
    const decision = await inTransaction(this.pool, async (client) => {
      // The row must exist to be locked: the first attempt of two racing ones creates it, both then queue on it.
      await client.query('INSERT INTO login_attempts (key, count, last_at) VALUES ($1, 0, 0) ON CONFLICT (key) DO NOTHING', [key]);
      const { rows } = await client.query<{ count: number; last_at: number }>('SELECT count, last_at FROM login_attempts WHERE key = $1 FOR UPDATE', [key]);
      const decided = decideAttempt({ count: rows[0]!.count, lastAt: rows[0]!.last_at }, now, this.options);
      if (decided.ok) await client.query('UPDATE login_attempts SET count = $2, last_at = $3 WHERE key = $1', [key, decided.next.count, decided.next.lastAt]);
      return decided;
    });
    this.sweep(now);
    return decision.ok ? { ok: true } : { ok: false, retryAfterMs: decision.retryAfterMs };
  }

  /** The password was right: the reserved attempts are forgiven. */
  async succeeded(key: string): Promise<void> {
    await this.pool.query('DELETE FROM login_attempts WHERE key = $1', [key]);
  }

  /** Keys idle for a day count as new anyway: dropping them keeps the table to the addresses trying now. */
  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    void this.pool.query('DELETE FROM login_attempts WHERE last_at < $1', [now - DAY_MS]).catch(() => undefined);
  }
}
