import type { Logger } from '../../log.js';
import type { Coordination } from '../types.js';
import { Notifications } from './notifications.js';
import type { Pool } from './pool.js';

/**
 * Jobs that run once across instances (a row per job claimed by an atomic upsert) and change notices for every
 * instance (NOTIFY, with one LISTEN connection per process).
 */
export class PostgresCoordination implements Coordination {
  constructor(
    private readonly pool: Pool,
    private readonly notifications: Notifications,
    private readonly clock: () => number,
    private readonly instanceId: string,
    private readonly logger: Logger,
  ) {}

  /**
   * The upsert claims the run only if the last one started at least `periodMs` ago: of instances calling at once,
   * one gets the row back. A failed task gives its claim back, so the next call (here or elsewhere) tries again.
   */
  async once(name: string, periodMs: number, task: () => Promise<void>): Promise<boolean> {
    const now = this.clock();
    const { rowCount } = await this.pool.query(
      `INSERT INTO job_runs (name, started_at, instance) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET started_at = EXCLUDED.started_at, instance = EXCLUDED.instance
       WHERE job_runs.started_at <= $2 - $4::bigint`,
      [name, now, this.instanceId, periodMs],
    );
    if (rowCount !== 1) return false;
    try {
      await task();
    } catch (err) {
      await this.pool
        .query('UPDATE job_runs SET started_at = started_at - $4::bigint WHERE name = $1 AND started_at = $2 AND instance = $3', [name, now, this.instanceId, periodMs])
        .catch((e: unknown) => this.logger.warn({ err: String(e), job: name }, 'could not give back the claim of a failed job'));
      throw err;
    }
    return true;
  }

  publish(topic: string): Promise<void> {
    return this.notifications.publish(this.pool, topic);
  }

  subscribe(topic: string, listener: () => void): () => void {
    return this.notifications.subscribe(topic, listener);
  }
}
