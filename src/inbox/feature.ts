import type { Router } from 'express';
import type { ChannelAdapter } from '../channels/types.js';
import type { Config } from '../config.js';
import type { HandoffHandler } from '../conversation/bot.js';
import type { LiveKnowledge } from '../conversation/live-knowledge.js';
import type { ChannelName } from '../conversation/types.js';
import type { TicketHooks } from '../dispatch/pipeline.js';
import type { RetryPolicy } from '../dispatch/retry.js';
import type { Logger } from '../log.js';
import type { Conversations } from '../store/conversations.js';
import type { Stores } from '../store/open.js';
import { Accounts } from './accounts.js';
import { escalationHandler, ticketHooks } from './escalation.js';
import { Notifier } from './notify.js';
import { OfficerReplies } from './replies.js';
import type { PhrasingProposals } from '../store/phrasings.js';
import { inboxRoutes } from './routes.js';
import { SatisfactionSurvey } from './satisfaction.js';
import { Tickets } from './tickets.js';

export interface InboxOptions {
  readonly config: Config;
  readonly stores: Stores;
  readonly live: LiveKnowledge;
  readonly conversations: Conversations;
  /** The channels' adapters, each call through its channel's gate. */
  readonly channels: ReadonlyMap<ChannelName, ChannelAdapter>;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly retry?: RetryPolicy;
  readonly pollMs?: number;
  /** Told when an officer answers a ticket with an FAQ entry: a phrasing confirmed for that entry. */
  readonly phrasings?: PhrasingProposals;
}

/**
 * The officer inbox: accounts, tickets and their escalation from the bot, officers' replies and the satisfaction
 * survey, email notices, the /inbox pages. Ticket changes are told to the other instances sharing the store, so
 * their open pages refresh too.
 */
export class Inbox {
  readonly accounts: Accounts;
  readonly tickets: Tickets;
  readonly notifier: Notifier;
  readonly replies: OfficerReplies;
  readonly survey: SatisfactionSurvey;
  readonly escalation: HandoffHandler;
  readonly hooks: TicketHooks;
  readonly routers: Router[];
  private readonly unsubscribe: () => void;

  constructor(private readonly o: InboxOptions) {
    const { config, stores, logger, clock } = o;
    const retry = o.retry ? { retry: o.retry } : {};
    this.accounts = new Accounts(stores.data, stores.loginAttempts, config.inbox.sessionMs, clock);
    this.tickets = new Tickets({ store: stores.data, calendar: config.inbox.officeHours, slaFirstResponseMs: config.inbox.slaFirstResponseMs, slaWarningMs: config.inbox.slaWarningMs, takeoverMs: config.takeoverMs, clock });
    this.tickets.onChange(() => void stores.coordination.publish(TICKETS_TOPIC).catch(() => undefined));
    this.unsubscribe = stores.coordination.subscribe(TICKETS_TOPIC, () => this.tickets.changedElsewhere());
    this.notifier = new Notifier({ smtpUrl: config.inbox.smtpUrl, to: config.inbox.notifyEmails, from: config.inbox.notifyFrom, batchMs: config.inbox.notifyBatchMs, publicUrl: config.inbox.publicUrl, logger });
    this.replies = new OfficerReplies({ store: stores.data, tickets: this.tickets, conversations: o.conversations, channels: o.channels, logger, clock, ...retry, onChange: () => this.tickets.bump() });
    this.survey = new SatisfactionSurvey({ channels: o.channels, tickets: this.tickets, conversations: o.conversations, logger, clock, ...retry });
    const knowledge = () => o.live.current;
    this.escalation = escalationHandler({ tickets: this.tickets, replies: this.replies, conversations: o.conversations, notifier: this.notifier, knowledge, handoffMessage: config.inbox.handoffMessage, logger });
    this.hooks = ticketHooks(this.tickets, this.replies);
    this.routers = [
      inboxRoutes({
        accounts: this.accounts,
        tickets: this.tickets,
        replies: this.replies,
        conversations: o.conversations,
        live: o.live,
        footer: config.footer,
        knowledgeDir: config.knowledgeDir,
        secureCookies: config.inbox.secureCookies,
        sessionMs: config.inbox.sessionMs,
        logger,
        clock,
        survey: this.survey,
        ...(o.phrasings ? { phrasings: o.phrasings } : {}),
        secret: stores.data.meta.secret,
        ...(o.pollMs ? { pollMs: o.pollMs } : {}),
      }),
    ];
  }

  /** The first admin from the environment, replies queued before a restart, a warning when nobody can log in. */
  async start(): Promise<void> {
    const { config, logger } = this.o;
    const admin = await this.accounts.ensureInitialAdmin(config.inbox.initialAdmin);
    if (admin) logger.info({ username: admin.username }, 'first admin account created from ADMIN_USERNAME');
    const resumed = await this.replies.resume();
    if (resumed > 0) logger.info({ count: resumed }, 'resuming officer replies queued before the restart');
    if ((await this.accounts.list()).length === 0) {
      logger.warn('no inbox account yet: set ADMIN_USERNAME and ADMIN_PASSWORD, or run npm run user:add -- --admin <name>');
    }
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.notifier.flush();
  }
}

/** The Coordination topic of ticket changes. */
const TICKETS_TOPIC = 'tickets';
