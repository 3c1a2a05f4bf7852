import type { Express, Router } from 'express';
import { createApp, type ChannelStatus, type Health } from './app.js';
import { MessengerAdapter } from './channels/messenger/adapter.js';
import { GraphClient } from './channels/messenger/client.js';
import { messengerWebhook } from './channels/messenger/webhook.js';
import type { ChannelAdapter } from './channels/types.js';
import { WebAdapter } from './channels/web/adapter.js';
import { webChatRoutes } from './channels/web/routes.js';
import { ZaloAdapter } from './channels/zalo/adapter.js';
import { ZaloTokens } from './channels/zalo/tokens.js';
import { zaloVerificationRoute, zaloWebhook } from './channels/zalo/webhook.js';
import type { Config } from './config.js';
import { Bot } from './conversation/bot.js';
import type { Knowledge } from './conversation/knowledge.js';
import { LiveKnowledge } from './conversation/live-knowledge.js';
import type { ChannelName } from './conversation/types.js';
import { Dispatcher, type InboundJournal } from './dispatch/dispatcher.js';
import { Pipeline } from './dispatch/pipeline.js';
import type { RetryPolicy } from './dispatch/retry.js';
import type { Logger } from './log.js';
import { Conversations } from './store/conversations.js';
import { PhrasingProposals } from './store/phrasings.js';
import { Journal } from './store/journal.js';
import { Store } from './store/store.js';
import { Accounts } from './inbox/accounts.js';
import { escalationHandler, ticketHooks } from './inbox/escalation.js';
import { Notifier } from './inbox/notify.js';
import { OfficerReplies } from './inbox/replies.js';
import { inboxRoutes } from './inbox/routes.js';
import { Tickets } from './inbox/tickets.js';
import { staticAssets } from './web/layout.js';
import { adminRoutes } from './admin/routes.js';
import { SatisfactionSurvey } from './inbox/satisfaction.js';
import { ActivityLog } from './reports/activity.js';
import { outcomeRecorder } from './reports/recorder.js';
import path from 'node:path';
import { PersonalData } from './privacy/service.js';
import { reportRoutes } from './reports/routes.js';
import { privacyRoutes } from './privacy/routes.js';
import { lockDataDir } from './store/lock.js';

export interface ServerOptions {
  readonly clock?: () => number;
  readonly retry?: RetryPolicy;
  /** How often to look for re-authorised Zalo tokens while the channel waits for them. */
  readonly tokenWatchMs?: number;
  /** How often open inbox pages poll for changes. */
  readonly inboxPollMs?: number;
  /** Quiet time after a change in the knowledge directory before it is reloaded. */
  readonly knowledgeDebounceMs?: number;
  /** false: no daily retention job (tests run it by hand). */
  readonly retention?: boolean;
}

