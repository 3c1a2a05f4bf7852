import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DurableJsonFile } from './durable-file.js';
import type { TokenVault, ZaloTokenRecord } from './types.js';

export const TOKEN_FILE = 'zalo-tokens.json';

type TokenFile = ZaloTokenRecord & { version: 1 };

export function emptyTokens(): ZaloTokenRecord {
  return { accessToken: null, refreshToken: null, accessExpiresAt: 0, refreshedAt: 0, status: 'ok', lastError: null, seededFrom: null };
}

/**
 * The Zalo token pair in its own lowdb file (DATA_DIR/zalo-tokens.json), so `npm run zalo:auth` can replace it while
 * the server runs and the main database's frequent writes never race with a rotation. One server per data
 * directory: a promise chain is lock enough; the command's writes are seen through the file's time.
 */
export class FileTokenVault implements TokenVault {
  private lock: Promise<unknown> = Promise.resolve();

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
    const run = this.lock.then(task, task);
    this.lock = run.catch(() => undefined);
    return run;
  }

  async version(): Promise<number> {
    try {
      return (await stat(this.file)).mtimeMs;
    } catch {
      return 0;
    }
  }
}
