import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_THRESHOLDS, type DecisionThresholds } from './matching/decide.js';
import { DEFAULT_HOLIDAYS } from './inbox/holidays.js';
import { OfficeHoursError, parseOfficeHours, VIETNAM_OFFSET_MINUTES, type WorkingCalendar } from './inbox/working-time.js';
import { isValidIsoDate } from './days.js';
import type { AnswerFooter } from './conversation/answer.js';

/** The environment read once at start; every other module receives the typed Config, never process.env. */
export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly knowledgeDir: string;
  readonly logLevel: LogLevel;
  readonly webChat: boolean;
  readonly thresholds: DecisionThresholds;
  readonly footer: AnswerFooter;
  /** How long the bot stays silent after a person answered a user from a platform's own inbox. */
  readonly takeoverMs: number;
  /** Null when the channel is not configured; `missing` then names the absent variables. */
  readonly messenger: MessengerConfig | null;
  readonly zalo: ZaloConfig | null;
  readonly channelsMissing: Readonly<Record<'messenger' | 'zalo', readonly string[]>>;
  /** Zalo domain verification code (served as /zalo_verifier<CODE>.html and a meta tag on /). */
  readonly zaloSiteVerification: string | null;
  readonly inbox: InboxConfig;
  /** kb:check flags entries not reviewed within this many months. */
  readonly kbStaleMonths: number;
  /** kb:check and /admin report legal changes and dated content taking effect within this many days ("sắp thay đổi"). */
  readonly kbLookaheadDays: number;
  /** Months after which conversations, tickets and feedback lose their personal content (daily job). */
  readonly retentionMonths: number;
  /**
   * Which peers may set X-Forwarded-For / X-Forwarded-Proto (Express "trust proxy"): false (nobody, the default),
   * a number of hops, or addresses / subnets / loopback, linklocal, uniquelocal.
   */
  readonly trustProxy: false | number | string;
  /** Bearer token for monitoring (/healthz details, /metrics) from other machines; loopback needs none. */
  readonly monitoringToken: string | null;
  readonly webChatLimits: WebChatLimits;
  /** Platform calls in flight per channel (sends, typing, profiles): also how many a crash can repeat. */
  readonly sendConcurrency: number;
  /** Nightly backups: where, and how many to keep; null dir = none. */
  readonly backup: { readonly dir: string | null; readonly keep: number };
  /** PostgreSQL instead of the embedded store (several instances on one database); null = the embedded store. */
  readonly databaseUrl: string | null;
  /** How long a user's events stay with the instance working on them; another takes over after it (a crash). */
  readonly queueLeaseMs: number;
}

/** What one address may ask of the web chat, which anyone can reach without an account. */
export interface WebChatLimits {
  readonly questionsPerMinute: number;
  readonly ticketsPerHour: number;
}

export interface InboxConfig {
  /** Base URL officers open (links in notification emails), e.g. https://bot.example.vn. */
  readonly publicUrl: string | null;
  /** Created on first start when there is no account yet. */
  readonly initialAdmin: { readonly username: string; readonly password: string } | null;
  readonly sessionMs: number;
  /** Cookies only over HTTPS: true, false, or null = when the request came over TLS. */
  readonly secureCookies: boolean | null;
  readonly officeHours: WorkingCalendar;
  readonly slaFirstResponseMs: number;
  /** A ticket is "near its SLA" when less working time than this is left. */
  readonly slaWarningMs: number;
  /** What the user is told when a question is handed over; {ticket} is replaced by the ticket number. */
  readonly handoffMessage: string;
  readonly smtpUrl: string | null;
  readonly notifyEmails: readonly string[];
  readonly notifyFrom: string;
  readonly notifyBatchMs: number;
  readonly knowledgeDir: string;
}

export const DEFAULT_HANDOFF_MESSAGE =
  'Câu hỏi của bạn đã được chuyển cho cán bộ Hải quan cửa khẩu Hoành Mô (phiếu số {ticket}). Cán bộ sẽ trả lời tại đây trong giờ làm việc; bạn có thể nhắn thêm thông tin, tin nhắn sẽ được gắn vào phiếu.';

export interface ZaloConfig {
  readonly appId: string;
  /** App secret: the `secret_key` header of OAuth calls. */
  readonly appSecret: string;
  /** OA secret key from the webhook settings: signs X-ZEvent-Signature. */
  readonly oaSecretKey: string;
  /** Seeds the token store once; afterwards the rotated tokens in DATA_DIR are used. */
  readonly seedRefreshToken: string | null;
  readonly apiUrl: string;
  readonly oauthUrl: string;
  /** Where Zalo sends the admin back after granting access (`npm run zalo:auth`). */
  readonly redirectUri: string | null;
}

