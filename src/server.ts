import type { Express } from 'express';
import { adminRoutes } from './admin/routes.js';
import { createApp, type Health } from './app.js';
import { Channels, type ChannelStatus } from './channels/feature.js';
import type { Config } from './config.js';
import { Bot } from './conversation/bot.js';
import type { Knowledge } from './conversation/knowledge.js';
import { LiveKnowledge } from './conversation/live-knowledge.js';
import { Dispatcher, type InboundJournal } from './dispatch/dispatcher.js';
import { Pipeline } from './dispatch/pipeline.js';
import type { RetryPolicy } from './dispatch/retry.js';
import { Inbox } from './inbox/feature.js';
import type { Accounts } from './inbox/accounts.js';
import type { Notifier } from './inbox/notify.js';
import type { OfficerReplies } from './inbox/replies.js';
import type { Tickets } from './inbox/tickets.js';
import type { Logger } from './log.js';
import { Metrics } from './metrics/metrics.js';
import { metricsRoutes } from './metrics/routes.js';
import { Privacy } from './privacy/feature.js';
import type { PersonalData } from './privacy/service.js';
import type { ActivityLog } from './reports/activity.js';
import { Reports } from './reports/feature.js';
import { BackupError, nightlyBackups, type BackupManifest } from './store/backup.js';
import { Conversations } from './store/conversations.js';
import { openStores, type Stores } from './store/open.js';
import { PhrasingProposals } from './store/phrasings.js';
import type { DataStore } from './store/types.js';
import { staticAssets } from './web/layout.js';

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
  /** The stores to use instead of opening those the config names (tests of several instances). */
  readonly stores?: Stores;
}

