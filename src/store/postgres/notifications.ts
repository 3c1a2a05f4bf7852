import type pg from 'pg';
import type { Logger } from '../../log.js';
import { createClient, type Queryable } from './pool.js';

/** One channel for every topic: topics are free text, channel names are identifiers of at most 63 bytes. */
export const NOTIFY_CHANNEL = 'hoanhmo_changes';
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5_000;

interface Notice {
  readonly topic: string;
  readonly from: string;
}

/**
 * The process's LISTEN connection, opened at the first subscription and reopened whenever it breaks. A notice from
 * this instance is delivered directly when published (not when it comes back from the server), so listeners here
 * hear their own publications even before the connection is up. After a reconnection every listener is called once:
 * notices sent while the connection was down are lost, and a listener's job is to refresh.
 */
export class Notifications {
  private readonly listeners = new Map<string, Set<() => void>>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private retryMs = RETRY_FIRST_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private connectedOnce = false;
  private closed = false;
  private waiting: Array<() => void> = [];

  constructor(
    private readonly url: string,
    private readonly instanceId: string,
    private readonly logger: Logger,
  ) {}

  subscribe(topic: string, listener: () => void): () => void {
    const set = this.listeners.get(topic) ?? new Set();
    set.add(listener);
    this.listeners.set(topic, set);
    this.ensureConnected();
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(topic) === set) this.listeners.delete(topic);
    };
  }

  async publish(q: Queryable, topic: string): Promise<void> {
    const notice: Notice = { topic, from: this.instanceId };
    await q.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, JSON.stringify(notice)]);
    this.deliver(topic);
  }

  /** Resolves once notices from other instances are being received (tests wait for it before publishing). */
  listening(): Promise<void> {
    this.ensureConnected();
    if (this.client) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private deliver(topic: string): void {
    for (const listener of [...(this.listeners.get(topic) ?? [])]) {
      try {
        listener();
      } catch (err) {
        this.logger.warn({ err: String(err), topic }, 'a change listener failed');
      }
    }
  }

  private ensureConnected(): void {
    if (this.closed || this.client || this.connecting || this.retryTimer) return;
    this.connecting = this.connect().finally(() => (this.connecting = null));
  }

  private async connect(): Promise<void> {
    const client = createClient(this.url, `hoanhmo-listen:${this.instanceId}`.slice(0, 63));
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client.on('notification', (msg) => this.received(msg.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
    } catch (err) {
      this.lost(client, err);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = RETRY_FIRST_MS;
    const reconnected = this.connectedOnce;
    this.connectedOnce = true;
    this.waiting.splice(0).forEach((resolve) => resolve());
    if (reconnected) for (const topic of [...this.listeners.keys()]) this.deliver(topic);
  }

  private received(payload: string | undefined): void {
    try {
      const notice = JSON.parse(payload ?? '') as Notice;
      if (notice.from !== this.instanceId && typeof notice.topic === 'string') this.deliver(notice.topic);
    } catch {
      // Not ours (someone else NOTIFYing on the channel): ignored.
    }
  }

  private lost(client: pg.Client, err: unknown): void {
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    // A late error from a connection already replaced says nothing about the current one.
    if (this.client !== null && this.client !== client) return;
    this.client = null;
    if (this.closed || this.retryTimer) return;
    this.logger.warn({ err: err instanceof Error ? err.message : String(err), retryMs: this.retryMs }, 'PostgreSQL LISTEN connection lost: reconnecting');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.ensureConnected();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }
}
