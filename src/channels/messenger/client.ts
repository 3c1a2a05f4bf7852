import type { AxiosInstance } from 'axios';
import { PlatformCallError, platformHttp } from '../platform-http.js';
import { hmacSha256Hex } from '../signature.js';
import { SendError, type SendFailureKind } from '../types.js';

export interface GraphConfig {
  readonly appSecret: string;
  readonly pageAccessToken: string;
  /** e.g. https://graph.facebook.com — configurable so tests and staging point elsewhere. */
  readonly apiUrl: string;
  readonly apiVersion: string;
  readonly timeoutMs?: number;
}

/** Meta's error object: `{error: {message, type, code, error_subcode, fbtrace_id, is_transient}}`. */
interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  fbtrace_id?: string;
}

const RETRY_CODES = new Set([1, 2, 4, 17, 32, 613, 1200]);
const WINDOW_SUBCODES = new Set([2018278, 2534022]);

/** Graph API error → what to do about it (platform-facts: retry 1, 2, 4, 17, 32, 613, 1200, transient, 5xx). */
export function classifyGraphError(status: number | undefined, error: GraphError | undefined): SendFailureKind {
  const code = error?.code;
  const sub = error?.error_subcode;
  if (code === 10 && sub !== undefined && WINDOW_SUBCODES.has(sub)) return 'window';
  if (code === 10 && sub === 2018108) return 'unavailable';
  if (code === 551 || sub === 1545041) return 'unavailable';
  if (code === 190) return 'auth';
  if (code === 200 || code === 230 || code === 10) return 'invalid';
  if (code === 613 || code === 4 || code === 17 || code === 32) return 'rate-limit';
  if ((code !== undefined && RETRY_CODES.has(code)) || error?.is_transient === true) return 'transient';
  if (code === 100 || code === 368) return 'invalid';
  if (status === undefined || status >= 500 || status === 429) return status === 429 ? 'rate-limit' : 'transient';
  return 'invalid';
}

/**
 * A small typed client for the Send API and the few Graph calls the bot needs. The page token travels as a query
 * parameter with its `appsecret_proof`; errors are turned into SendError with Meta's message, never with the
 * request (which holds the token).
 */
export class GraphClient {
  private readonly http: AxiosInstance;
  private readonly auth: { access_token: string; appsecret_proof: string };

  constructor(config: GraphConfig) {
    this.http = platformHttp({
      baseURL: `${config.apiUrl.replace(/\/+$/, '')}/${config.apiVersion}`,
      timeout: config.timeoutMs ?? 10_000,
      headers: { 'content-type': 'application/json' },
    });
    this.auth = {
      access_token: config.pageAccessToken,
      appsecret_proof: hmacSha256Hex(config.appSecret, config.pageAccessToken),
    };
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.call(() => this.http.post<T>(path, body, { params: this.auth }));
  }

  async get<T>(path: string, params: Record<string, string>): Promise<T> {
    return this.call(() => this.http.get<T>(path, { params: { ...params, ...this.auth } }));
  }

  private async call<T>(request: () => Promise<{ data: T }>): Promise<T> {
    try {
      return (await request()).data;
    } catch (err) {
      if (!(err instanceof PlatformCallError)) throw err;
      const error = (err.body as { error?: GraphError } | undefined)?.error;
      const kind = classifyGraphError(err.status ?? undefined, error);
      throw new SendError(kind, error?.message ?? err.message, error?.code ?? err.status ?? err.network ?? undefined, error?.error_subcode);
    }
  }
}
