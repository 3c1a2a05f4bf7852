import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { PlatformCallError, platformHttp } from '../platform-http.js';
import { Low } from 'lowdb';
import type { Logger } from '../../log.js';
import { DurableJsonFile } from '../../store/durable-file.js';

/**
 * The Zalo OA token pair, kept in its own lowdb file (DATA_DIR/zalo-tokens.json) so `npm run zalo:auth` can replace
 * it while the server runs and the main database's frequent writes never race with a rotation.
 */
export interface ZaloTokenFile {
  version: 1;
  accessToken: string | null;
  refreshToken: string | null;
  /** Epoch ms when the access token expires (Zalo: 25 h after issue). */
  accessExpiresAt: number;
  refreshedAt: number;
  status: 'ok' | 'needs-reauth';
  /** Zalo's message when the status is needs-reauth. */
  lastError: string | null;
  /** SHA-256 of the ZALO_REFRESH_TOKEN last seeded, so a new value in the environment is picked up once. */
  seededFrom: string | null;
}

export const TOKEN_FILE = 'zalo-tokens.json';
/** Refresh early: with less than this left, the next send refreshes first. */
export const REFRESH_MARGIN_MS = 3 * 60 * 60 * 1000;

export class ZaloAuthError extends Error {
  constructor(readonly zaloMessage: string, readonly code?: number | string) {
    super(`Zalo OA cần được cấp quyền lại: ${zaloMessage}`);
    this.name = 'ZaloAuthError';
  }
}

export interface ZaloOAuthConfig {
  readonly appId: string;
  readonly appSecret: string;
  readonly oauthUrl: string;
}

const oauthHttp = platformHttp({ timeout: 15_000 });

/** The token endpoint's answer: success only when both tokens are non-empty strings (errors come with HTTP 200). */
export async function requestTokens(
  config: ZaloOAuthConfig,
  form: Record<string, string>,
): Promise<{ accessToken: string; refreshToken: string; expiresInMs: number }> {
  let data: Record<string, unknown>;
  try {
    const res = await oauthHttp.post(`${config.oauthUrl}/v4/oa/access_token`, new URLSearchParams({ ...form, app_id: config.appId }).toString(), {
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: config.appSecret },
    });
    data = (res.data ?? {}) as Record<string, unknown>;
  } catch (err) {
    // Network or HTTP error: not a verdict on the refresh token, which may still be good.
    if (err instanceof PlatformCallError) throw new Error(`không gọi được máy chủ cấp token Zalo (${err.message})`);
    throw err;
  }
  const accessToken = data.access_token;
  const refreshToken = data.refresh_token;
  if (typeof accessToken === 'string' && accessToken !== '' && typeof refreshToken === 'string' && refreshToken !== '') {
    const seconds = Number(data.expires_in);
    return { accessToken, refreshToken, expiresInMs: (Number.isFinite(seconds) && seconds > 0 ? seconds : 90_000) * 1000 };
  }
  const message = typeof data.error_description === 'string' ? data.error_description : typeof data.message === 'string' ? data.message : 'phản hồi không có token';
  throw new ZaloAuthError(message, data.error as number | undefined);
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Hands out a valid access token. Refresh is single-flight (concurrent sends wait for the one refresh in progress),
 * done early (REFRESH_MARGIN_MS) or on demand after Zalo rejected a token, and the new pair is written durably
 * before it is used — the refresh token is single-use, so losing the new one would kill the channel.
 */
export class ZaloTokens {
  /** Every read-check-refresh-write runs under this lock, one at a time: callers queue behind a refresh in progress. */
  private lock: Promise<unknown> = Promise.resolve();
  private fileTime = 0;

  private constructor(
    private readonly db: Low<ZaloTokenFile>,
    private readonly file: string,
    private readonly config: ZaloOAuthConfig,
    private readonly logger: Logger,
    private readonly clock: () => number,
    private readonly onChange: (status: ZaloTokenFile['status']) => void,
  ) {}

  static async open(
    dataDir: string,
    config: ZaloOAuthConfig & { readonly seedRefreshToken: string | null },
    logger: Logger,
    clock: () => number = Date.now,
    onChange: (status: ZaloTokenFile['status']) => void = () => undefined,
  ): Promise<ZaloTokens> {
    await mkdir(dataDir, { recursive: true });
    const file = path.join(dataDir, TOKEN_FILE);
    const db = new Low<ZaloTokenFile>(new DurableJsonFile<ZaloTokenFile>(file), emptyTokens());
    await db.read();
    const tokens = new ZaloTokens(db, file, config, logger, clock, onChange);
    const seed = config.seedRefreshToken;
    if (seed && db.data.seededFrom !== hash(seed) && (db.data.refreshToken === null || db.data.status === 'needs-reauth')) {
      // A refresh token from the environment is used once; afterwards only the rotated pair in the file counts.
      db.data = { ...emptyTokens(), refreshToken: seed, seededFrom: hash(seed) };
      await db.write();
      logger.info('Zalo token store seeded from ZALO_REFRESH_TOKEN');
    }
    tokens.fileTime = await mtime(file);
    return tokens;
  }

