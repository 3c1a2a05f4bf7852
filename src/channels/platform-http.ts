import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type CreateAxiosDefaults } from 'axios';

/**
 * A failed call to a platform API (Graph, Zalo), carrying only what may be logged: the HTTP status, the network
 * error code and a message. An axios error holds the request, and with it the access token (a header on Zalo, a
 * query parameter on Graph); it never leaves the HTTP client.
 */
export class PlatformCallError extends Error {
  readonly #body: unknown;

  constructor(
    readonly status: number | null,
    /** The network error code (ECONNRESET, ETIMEDOUT...) when there was no HTTP answer. */
    readonly network: string | null,
    body: unknown,
  ) {
    super(status !== null ? `HTTP ${status}` : `lỗi mạng: ${network ?? 'không rõ'}`);
    this.name = 'PlatformCallError';
    this.#body = body;
  }

  /** The platform's error body, for classifying the failure: a private field, so a logged error never shows it. */
  get body(): unknown {
    return this.#body;
  }
}

export function toPlatformCallError(err: unknown): unknown {
  if (!axios.isAxiosError(err)) return err;
  return new PlatformCallError(err.response?.status ?? null, err.response ? null : (err.code ?? err.message), err.response?.data);
}

/**
 * The one way the channels make HTTP calls: keep-alive connections (a handshake per send would cost more than the
 * send), no redirects, a timeout, and every failure turned into a PlatformCallError before anyone can log it.
 */
export function platformHttp(options: CreateAxiosDefaults & { timeout: number }): AxiosInstance {
  const client = axios.create({
    // Graph and Zalo answer their API calls directly, never with a redirect; without redirects axios calls Node's
    // http itself instead of through follow-redirects, a wrapper that cost as much CPU per send as the request.
    maxRedirects: 0,
    ...options,
    httpAgent: new http.Agent({ keepAlive: true }),
    httpsAgent: new https.Agent({ keepAlive: true }),
  });
  client.interceptors.response.use(undefined, (err: unknown) => Promise.reject(toPlatformCallError(err)));
  return client;
}
