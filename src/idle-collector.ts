/**
 * Two full garbage collections once traffic pauses after a burst. Under a burst V8's heap grows with short-lived garbage
 * (requests, replies, store writes) and its memory reducer gives it back only after several quiet seconds; collecting
 * one second into the pause returns it at once (measured in the README's memory benchmark). Needs node --expose-gc
 * (npm run start:prod passes it); without it this does nothing.
 */
export interface IdleCollector {
  /** Call on every request. */
  activity(): void;
  stop(): void;
}

export function idleCollector(
  gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc,
  { quietMs = 1000, afterRequests = 200 }: { quietMs?: number; afterRequests?: number } = {},
): IdleCollector {
  if (!gc) return { activity: () => undefined, stop: () => undefined };
  let requests = 0;
  let timer: NodeJS.Timeout | null = null;
  const collect = () => {
    timer = null;
    requests = 0;
    // Twice: the second gives back what the first freed (measured at 10,000 entries: 364 MB after one, 321 after two).
    gc();
    gc();
  };
  return {
    activity() {
      // A trickle of messages is not a burst: only after many requests is a collection worth its pause.
      if (++requests < afterRequests) return;
      if (timer) timer.refresh();
      else timer = setTimeout(collect, quietMs).unref();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
