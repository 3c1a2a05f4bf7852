import { createHash } from 'node:crypto';
import type { Logger } from '../../log.js';
import { emptyTokens } from '../../store/file-token-vault.js';
import type { TokenVault, ZaloTokenRecord } from '../../store/types.js';
import { PlatformCallError, platformHttp } from '../platform-http.js';

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
/**
 * The Zalo OA token pair: the access token lives 25 h and the refresh token is single-use. Kept in a TokenVault (a
 * file of its own, or a PostgreSQL row shared by every instance); every read-check-refresh-write runs under the
 * vault's lock and re-reads the pair first, so concurrent sends — on this instance or another — cause exactly one
 * refresh. The last pair seen is cached for the status shown in /healthz and /metrics.
 */
export class ZaloTokens {
  private cached: ZaloTokenRecord = emptyTokens();
  private seenVersion = -1;

  private constructor(
    private readonly vault: TokenVault,
    private readonly config: ZaloOAuthConfig,
    private readonly logger: Logger,
    private readonly clock: () => number,
    private readonly onChange: (status: ZaloTokenRecord['status']) => void,
  ) {}

  static async open(
    vault: TokenVault,
    config: ZaloOAuthConfig & { readonly seedRefreshToken: string | null },
    logger: Logger,
    clock: () => number = Date.now,
    onChange: (status: ZaloTokenRecord['status']) => void = () => undefined,
  ): Promise<ZaloTokens> {
    const tokens = new ZaloTokens(vault, config, logger, clock, onChange);
    const seed = config.seedRefreshToken;
    await vault.exclusive(async () => {
      const current = await tokens.reload();
      if (seed && current.seededFrom !== hash(seed) && (current.refreshToken === null || current.status === 'needs-reauth')) {
        // A refresh token from the environment is used once; afterwards only the rotated pair counts.
        await tokens.put({ ...emptyTokens(), refreshToken: seed, seededFrom: hash(seed) });
        logger.info('Zalo token store seeded from ZALO_REFRESH_TOKEN');
      }
    });
    return tokens;
  }

  get status(): 'ok' | 'needs-reauth' | 'no-token' {
    if (this.cached.refreshToken === null) return 'no-token';
    return this.cached.status;
  }

  get lastError(): string | null {
    return this.cached.lastError;
  }

  /** A valid access token, refreshing first if it expires within REFRESH_MARGIN_MS. */
  accessToken(): Promise<string> {
    return this.vault.exclusive(async () => {
      const d = await this.reload();
      if (d.status === 'needs-reauth') throw new ZaloAuthError(d.lastError ?? 'refresh token không còn hiệu lực');
      if (d.accessToken && d.accessExpiresAt - this.clock() > REFRESH_MARGIN_MS) return d.accessToken;
      return this.doRefresh(d);
    });
  }

  /**
   * Refreshes after Zalo rejected `rejected`, unless a refresh that ran meanwhile (here or on another instance)
   * already replaced it: concurrent failures during expiry cause exactly one refresh.
   */
  refresh(rejected: string | null): Promise<string> {
    return this.vault.exclusive(async () => {
      const d = await this.reload();
      if (d.status === 'needs-reauth') throw new ZaloAuthError(d.lastError ?? 'refresh token không còn hiệu lực');
      if (d.accessToken && d.accessToken !== rejected && d.accessExpiresAt - this.clock() > REFRESH_MARGIN_MS) return d.accessToken;
      return this.doRefresh(d);
    });
  }

  private async doRefresh(d: ZaloTokenRecord): Promise<string> {
    const refreshToken = d.refreshToken;
    if (!refreshToken) throw new ZaloAuthError('chưa có refresh token: chạy npm run zalo:auth hoặc đặt ZALO_REFRESH_TOKEN');
    try {
      const fresh = await requestTokens(this.config, { refresh_token: refreshToken, grant_type: 'refresh_token' });
      await this.store({ accessToken: fresh.accessToken, refreshToken: fresh.refreshToken, accessExpiresAt: this.clock() + fresh.expiresInMs });
      this.logger.info({ expiresAt: new Date(this.cached.accessExpiresAt).toISOString() }, 'Zalo access token refreshed');
      return fresh.accessToken;
    } catch (err) {
      if (err instanceof ZaloAuthError) {
        // The stored pair is kept as it was: an error body never overwrites tokens.
        await this.put({ ...this.cached, status: 'needs-reauth', lastError: err.zaloMessage });
        this.logger.error({ code: err.code }, `ALERT: Zalo refresh token rejected (${err.zaloMessage}) — an admin must run npm run zalo:auth`);
        this.onChange('needs-reauth');
      }
      throw err;
    }
  }

  /** Stores a pair from a first authorisation (`npm run zalo:auth`). */
  save(pair: { accessToken: string; refreshToken: string; accessExpiresAt: number }): Promise<void> {
    return this.vault.exclusive(async () => {
      await this.reload();
      await this.store(pair);
    });
  }

  /** Writes a new pair durably, before anyone uses it. */
  private async store(pair: { accessToken: string; refreshToken: string; accessExpiresAt: number }): Promise<void> {
    const wasBroken = this.cached.status === 'needs-reauth';
    await this.put({ ...this.cached, ...pair, refreshedAt: this.clock(), status: 'ok', lastError: null });
    if (wasBroken) this.onChange('ok');
  }

  private async put(record: ZaloTokenRecord): Promise<void> {
    await this.vault.write(record);
    this.cached = record;
    this.seenVersion = await this.vault.version();
  }

  /** The current pair (another process or instance may have written it). */
  private async reload(): Promise<ZaloTokenRecord> {
    const version = await this.vault.version();
    if (version === this.seenVersion) return this.cached;
    const wasBroken = this.cached.status === 'needs-reauth';
    this.cached = await this.vault.read();
    this.seenVersion = version;
    if (wasBroken && this.cached.status === 'ok') this.onChange('ok');
    return this.cached;
  }

  /**
   * While the channel waits for re-authorisation nothing asks for a token, so look for a pair written by
   * `npm run zalo:auth` (or another instance) every `intervalMs`. Returns a function that stops watching.
   */
  watch(intervalMs = 15_000): () => void {
    const timer = setInterval(() => {
      if (this.cached.status !== 'needs-reauth') return;
      void this.vault.exclusive(() => this.reload()).catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, 'could not read the Zalo tokens'));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}