  get status(): 'ok' | 'needs-reauth' | 'no-token' {
    if (this.db.data.refreshToken === null) return 'no-token';
    return this.db.data.status;
  }

  get lastError(): string | null {
    return this.db.data.lastError;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lock.then(task, task);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** A valid access token, refreshing first if it expires within REFRESH_MARGIN_MS. */
  accessToken(): Promise<string> {
    return this.exclusive(async () => {
      await this.reloadIfChanged();
      const d = this.db.data;
      if (d.status === 'needs-reauth') throw new ZaloAuthError(d.lastError ?? 'refresh token không còn hiệu lực');
      if (d.accessToken && d.accessExpiresAt - this.clock() > REFRESH_MARGIN_MS) return d.accessToken;
      return this.doRefresh();
    });
  }

  /**
   * Refreshes after Zalo rejected `rejected`, unless a refresh that ran meanwhile already replaced it: concurrent
   * failures during expiry cause exactly one refresh.
   */
  refresh(rejected: string | null): Promise<string> {
    return this.exclusive(async () => {
      await this.reloadIfChanged();
      const d = this.db.data;
      if (d.status === 'needs-reauth') throw new ZaloAuthError(d.lastError ?? 'refresh token không còn hiệu lực');
      if (d.accessToken && d.accessToken !== rejected && d.accessExpiresAt - this.clock() > REFRESH_MARGIN_MS) return d.accessToken;
      return this.doRefresh();
    });
  }

  private async doRefresh(): Promise<string> {
    const refreshToken = this.db.data.refreshToken;
    if (!refreshToken) throw new ZaloAuthError('chưa có refresh token: chạy npm run zalo:auth hoặc đặt ZALO_REFRESH_TOKEN');
    try {
      const fresh = await requestTokens(this.config, { refresh_token: refreshToken, grant_type: 'refresh_token' });
      await this.store({ accessToken: fresh.accessToken, refreshToken: fresh.refreshToken, accessExpiresAt: this.clock() + fresh.expiresInMs });
      this.logger.info({ expiresAt: new Date(this.db.data.accessExpiresAt).toISOString() }, 'Zalo access token refreshed');
      return fresh.accessToken;
    } catch (err) {
      if (err instanceof ZaloAuthError) {
        // The stored pair is kept as it was: an error body never overwrites tokens.
        this.db.data = { ...this.db.data, status: 'needs-reauth', lastError: err.zaloMessage };
        await this.db.write();
        this.fileTime = await mtime(this.file);
        this.logger.error({ code: err.code }, `ALERT: Zalo refresh token rejected (${err.zaloMessage}) — an admin must run npm run zalo:auth`);
        this.onChange('needs-reauth');
      }
      throw err;
    }
  }

  /** Stores a pair from a first authorisation (`npm run zalo:auth`). */
  save(pair: { accessToken: string; refreshToken: string; accessExpiresAt: number }): Promise<void> {
    return this.exclusive(() => this.store(pair));
  }

  /** Writes a new pair durably, before anyone uses it. */
  private async store(pair: { accessToken: string; refreshToken: string; accessExpiresAt: number }): Promise<void> {
    const wasBroken = this.db.data.status === 'needs-reauth';
    this.db.data = { ...this.db.data, ...pair, refreshedAt: this.clock(), status: 'ok', lastError: null };
    await this.db.write();
    this.fileTime = await mtime(this.file);
    if (wasBroken) this.onChange('ok');
  }

  /**
   * While the channel waits for re-authorisation nothing asks for a token, so look for a pair written by
   * `npm run zalo:auth` every `intervalMs`. Returns a function that stops watching.
   */
  watch(intervalMs = 15_000): () => void {
    const timer = setInterval(() => {
      if (this.db.data.status !== 'needs-reauth') return;
      void this.exclusive(() => this.reloadIfChanged()).catch((err: unknown) => this.logger.warn({ err }, 'could not read the Zalo token file'));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Picks up a pair written by `npm run zalo:auth` in another process. */
  private async reloadIfChanged(): Promise<void> {
    const time = await mtime(this.file);
    if (time === this.fileTime) return;
    const wasBroken = this.db.data.status === 'needs-reauth';
    await this.db.read();
    this.fileTime = time;
    if (wasBroken && this.db.data.status === 'ok') this.onChange('ok');
  }
}

function emptyTokens(): ZaloTokenFile {
  return { version: 1, accessToken: null, refreshToken: null, accessExpiresAt: 0, refreshedAt: 0, status: 'ok', lastError: null, seededFrom: null };
}

async function mtime(file: string): Promise<number> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}
