import { mkdir, open, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DurableJsonFile } from './durable-file.js';
import type { TokenVault, ZaloTokenRecord } from './types.js';

export const TOKEN_FILE = 'zalo-tokens.json';

type TokenFile = ZaloTokenRecord & { version: 1 };

export function emptyTokens(): ZaloTokenRecord {
  return { accessToken: null, refreshToken: null, accessExpiresAt: 0, refreshedAt: 0, status: 'ok', lastError: null, seededFrom: null };
}

/** Per token file, in this process: handles on the same file queue behind each other. */
const queues = new Map<string, Promise<unknown>>();
const LOCK_STALE_MS = 60_000;

/**
 * The Zalo token pair in its own lowdb file (DATA_DIR/zalo-tokens.json), so `npm run zalo:auth` can replace it while
 * the server runs and the main database's frequent writes never race with a rotation. `exclusive` holds a lock file
 * beside it (zalo-tokens.json.lock, created exclusively; one left by a crash is taken over after a minute), so the
 * server and a command never refresh at the same time; writes by others are seen through the file's time.
 */
export class FileTokenVault implements TokenVault {

  private constructor(
    private readonly db: Low<TokenFile>,
    private readonly file: string,
  ) {}

  static async open(dataDir: string): Promise<FileTokenVault> {
    await mkdir(dataDir, { recursive: true });
    const file = path.join(dataDir, TOKEN_FILE);
    return new FileTokenVault(new Low<TokenFile>(new DurableJsonFile<TokenFile>(file), { version: 1, ...emptyTokens() }), file);
  }

  async read(): Promise<ZaloTokenRecord> {
    await this.db.read();
    const { version: _version, ...record } = this.db.data;
    return { ...emptyTokens(), ...record };
  }

  async write(record: ZaloTokenRecord): Promise<void> {
    this.db.data = { version: 1, ...record };
    await this.db.write();
  }

  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const locked = () => this.withLockFile(task);
    const run = (queues.get(this.file) ?? Promise.resolve()).then(locked, locked);
    queues.set(this.file, run.catch(() => undefined));
    return run;
  }

  private async withLockFile<T>(task: () => Promise<T>): Promise<T> {
    const lock = `${this.file}.lock`;
    for (;;) {
      try {
        await (await open(lock, 'wx')).close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const age = Date.now() - ((await stat(lock).catch(() => null))?.mtimeMs ?? Date.now());
        if (age > LOCK_STALE_MS) await unlink(lock).catch(() => undefined);
        else await new Promise((r) => setTimeout(r, 20));
      }
    }
    try {
      return await task();
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  }

  async version(): Promise<number> {
    try {
      return (await stat(this.file)).mtimeMs;
    } catch {
      return 0;
    }
  }
}
