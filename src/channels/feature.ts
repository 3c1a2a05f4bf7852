import { Router } from 'express';
import type { Config } from '../config.js';
import type { Bot } from '../conversation/bot.js';
import type { ChannelName } from '../conversation/types.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import { gatedAdapter, Gate } from '../dispatch/gate.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Conversations } from '../store/conversations.js';
import type { TokenVault } from '../store/types.js';
import { MessengerAdapter } from './messenger/adapter.js';
import { GraphClient } from './messenger/client.js';
import { messengerWebhook } from './messenger/webhook.js';
import type { ChannelAdapter, SendError } from './types.js';
import { WebAdapter } from './web/adapter.js';
import { webChatRoutes } from './web/routes.js';
import { ZaloAdapter } from './zalo/adapter.js';
import { ZaloTokens } from './zalo/tokens.js';
import { zaloVerificationRoute, zaloWebhook } from './zalo/webhook.js';

/** A channel as /healthz reports it: enabled, or disabled with the reason (missing credentials...). */
export interface ChannelStatus {
  readonly name: string;
  readonly enabled: boolean;
  readonly detail: string;
}

export interface ChannelsOptions {
  readonly config: Config;
  readonly tokens: TokenVault;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly clock: () => number;
  /** How often to look for re-authorised Zalo tokens while the channel waits for them. */
  readonly tokenWatchMs?: number;
}

/**
 * The platforms the configuration enables (a channel without credentials is reported, not started): their
 * adapters, instrumented and bounded by a Gate each, their webhooks, and what /healthz says about them.
 */
export class Channels {
  /** Adapters as the dispatcher uses them (it takes gate slots itself). */
  readonly adapters = new Map<ChannelName, ChannelAdapter>();
  /** Every other caller's view: each platform call through the channel's gate. */
  readonly gated = new Map<ChannelName, ChannelAdapter>();
  readonly gates = new Map<ChannelName, Gate>();
  readonly web: WebAdapter | null;
  readonly statuses: readonly ChannelStatus[];
  private zaloTokens: ZaloTokens | null = null;
  private readonly authFailures = new Map<ChannelName, string>();
  private dispatcher: Dispatcher | null = null;
  private stopWatching: () => void = () => undefined;

  private constructor(private readonly o: ChannelsOptions) {
    const { config } = o;
    this.web = config.webChat ? new WebAdapter(o.clock) : null;
    this.statuses = [
      config.messenger ? { name: 'messenger', enabled: true, detail: '/webhooks/messenger' } : { name: 'messenger', enabled: false, detail: `chưa cấu hình (thiếu ${config.channelsMissing.messenger.join(', ')})` },
      config.zalo ? { name: 'zalo', enabled: true, detail: '/webhooks/zalo' } : { name: 'zalo', enabled: false, detail: `chưa cấu hình (thiếu ${config.channelsMissing.zalo.join(', ')})` },
      { name: 'web', enabled: config.webChat, detail: config.webChat ? '/chat' : 'tắt (ENABLE_WEB_CHAT=false)' },
    ];
  }

  static async open(o: ChannelsOptions): Promise<Channels> {
    const channels = new Channels(o);
    const { config, metrics } = o;
    if (config.messenger) {
      const graph = new GraphClient({ appSecret: config.messenger.appSecret, pageAccessToken: config.messenger.pageAccessToken, apiUrl: config.messenger.graphApiUrl, apiVersion: config.messenger.graphApiVersion });
      channels.add('messenger', metrics.instrument(new MessengerAdapter(graph)));
    }
    if (config.zalo) {
      // Replies held while the OA waited for re-authorisation go out as soon as a new pair is stored.
      const tokens = await ZaloTokens.open(o.tokens, config.zalo, o.logger, o.clock, (status) => {
        if (status === 'ok') void channels.dispatcher?.release('zalo');
      });
      channels.zaloTokens = tokens;
      channels.stopWatching = tokens.watch(o.tokenWatchMs);
      channels.add('zalo', metrics.instrument(new ZaloAdapter({ apiUrl: config.zalo.apiUrl, tokens })));
    }
    if (channels.web) {
      channels.adapters.set('web', channels.web);
      channels.gated.set('web', channels.web);
    }
    return channels;
  }

  private add(name: ChannelName, adapter: ChannelAdapter): void {
    const gate = new Gate(this.o.config.sendConcurrency);
    this.adapters.set(name, adapter);
    this.gates.set(name, gate);
    this.gated.set(name, gatedAdapter(adapter, gate));
  }

  get zaloTokenState(): 'ok' | 'needs-reauth' | 'no-token' | null {
    return this.zaloTokens?.status ?? null;
  }

  /** A platform refused our credentials for good: shown in /healthz until an admin renews them. */
  authFailed(channel: ChannelName, err: SendError): void {
    if (channel === 'zalo') return; // the token store tracks and reports Zalo's state itself
    this.authFailures.set(channel, err.platformMessage);
    this.o.logger.error({ channel, code: err.code }, `ALERT: ${channel} rejected our access token — an admin must renew it`);
  }

  /** Each channel's problem in words, or nothing: what /healthz shows. */
  async problems(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const [channel, message] of this.authFailures) out.set(channel, `lỗi xác thực: ${message}`);
    const tokens = this.zaloTokens;
    if (tokens && tokens.status !== 'ok') {
      const held = (await this.dispatcher?.heldCount('zalo')) ?? 0;
      const why = tokens.status === 'no-token' ? 'chưa có token' : `refresh token bị từ chối (${tokens.lastError ?? 'không rõ'})`;
      out.set('zalo', `cần cấp quyền lại Zalo OA: ${why} — chạy npm run zalo:auth${held > 0 ? `; ${held} tin trả lời đang chờ gửi` : ''}`);
    }
    return out;
  }

  /** The webhooks, Zalo's domain verification and the web chat, once the dispatcher and the bot exist. */
  routers(dispatcher: Dispatcher, bot: Bot, conversations: Conversations): Router[] {
    this.dispatcher = dispatcher;
    const { config, metrics, logger, clock } = this.o;
    const routers: Router[] = [];
    if (config.zalo) {
      routers.push(Router().use('/webhooks/zalo', metrics.webhookTimer('zalo')));
      routers.push(zaloWebhook({ appId: config.zalo.appId, oaSecretKey: config.zalo.oaSecretKey, dispatcher, logger, clock }));
    }
    if (config.zaloSiteVerification) routers.push(zaloVerificationRoute(config.zaloSiteVerification));
    if (config.messenger) {
      routers.push(Router().use('/webhooks/messenger', metrics.webhookTimer('messenger')));
      routers.push(messengerWebhook({ appSecret: config.messenger.appSecret, verifyToken: config.messenger.verifyToken, appId: config.messenger.appId, dispatcher, logger }));
    }
    if (this.web) {
      routers.push(webChatRoutes({ bot, conversations, outbox: this.web, limits: config.webChatLimits, secureCookies: config.inbox.secureCookies, clock, observe: (event) => metrics.inboundEvent(event) }));
    }
    return routers;
  }

  close(): void {
    this.stopWatching();
  }
}