/** Everything the running product is made of; main.ts listens, tests and benchmarks drive it directly. */
export interface Server {
  readonly app: Express;
  readonly store: Store;
  readonly journal: InboundJournal;
  readonly dispatcher: Dispatcher;
  readonly conversations: Conversations;
  readonly bot: Bot;
  readonly accounts: Accounts;
  readonly tickets: Tickets;
  readonly replies: OfficerReplies;
  readonly notifier: Notifier;
  readonly activity: ActivityLog;
  readonly personalData: PersonalData;
  readonly phrasings: PhrasingProposals;
  readonly channels: readonly ChannelStatus[];
  readonly live: LiveKnowledge;
  knowledge(): Knowledge;
  health(): Health;
  /** Finishes queued work (up to `graceMs`), then flushes the journal and the store. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Builds the server from a validated config: knowledge base (refuses to start if invalid), store (refuses a
 * corrupt file), journal, channels that have credentials, dispatcher, HTTP app. Resumes unfinished events.
 */
export async function createServer(config: Config, logger: Logger, options: ServerOptions = {}): Promise<Server> {
  const clock = options.clock ?? Date.now;
  const live = await LiveKnowledge.load(config.knowledgeDir, logger, clock);
  const knowledge = () => live.current;
  const stopWatchingKnowledge = live.watch(options.knowledgeDebounceMs);
  const unlock = await lockDataDir(config.dataDir);
  const store = await Store.open(config.dataDir).catch(async (err: unknown) => {
    await unlock();
    throw err;
  });
  const journal: InboundJournal = await Journal.open(config.dataDir, clock, (line) =>
    logger.warn({ line }, 'unreadable line in the inbound journal skipped'),
  );
  const conversations = new Conversations(store);
  const accounts = new Accounts(store, config.inbox.sessionMs, clock);
  const initialAdmin = await accounts.ensureInitialAdmin(config.inbox.initialAdmin);
  if (initialAdmin) logger.info({ username: initialAdmin.username }, 'first admin account created from ADMIN_USERNAME');
  const tickets = new Tickets({
    store,
    calendar: config.inbox.officeHours,
    slaFirstResponseMs: config.inbox.slaFirstResponseMs,
    slaWarningMs: config.inbox.slaWarningMs,
    takeoverMs: config.takeoverMs,
    clock,
  });
  const notifier = new Notifier({
    smtpUrl: config.inbox.smtpUrl,
    to: config.inbox.notifyEmails,
    from: config.inbox.notifyFrom,
    batchMs: config.inbox.notifyBatchMs,
    publicUrl: config.inbox.publicUrl,
    logger,
  });

  const adapters = new Map<ChannelName, ChannelAdapter>();
  const authFailures = new Map<ChannelName, string>();
  if (config.messenger) {
    adapters.set(
      'messenger',
      new MessengerAdapter(
        new GraphClient({
          appSecret: config.messenger.appSecret,
          pageAccessToken: config.messenger.pageAccessToken,
          apiUrl: config.messenger.graphApiUrl,
          apiVersion: config.messenger.graphApiVersion,
        }),
      ),
    );
  }
  const webAdapter = config.webChat ? new WebAdapter(clock) : null;
  if (webAdapter) adapters.set('web', webAdapter);
  let zaloTokens: ZaloTokens | null = null;
  let release: (channel: ChannelName) => void = () => undefined;
  if (config.zalo) {
    zaloTokens = await ZaloTokens.open(config.dataDir, config.zalo, logger, clock, (status) => {
      if (status === 'ok') release('zalo');
    });
    adapters.set('zalo', new ZaloAdapter({ apiUrl: config.zalo.apiUrl, tokens: zaloTokens }));
  }
  const stopWatchingTokens = zaloTokens?.watch(options.tokenWatchMs) ?? (() => undefined);
  const replies = new OfficerReplies({
    store,
    tickets,
    conversations,
    channels: adapters,
    logger,
    clock,
    ...(options.retry ? { retry: options.retry } : {}),
    onChange: () => tickets.bump(),
  });
  const activity = new ActivityLog(path.join(config.dataDir, 'activity'), store.data.meta.salt);
  const phrasings = new PhrasingProposals(store);
  const personalData = new PersonalData({
    store,
    activity,
    phrasings,
    retentionMonths: config.retentionMonths,
    logger,
    clock,
    compactJournal: () => journal.compact(),
    onChange: () => tickets.bump(),
  });
  const survey = new SatisfactionSurvey({ channels: adapters, conversations, logger, clock, ...(options.retry ? { retry: options.retry } : {}) });
  const bot = new Bot({
    knowledge,
    thresholds: config.thresholds,
    footer: config.footer,
    states: conversations,
    clock,
    observe: outcomeRecorder({ store, tickets, activity, phrasings, clock }),
    handoff: escalationHandler({ tickets, replies, conversations, notifier, knowledge, handoffMessage: config.inbox.handoffMessage, logger }),
  });
  const pipeline = new Pipeline({
    bot,
    conversations,
    logger,
    takeoverMs: config.takeoverMs,
    clock,
    tickets: ticketHooks(tickets, replies),
    profile: async (channel, userId) => adapters.get(channel)?.profile?.(userId) ?? null,
    forget: (channel, userId) => personalData.erase(channel, userId),
  });
  const dispatcher = new Dispatcher({
    journal,
    pipeline,
    conversations,
    channels: adapters,
    logger,
    clock,
    ...(options.retry ? { retry: options.retry } : {}),
    onAuthFailure: (channel, err) => {
      if (channel === 'zalo') return; // the token store tracks and reports Zalo's state itself
      authFailures.set(channel, err.platformMessage);
      logger.error({ channel, code: err.code }, `ALERT: ${channel} rejected our access token — an admin must renew it`);
    },
  });

  release = (channel) => dispatcher.release(channel);

  const routers: Router[] = [];
  if (config.zalo) {
    routers.push(zaloWebhook({ appId: config.zalo.appId, oaSecretKey: config.zalo.oaSecretKey, dispatcher, logger }));
  }
  if (config.zaloSiteVerification) routers.push(zaloVerificationRoute(config.zaloSiteVerification));
  if (config.messenger) {
    routers.push(
      messengerWebhook({
        appSecret: config.messenger.appSecret,
        verifyToken: config.messenger.verifyToken,
        appId: config.messenger.appId,
        dispatcher,
        logger,
      }),
    );
  }
  if (webAdapter) routers.push(webChatRoutes(bot, conversations, webAdapter));
  routers.push(
    staticAssets(),
    inboxRoutes({
      accounts,
      tickets,
      replies,
      conversations,
      knowledge,
      footer: config.footer,
      knowledgeDir: config.knowledgeDir,
      secureCookies: config.inbox.secureCookies,
      sessionMs: config.inbox.sessionMs,
      logger,
      clock,
      survey,
      phrasings,
      ...(options.inboxPollMs ? { pollMs: options.inboxPollMs } : {}),
    }),
    adminRoutes({
      live,
      knowledgeDir: config.knowledgeDir,
      store,
      phrasings,
      tickets,
      thresholds: config.thresholds,
      footer: config.footer,
      staleAfterMonths: config.kbStaleMonths,
      logger,
      clock,
      extra: [
        reportRoutes({ store, activity, tickets, knowledge, calendar: config.inbox.officeHours, clock }),
        privacyRoutes({ personalData, tickets, userKey: (channel, userId) => activity.userKey(channel, userId), retentionMonths: config.retentionMonths }),
      ],
    }),
  );
  const stopRetention = options.retention === false ? () => undefined : personalData.startDailyRetention();

  const channels: ChannelStatus[] = [
    config.messenger
      ? { name: 'messenger', enabled: true, detail: '/webhooks/messenger' }
      : { name: 'messenger', enabled: false, detail: `chưa cấu hình (thiếu ${config.channelsMissing.messenger.join(', ')})` },
    config.zalo
      ? { name: 'zalo', enabled: true, detail: '/webhooks/zalo' }
      : { name: 'zalo', enabled: false, detail: `chưa cấu hình (thiếu ${config.channelsMissing.zalo.join(', ')})` },
    { name: 'web', enabled: config.webChat, detail: config.webChat ? '/chat' : 'tắt (ENABLE_WEB_CHAT=false)' },
  ];
  const zaloProblem = (): string | null => {
    if (!zaloTokens || zaloTokens.status === 'ok') return null;
    const held = dispatcher.heldCount('zalo');
    const why = zaloTokens.status === 'no-token' ? 'chưa có token' : `refresh token bị từ chối (${zaloTokens.lastError ?? 'không rõ'})`;
    return `cần cấp quyền lại Zalo OA: ${why} — chạy npm run zalo:auth${held > 0 ? `; ${held} tin trả lời đang chờ gửi` : ''}`;
  };
  const health = (): Health => {
    const kb = live.current.base;
    const zalo = zaloProblem();
    return {
      status: authFailures.size > 0 || zalo ? 'degraded' : 'ok',
      knowledge: {
        entries: kb.entries.length,
        drafts: kb.drafts.length,
        warnings: kb.warnings.length,
        ...(live.lastFailure ? { lastReloadRefused: `${live.lastFailure.problems.filter((p) => p.severity === 'error').length} lỗi: bản trước vẫn đang được dùng` } : {}),
      },
      channels: Object.fromEntries(
        channels.map((c) => {
          const failure = c.name === 'zalo' && zalo ? zalo : authFailures.has(c.name as ChannelName) ? `lỗi xác thực: ${authFailures.get(c.name as ChannelName)}` : null;
          return [c.name, { enabled: c.enabled, detail: failure ?? c.detail }];
        }),
      ),
    };
  };
  const app = createApp({ logger, routers, health, siteVerification: config.zaloSiteVerification, webChat: config.webChat });
  dispatcher.resume();
  const resumedReplies = replies.resume();
  if (resumedReplies > 0) logger.info({ count: resumedReplies }, 'resuming officer replies queued before the restart');
  if (accounts.list().length === 0) {
    logger.warn('no inbox account yet: set ADMIN_USERNAME and ADMIN_PASSWORD, or run npm run user:add -- --admin <name>');
  }

  return {
    app,
    store,
    journal,
    dispatcher,
    conversations,
    bot,
    accounts,
    tickets,
    replies,
    notifier,
    activity,
    personalData,
    phrasings,
    channels,
    live,
    knowledge,
    health,
    async close(graceMs = 5000) {
      stopRetention();
      stopWatchingTokens();
      stopWatchingKnowledge();
      await notifier.flush();
      await activity.flush();
      await Promise.race([dispatcher.idle(), new Promise((r) => setTimeout(r, graceMs).unref())]);
      await journal.close();
      await store.close();
      await unlock();
    },
  };
}