export interface MessengerConfig {
  readonly appSecret: string;
  readonly verifyToken: string;
  readonly pageAccessToken: string;
  /** Our app id: echoes carrying it are our own sends. Optional (metadata also marks our sends). */
  readonly appId: string | null;
  readonly graphApiUrl: string;
  readonly graphApiVersion: string;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Configuration problems, each naming the variable, all reported at once. */
export class ConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`Cấu hình không hợp lệ:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const bool = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .refine((s) => ['true', 'false', '1', '0', 'yes', 'no'].includes(s), 'phải là true hoặc false')
  .transform((s) => ['true', '1', 'yes'].includes(s));

const probability = z.coerce.number().min(0, 'phải trong khoảng 0..1').max(1, 'phải trong khoảng 0..1');

const FOOTER_PARTS = ['legal', 'reviewed', 'links'] as const;
const HOUR = 60 * 60 * 1000;

const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  KNOWLEDGE_DIR: z.string().min(1).default('./knowledge'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ENABLE_WEB_CHAT: bool.optional(),
  MATCH_ANSWER_THRESHOLD: probability.default(DEFAULT_THRESHOLDS.answer),
  MATCH_MARGIN: probability.default(DEFAULT_THRESHOLDS.margin),
  MATCH_SUGGEST_THRESHOLD: probability.default(DEFAULT_THRESHOLDS.suggest),
  MATCH_AMBIGUOUS_LEARNED: probability.default(DEFAULT_THRESHOLDS.ambiguous),
  ANSWER_FOOTER: z
    .string()
    .default(FOOTER_PARTS.join(','))
    .transform((s) => s.split(',').map((p) => p.trim()).filter((p) => p !== '' && p !== 'none'))
    .refine((parts) => parts.every((p) => (FOOTER_PARTS as readonly string[]).includes(p)), {
      error: `chỉ gồm các phần ${FOOTER_PARTS.join(', ')} (cách nhau bởi dấu phẩy) hoặc none`,
    }),
  ANSWER_DISCLAIMER: z.string().default(''),
  HUMAN_TAKEOVER_HOURS: z.coerce.number().min(0, 'phải ≥ 0').max(24 * 30, 'tối đa 720 giờ').default(12),
  FB_APP_SECRET: z.string().optional(),
  FB_VERIFY_TOKEN: z.string().optional(),
  FB_PAGE_ACCESS_TOKEN: z.string().optional(),
  FB_APP_ID: z.string().regex(/^\d+$/, 'chỉ gồm chữ số').optional(),
  FB_GRAPH_API_URL: z.url({ protocol: /^https?$/, error: 'phải là địa chỉ http(s)' }).default('https://graph.facebook.com'),
  FB_GRAPH_API_VERSION: z.string().regex(/^v\d+\.\d+$/, 'dạng v25.0').default('v25.0'),
  ZALO_APP_ID: z.string().regex(/^\d+$/, 'chỉ gồm chữ số').optional(),
  ZALO_APP_SECRET: z.string().optional(),
  ZALO_OA_SECRET_KEY: z.string().optional(),
  ZALO_REFRESH_TOKEN: z.string().optional(),
  ZALO_API_URL: z.url({ protocol: /^https?$/, error: 'phải là địa chỉ http(s)' }).default('https://openapi.zalo.me'),
  ZALO_OAUTH_URL: z.url({ protocol: /^https?$/, error: 'phải là địa chỉ http(s)' }).default('https://oauth.zaloapp.com'),
  ZALO_REDIRECT_URI: z.url({ protocol: /^https?$/, error: 'phải là địa chỉ http(s)' }).optional(),
  ZALO_SITE_VERIFICATION: z.string().regex(/^[A-Za-z0-9_-]+$/, 'chỉ gồm chữ, số, "_" và "-"').optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'phải là địa chỉ http(s)' }).optional(),
  ADMIN_USERNAME: z.string().regex(/^[a-z0-9._-]{3,32}$/, '3–32 ký tự: chữ thường, số, . _ -').optional(),
  ADMIN_PASSWORD: z.string().min(10, 'ít nhất 10 ký tự').optional(),
  SESSION_HOURS: z.coerce.number().min(1).max(24 * 30).default(12),
  COOKIE_SECURE: bool.optional(),
  OFFICE_HOURS: z.string().default('Mon-Fri 07:30-11:30,13:30-17:00'),
  OFFICE_HOLIDAYS: z
    .string()
    .transform((s) => s.split(',').map((d) => d.trim()).filter(Boolean))
    .refine((days) => days.every(isValidIsoDate), 'danh sách ngày dạng 2026-09-02, cách nhau bởi dấu phẩy')
    .optional(),
  SLA_FIRST_RESPONSE_HOURS: z.coerce.number().positive().max(24 * 30).default(8),
  SLA_WARNING_HOURS: z.coerce.number().min(0).max(24 * 30).default(2),
  HANDOFF_MESSAGE: z.string().refine((s) => s.includes('{ticket}'), 'phải chứa {ticket}').optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'dạng smtp://user:pass@host:587 hoặc smtps://…').optional(),
  NOTIFY_EMAILS: z
    .string()
    .transform((s) => s.split(',').map((e) => e.trim()).filter(Boolean))
    .refine((list) => list.every((e) => /^[^@\s]+@[^@\s]+$/.test(e)), 'danh sách email cách nhau bởi dấu phẩy')
    .optional(),
  NOTIFY_FROM: z.string().default('Tro ly Hai quan Hoanh Mo <no-reply@localhost>'),
  NOTIFY_BATCH_SECONDS: z.coerce.number().min(0).max(3600).default(60),
  KB_STALE_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
  KB_LOOKAHEAD_DAYS: z.coerce.number().int('phải là số ngày nguyên').min(1, 'từ 1 đến 365 ngày').max(365, 'từ 1 đến 365 ngày').default(45),
  RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
  TRUST_PROXY: z
    .string()
    .trim()
    .refine((s) => s !== 'true', 'không dùng "true" (tin mọi địa chỉ): ghi địa chỉ của proxy, ví dụ loopback hoặc 10.0.0.2')
    .refine((s) => /^\d+$/.test(s) || s.split(',').every((p) => /^(loopback|linklocal|uniquelocal|false|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(p.trim())), 'số bước proxy, hoặc danh sách địa chỉ/dải mạng, loopback, uniquelocal')
    .optional(),
  METRICS_TOKEN: z.string().min(16, 'ít nhất 16 ký tự').optional(),
  WEB_CHAT_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  WEB_CHAT_TICKETS_PER_HOUR: z.coerce.number().int().min(0).max(10_000).default(3),
  SEND_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(48),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(365).default(7),
  QUEUE_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'dạng postgres://người_dùng:mật_khẩu@máy:5432/tên_cơ_sở_dữ_liệu').optional(),
});

/** The variables a channel needs before it is enabled. */
const MESSENGER_REQUIRED = ['FB_APP_SECRET', 'FB_VERIFY_TOKEN', 'FB_PAGE_ACCESS_TOKEN'] as const;
const ZALO_REQUIRED = ['ZALO_APP_ID', 'ZALO_APP_SECRET', 'ZALO_OA_SECRET_KEY'] as const;

/** Reads `.env` (if present) into process.env without overriding what the shell already set. */
export function loadDotEnv(file = '.env'): void {
  try {
    process.loadEnvFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Validates the environment. Empty values count as unset, as in most .env files. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = Env.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}=${JSON.stringify(present[String(i.path[0])] ?? '')}: ${i.message}`));
  }
  const e = parsed.data;
  const thresholds: DecisionThresholds = {
    ...DEFAULT_THRESHOLDS,
    answer: e.MATCH_ANSWER_THRESHOLD,
    margin: e.MATCH_MARGIN,
    suggest: e.MATCH_SUGGEST_THRESHOLD,
    ambiguous: e.MATCH_AMBIGUOUS_LEARNED,
  };
  let officeDays: WorkingCalendar['days'];
  try {
    officeDays = parseOfficeHours(e.OFFICE_HOURS);
  } catch (err) {
    if (err instanceof OfficeHoursError) throw new ConfigError([`OFFICE_HOURS=${JSON.stringify(e.OFFICE_HOURS)}: ${err.message}`]);
    throw err;
  }
  if ((e.ADMIN_USERNAME === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(['ADMIN_USERNAME và ADMIN_PASSWORD phải được đặt cùng nhau']);
  }
  if (thresholds.suggest > thresholds.answer) {
    throw new ConfigError([`MATCH_SUGGEST_THRESHOLD=${thresholds.suggest}: phải nhỏ hơn hoặc bằng MATCH_ANSWER_THRESHOLD (${thresholds.answer})`]);
  }
  const messengerMissing = MESSENGER_REQUIRED.filter((name) => !e[name]);
  const zaloMissing = ZALO_REQUIRED.filter((name) => !e[name]);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    knowledgeDir: path.resolve(e.KNOWLEDGE_DIR),
    logLevel: e.LOG_LEVEL,
    webChat: e.ENABLE_WEB_CHAT ?? e.NODE_ENV !== 'production',
    thresholds,
    footer: {
      legalBasis: e.ANSWER_FOOTER.includes('legal'),
      reviewedOn: e.ANSWER_FOOTER.includes('reviewed'),
      links: e.ANSWER_FOOTER.includes('links'),
      disclaimer: e.ANSWER_DISCLAIMER,
    },
    takeoverMs: e.HUMAN_TAKEOVER_HOURS * 60 * 60 * 1000,
    messenger:
      messengerMissing.length === 0
        ? {
            appSecret: e.FB_APP_SECRET!,
            verifyToken: e.FB_VERIFY_TOKEN!,
            pageAccessToken: e.FB_PAGE_ACCESS_TOKEN!,
            appId: e.FB_APP_ID ?? null,
            graphApiUrl: e.FB_GRAPH_API_URL,
            graphApiVersion: e.FB_GRAPH_API_VERSION,
          }
        : null,
    zalo:
      zaloMissing.length === 0
        ? {
            appId: e.ZALO_APP_ID!,
            appSecret: e.ZALO_APP_SECRET!,
            oaSecretKey: e.ZALO_OA_SECRET_KEY!,
            seedRefreshToken: e.ZALO_REFRESH_TOKEN ?? null,
            apiUrl: e.ZALO_API_URL.replace(/\/+$/, ''),
            oauthUrl: e.ZALO_OAUTH_URL.replace(/\/+$/, ''),
            redirectUri: e.ZALO_REDIRECT_URI ?? null,
          }
        : null,
    channelsMissing: { messenger: messengerMissing, zalo: zaloMissing },
    zaloSiteVerification: e.ZALO_SITE_VERIFICATION ?? null,
    inbox: {
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, '') ?? null,
      initialAdmin: e.ADMIN_USERNAME && e.ADMIN_PASSWORD ? { username: e.ADMIN_USERNAME, password: e.ADMIN_PASSWORD } : null,
      sessionMs: e.SESSION_HOURS * HOUR,
      secureCookies: e.COOKIE_SECURE ?? null,
      officeHours: { days: officeDays, holidays: new Set(e.OFFICE_HOLIDAYS ?? DEFAULT_HOLIDAYS), utcOffsetMinutes: VIETNAM_OFFSET_MINUTES },
      slaFirstResponseMs: e.SLA_FIRST_RESPONSE_HOURS * HOUR,
      slaWarningMs: e.SLA_WARNING_HOURS * HOUR,
      handoffMessage: e.HANDOFF_MESSAGE ?? DEFAULT_HANDOFF_MESSAGE,
      smtpUrl: e.SMTP_URL ?? null,
      notifyEmails: e.NOTIFY_EMAILS ?? [],
      notifyFrom: e.NOTIFY_FROM,
      notifyBatchMs: e.NOTIFY_BATCH_SECONDS * 1000,
      knowledgeDir: path.resolve(e.KNOWLEDGE_DIR),
    },
    kbStaleMonths: e.KB_STALE_MONTHS,
    kbLookaheadDays: e.KB_LOOKAHEAD_DAYS,
    retentionMonths: e.RETENTION_MONTHS,
    trustProxy: !e.TRUST_PROXY || e.TRUST_PROXY === 'false' ? false : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
    monitoringToken: e.METRICS_TOKEN ?? null,
    webChatLimits: { questionsPerMinute: e.WEB_CHAT_RATE_PER_MINUTE, ticketsPerHour: e.WEB_CHAT_TICKETS_PER_HOUR },
    sendConcurrency: e.SEND_CONCURRENCY,
    backup: { dir: e.BACKUP_DIR ? path.resolve(e.BACKUP_DIR) : null, keep: e.BACKUP_KEEP },
    databaseUrl: e.DATABASE_URL ?? null,
    queueLeaseMs: e.QUEUE_LEASE_SECONDS * 1000,
  };
}
