/**
 * What a contract suite needs from an implementation: a store opened on fresh, empty data for each test, and a way
 * to close everything it opened. The suites only use the interfaces of src/store/types.ts, so the same tests run
 * against the embedded store and PostgreSQL.
 */
export interface Harness<T> {
  readonly store: T;
  /** Closes the store and everything opened since (reopened stores, second handles). */
  close(): Promise<void>;
}

/** A store whose data outlives it: `reopen` opens the same data again, as after a restart (use only the new one). */
export interface Reopenable<T> extends Harness<T> {
  reopen(): Promise<T>;
}

/** A test clock the suites move by hand (leases, deduplication window, job periods). */
export interface TestClock {
  readonly now: () => number;
}

export function manualClock(start = Date.parse('2026-06-01T03:00:00Z')): TestClock & { set(t: number): void; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    set: (value) => void (t = value),
    advance: (ms) => void (t += ms),
  };
}

/** Waits until `check` holds (delivery through a database is asynchronous), failing after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Opens a fresh harness before each test of the enclosing describe and closes it after: `get()` is the current one.
 */
export function perTest<H extends Harness<unknown>>(open: () => Promise<H>, hooks: { beforeEach: (fn: () => Promise<void>) => void; afterEach: (fn: () => Promise<void>) => void }): () => H {
  let current: H | null = null;
  hooks.beforeEach(async () => {
    current = await open();
  });
  hooks.afterEach(async () => {
    await current?.close();
    current = null;
  });
  return () => {
    if (!current) throw new Error('no store open: perTest is used outside a test');
    return current;
  };
}