/** Everything the running product is made of; main.ts listens, tests and benchmarks drive it directly. */
export interface Server {
  readonly app: Express;
  readonly store: DataStore;
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
  health(): Promise<Health>;
  /** A consistent backup of DATA_DIR into a new folder under `outDir` (see store/backup.ts). */
  backup(outDir: string): Promise<{ dir: string; manifest: BackupManifest }>;
  /**
   * Stops starting work, lets the sends in flight finish (up to `graceMs`), then closes the stores. Work not started
   * stays queued and resumes at the next start (or on another instance).
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * Builds the server from a validated config: the knowledge base (a broken file is reported, not served), the
 * stores, the channels that have credentials, the inbox, reports and personal data, the dispatcher and the HTTP app;
 * then resumes unfinished work.
 */
export async function createServer(config: Config, logger: Logger, options: ServerOptions = {}): Promise<Server> {
  const clock = options.clock ?? Date.now;
  const live = await LiveKnowledge.load(config.knowledgeDir, logger, clock);
  const stopWatchingKnowledge = live.watch(options.knowledgeDebounceMs);
  const stores = options.stores ?? (await openStores(config, { clock, logger }));
  const conversations = new Conversations(stores.data);
  const phrasings = new PhrasingProposals(stores.data);
  let inbox: Inbox | null = null;
  const metrics = new Metrics({
    sends: () => [...channels.gates].map(([channel, gate]) => ({ channel, inFlight: gate.inFlight, queued: gate.queued })),
    openTickets: () => inbox!.tickets.openBySla(),
    knowledge: () => ({ entries: live.current.base.entries.length, drafts: live.current.base.drafts.length, lastReloadOk: live.lastFailure === null, loadedAt: live.loadedAt }),
    zaloToken: () => channels.zaloTokenState,
  });
  const channels = await Channels.open({ config, tokens: stores.tokens, metrics, logger, clock, ...(options.tokenWatchMs ? { tokenWatchMs: options.tokenWatchMs } : {}) });
  inbox = new Inbox({ config, stores, live, conversations, channels: channels.gated, logger, clock, ...(options.retry ? { retry: options.retry } : {}), ...(options.inboxPollMs ? { pollMs: options.inboxPollMs } : {}), phrasings });
  const reports = new Reports({ config, stores, tickets: inbox.tickets, live, phrasings, clock });
  const privacy = new Privacy({ config, stores, activity: reports.activity, tickets: inbox.tickets, phrasings, logger, clock });

  const bot = new Bot({
    knowledge: () => live.current,
    thresholds: config.thresholds,
    footer: config.footer,
    states: conversations,
    clock,
    observe: async (message, outcome, seconds) => {
      metrics.decided(outcome, seconds);
      await reports.record(message, outcome);
    },
    handoff: inbox.escalation,
  });
  const pipeline = new Pipeline({
    bot,
    conversations,
    logger,
    takeoverMs: config.takeoverMs,
    clock,
    tickets: inbox.hooks,
    profile: async (channel, userId) => channels.gated.get(channel)?.profile?.(userId) ?? null,
    forget: (channel, userId) => privacy.personalData.erase(channel, userId),
  });
  const dispatcher = new Dispatcher({
    journal: stores.queue,
    pipeline,
    conversations,
    channels: channels.adapters,
    gates: channels.gates,
    observe: (event) => metrics.inboundEvent(event),
    logger,
    clock,
    ...(options.retry ? { retry: options.retry } : {}),
    leaseMs: config.queueLeaseMs,
    // With several instances, look now and then for work accepted elsewhere or left by one that died; and work on
    // fewer users at once than the pool has connections times a few, or every query queues behind the others. No new
    // user while the loop runs 1 ms late (3 ms: a higher p99), and one reply worked out at a time while the sends
    // overlap: at 300 messages/s on two shared cores the acknowledgements' p99 went from 71–94 ms to 27–46 ms in
    // paired runs (2 or 3 at a time: 43–57 ms), replies keeping pace (README, "Benchmarks").
    ...(stores.kind === 'postgres' ? { pollMs: 1000, maxUsers: 48, claimBatch: 8, shared: true, busyLagMs: 1, pipelines: 1 } : {}),
    onAuthFailure: (channel, err) => channels.authFailed(channel, err),
  });

  const admin = adminRoutes({
    live,
    knowledgeDir: config.knowledgeDir,
    store: stores.data,
    phrasings,
    tickets: inbox.tickets,
    thresholds: config.thresholds,
    footer: config.footer,
    staleAfterMonths: config.kbStaleMonths,
    lookaheadDays: config.kbLookaheadDays,
    logger,
    clock,
    extra: [...reports.routers, ...privacy.routers],
  });
  const routers = [metricsRoutes(metrics, config.monitoringToken), ...channels.routers(dispatcher, bot, conversations), staticAssets(), ...inbox.routers, admin];

  const backup = async (outDir: string) => {
    if (!stores.backup) throw new BackupError('Dữ liệu đang ở PostgreSQL: hãy sao lưu bằng pg_dump (README "Backups").');
    return stores.backup(outDir, () => reports.activity.flush());
  };
  const stopBackups = config.backup.dir && stores.backup ? nightlyBackups(config.backup.dir, config.backup.keep, backup, logger, clock) : () => undefined;
  if (options.retention !== false) privacy.startRetention();

  const health = async (): Promise<Health> => {
    const kb = live.current.base;
    const problems = await channels.problems();
    return {
      status: problems.size > 0 ? 'degraded' : 'ok',
      knowledge: {
        entries: kb.entries.length,
        drafts: kb.drafts.length,
        warnings: kb.warnings.length,
        ...(live.lastFailure ? { lastReloadRefused: `${live.lastFailure.problems.filter((p) => p.severity === 'error').length} lỗi: bản trước vẫn đang được dùng` } : {}),
      },
      channels: Object.fromEntries(channels.statuses.map((c) => [c.name, { enabled: c.enabled, detail: problems.get(c.name) ?? c.detail }])),
    };
  };
  const app = createApp({ logger, routers, health, siteVerification: config.zaloSiteVerification, webChat: config.webChat, trustProxy: config.trustProxy, monitoringToken: config.monitoringToken });
  dispatcher.resume();
  await inbox.start();

  return {
    app,
    store: stores.data,
    journal: stores.queue,
    dispatcher,
    conversations,
    bot,
    accounts: inbox.accounts,
    tickets: inbox.tickets,
    replies: inbox.replies,
    notifier: inbox.notifier,
    activity: reports.activity,
    personalData: privacy.personalData,
    phrasings,
    channels: channels.statuses,
    live,
    knowledge: () => live.current,
    health,
    backup,
    async close(graceMs = 5000) {
      privacy.close();
      stopBackups();
      channels.close();
      stopWatchingKnowledge();
      await inbox!.close();
      await reports.close();
      await Promise.race([dispatcher.stop(), new Promise((r) => setTimeout(r, graceMs).unref())]);
      await stores.close();
    },
  };
}
