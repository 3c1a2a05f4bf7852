import type { LoginAttempts } from '../store/types.js';

/**
 * In-memory limits on what anonymous visitors can do: login attempts, web chat questions. Each map is bounded by
 * evicting the least recently used key, never by forgetting everyone at once (an attacker filling the map must not
 * reset the counters of the addresses being limited).
 */
export const MAX_KEYS = 10_000;

function touch<V>(map: Map<string, V>, key: string, value: V, maxKeys: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > maxKeys) map.delete(map.keys().next().value!);
}

/** Counts attempts per key in a sliding window (login attempts per address, questions per address). */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: () => number = Date.now,
    private readonly maxKeys = MAX_KEYS,
  ) {}

  /** Records an attempt; false when the key is over its limit. */
  attempt(key: string): boolean {
    const now = this.clock();
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.limit) {
      touch(this.hits, key, recent, this.maxKeys);
      return false;
    }
    recent.push(now);
    touch(this.hits, key, recent, this.maxKeys);
    return true;
  }
}

/** How long a failed attempt is held against an account and address: a day without attempts wipes the slate. */
export const LOGIN_MEMORY_MS = 24 * 3600_000;

export interface ThrottleOptions {
  /** Wrong passwords allowed before attempts are spaced out. */
  readonly freeAttempts: number;
  /** The spacing after the free attempts, doubled with each further failure, up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const LOGIN_THROTTLE: ThrottleOptions = { freeAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 15 * 60_000 };

/** The wait before the next attempt after `count` failures (0 while the free attempts last). */
export function loginDelayMs(count: number, o: ThrottleOptions = LOGIN_THROTTLE): number {
  return count < o.freeAttempts ? 0 : Math.min(o.baseDelayMs * 2 ** (count - o.freeAttempts), o.maxDelayMs);
}

/**
 * Slows password guessing down per account and address, instead of locking the account: someone guessing from
 * elsewhere cannot keep the real owner out. An attempt is counted when it starts, before the password is checked,
 * so parallel guesses are refused as surely as sequential ones.
 */
export class LoginThrottle implements LoginAttempts {
  private readonly failures = new Map<string, { count: number; lastAt: number }>();

  constructor(
    private readonly o: ThrottleOptions = LOGIN_THROTTLE,
    private readonly maxKeys = MAX_KEYS,
  ) {}

  /** Reserves an attempt; when refused, how long to wait. */
  async reserve(key: string, now: number): Promise<{ ok: true } | { ok: false; retryAfterMs: number }> {
    const seen = this.failures.get(key);
    const state = seen && now - seen.lastAt < LOGIN_MEMORY_MS ? seen : { count: 0, lastAt: 0 };
    const wait = loginDelayMs(state.count, this.o);
    if (now - state.lastAt < wait) return { ok: false, retryAfterMs: wait - (now - state.lastAt) };
    touch(this.failures, key, { count: state.count + 1, lastAt: now }, this.maxKeys);
    return { ok: true };
  }

  /** The password was right: the reserved attempts are forgiven. */
  async succeeded(key: string): Promise<void> {
    this.failures.delete(key);
  }
}
