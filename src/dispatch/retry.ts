import { SendError } from '../channels/types.js';
import { GateClosedError } from './gate.js';

export interface RetryPolicy {
  readonly attempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 500, maxMs: 15_000 };

/** Exponential backoff with full jitter: attempt n waits a random time up to base·2ⁿ (capped). */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(policy.maxMs, policy.baseMs * 2 ** attempt));
}

/**
 * Runs a send, retrying retryable SendErrors (and unexpected errors, treated as transient) with backoff.
 * Non-retryable failures are thrown at once, as is a shutdown; the last error is thrown when attempts run out.
 */
export async function withRetry<T>(
  send: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  onRetry?: (err: SendError, attempt: number) => void,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (raw) {
      if (raw instanceof GateClosedError) throw raw;
      const err = raw instanceof SendError ? raw : new SendError('transient', (raw as Error)?.message ?? String(raw));
      if (!err.retryable || attempt + 1 >= policy.attempts) throw err;
      onRetry?.(err, attempt + 1);
      await sleep(backoffMs(policy, attempt));
    }
  }
}
