import { randomBytes } from 'node:crypto';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DurableJsonFile, StoreCorruptError } from './durable-file.js';
import { migrate } from './migrations.js';
import { emptyData, SCHEMA_VERSION, type Schema } from './schema.js';

export { StoreCorruptError };

export const STORE_FILE = 'db.json';
const LAZY_WRITE_MS = 500;

/**
 * The lowdb database. All reads and writes happen on the in-memory data (single-threaded, so serialised);
 * `update` returns once the change is on disk. Writes are group-committed: changes made while a write is in
 * flight go out together in the next one, so a burst of messages costs a few file writes, not one each.
 */
export class Store {
  private writing: Promise<void> | null = null;
  private pending: Promise<void> | null = null;
  private lazyTimer: NodeJS.Timeout | null = null;

  private constructor(private readonly db: Low<Schema>) {}

  /** Opens (or creates) DATA_DIR/db.json, migrating older schemas. Refuses a corrupt or newer file. */
  static async open(dataDir: string): Promise<Store> {
    await mkdir(dataDir, { recursive: true });
    const file = path.join(dataDir, STORE_FILE);
    const db = new Low<Schema>(new DurableJsonFile<Schema>(file), emptyData());
    await db.read();
    const version = typeof db.data.version === 'number' ? db.data.version : NaN;
    if (!Number.isInteger(version) || version < 1) throw new StoreCorruptError(file, 'thiếu số phiên bản "version"');
    if (version > SCHEMA_VERSION) {
      throw new StoreCorruptError(file, `phiên bản dữ liệu ${version} mới hơn phiên bản chương trình hỗ trợ (${SCHEMA_VERSION})`);
    }
    if (version < SCHEMA_VERSION) {
      await copyFile(file, `${file}.v${version}.bak`);
      db.data = migrate(db.data as unknown as Record<string, unknown>, version);
    }
    // Collections added to the schema since this file was written start empty.
    db.data = { ...emptyData(), ...db.data };
    if (!db.data.meta.salt) db.data.meta = { ...db.data.meta, salt: randomBytes(16).toString('hex') };
    if (!db.data.meta.secret) db.data.meta = { ...db.data.meta, secret: randomBytes(32).toString('base64url') };
    const store = new Store(db);
    await store.flush();
    return store;
  }

  /** Read-only access to the current data. Callers must not mutate what they get. */
  get data(): Readonly<Schema> {
    return this.db.data;
  }

  /** Applies a change in memory now and resolves when it is durable. */
  async update<T>(change: (data: Schema) => T): Promise<T> {
    const result = change(this.db.data);
    await this.flush();
    return result;
  }

  /**
   * Applies a change in memory now; persisted with a write at most LAZY_WRITE_MS later, together with every other
   * lazy change of that interval: for state whose loss in a crash costs little (transcripts, pending choices), so
   * a burst of messages does not serialise the whole file once per message.
   */
  updateLazily<T>(change: (data: Schema) => T): T {
    const result = change(this.db.data);
    this.lazyTimer ??= setTimeout(() => {
      this.lazyTimer = null;
      void this.flush().catch(() => undefined);
    }, LAZY_WRITE_MS);
    return result;
  }

  /** Resolves when everything changed so far is on disk. */
  flush(): Promise<void> {
    if (this.pending) return this.pending;
    if (!this.writing) {
      this.writing = this.db.write().finally(() => {
        this.writing = null;
      });
      return this.writing;
    }
    // A write is in flight with older data: queue exactly one more that will carry every change made meanwhile.
    this.pending = this.writing
      .catch(() => undefined)
      .then(() => {
        this.pending = null;
        return this.flush();
      });
    return this.pending;
  }

  async close(): Promise<void> {
    if (this.lazyTimer) clearTimeout(this.lazyTimer);
    this.lazyTimer = null;
    await this.flush();
  }
}
