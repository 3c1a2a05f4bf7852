import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ChannelAdapter, InboundEvent } from '../channels/types.js';
import { SendError } from '../channels/types.js';
import type { Outcome } from '../conversation/types.js';

/** What the gauges read when /metrics is scraped: current state, never a second copy of it. */
export interface MetricsSources {
  /** Platform calls in flight and waiting, per channel. */
  readonly sends: () => ReadonlyArray<{ channel: string; inFlight: number; queued: number }>;
  /** Open tickets (not closed) by SLA state. */
  readonly openTickets: () => Promise<Readonly<Record<string, number>>>;
  readonly knowledge: () => { entries: number; drafts: number; lastReloadOk: boolean; loadedAt: number };
  /** Zalo's token state, or null when the channel is off. */
  readonly zaloToken: () => 'ok' | 'needs-reauth' | 'no-token' | null;
}

const PREFIX = 'hoanhmo_';

/**
 * The Prometheus metrics of one server (its own registry, not prom-client's global one, so tests can run several
 * servers in one process). Counters and histograms are fed where things happen; gauges read MetricsSources.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly inbound = new Counter({ name: `${PREFIX}inbound_events_total`, help: 'Events received from users, by channel and kind', labelNames: ['channel', 'kind'], registers: [this.registry] });
  private readonly decisions = new Counter({ name: `${PREFIX}decisions_total`, help: "The bot's decision for each message", labelNames: ['outcome'], registers: [this.registry] });
  private readonly sends = new Counter({ name: `${PREFIX}platform_calls_total`, help: 'Calls to the platforms by channel, kind (send, typing, profile), result and platform error code', labelNames: ['channel', 'call', 'result', 'code'], registers: [this.registry] });
  private readonly ack = new Histogram({ name: `${PREFIX}webhook_ack_seconds`, help: 'Time from a webhook request to its acknowledgement', labelNames: ['channel'], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [this.registry] });
  private readonly matching = new Histogram({ name: `${PREFIX}matching_seconds`, help: 'Time to decide the reply to one message', buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1], registers: [this.registry] });

  constructor(sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => void | Promise<void>) =>
      new Gauge({
        name: `${PREFIX}${name}`,
        help,
        labelNames,
        registers: [this.registry],
        async collect() {
          this.reset();
          await collect(this);
        },
      });
    gauge('sends_in_flight', 'Platform calls in flight per channel', ['channel'], (g) => sources.sends().forEach((s) => g.set({ channel: s.channel }, s.inFlight)));
    gauge('sends_queued', 'Platform calls waiting for a slot per channel', ['channel'], (g) => sources.sends().forEach((s) => g.set({ channel: s.channel }, s.queued)));
    gauge('tickets_open', 'Tickets not closed, by SLA state', ['sla'], async (g) => Object.entries(await sources.openTickets()).forEach(([sla, n]) => g.set({ sla }, n)));
    gauge('knowledge_entries', 'Entries served (drafts apart)', ['kind'], (g) => {
      const k = sources.knowledge();
      g.set({ kind: 'served' }, k.entries);
      g.set({ kind: 'draft' }, k.drafts);
    });
    gauge('knowledge_last_reload_ok', '1 when the last reload of the knowledge base was accepted, 0 when refused', [], (g) => g.set(sources.knowledge().lastReloadOk ? 1 : 0));
    gauge('knowledge_loaded_timestamp_seconds', 'When the knowledge base being served was loaded', [], (g) => g.set(sources.knowledge().loadedAt / 1000));
    gauge('zalo_token_state', "1 for Zalo's current token state (ok, needs-reauth, no-token)", ['state'], (g) => {
      const state = sources.zaloToken();
      if (state) for (const s of ['ok', 'needs-reauth', 'no-token']) g.set({ state: s }, s === state ? 1 : 0);
    });
  }

  inboundEvent(event: InboundEvent): void {
    this.inbound.inc({ channel: event.kind === 'message' ? event.message.channel : event.channel, kind: event.kind === 'message' ? event.message.kind : event.kind });
  }

  decided(outcome: Outcome, seconds: number): void {
    this.decisions.inc({ outcome: outcome.decision });
    this.matching.observe(seconds);
  }

  /** Times the acknowledgement of the webhook requests it is mounted on. */
  webhookTimer(channel: string): RequestHandler {
    return (_req, res, next) => {
      const end = this.ack.startTimer({ channel });
      res.once('finish', () => end());
      next();
    };
  }

  /** The adapter with every platform call counted by result and platform error code. */
  instrument(adapter: ChannelAdapter): ChannelAdapter {
    const count = async <T>(call: string, run: () => Promise<T>): Promise<T> => {
      try {
        const result = await run();
        this.sends.inc({ channel: adapter.name, call, result: 'ok', code: '' });
        return result;
      } catch (err) {
        const e = err instanceof SendError ? err : null;
        this.sends.inc({ channel: adapter.name, call, result: e?.kind ?? 'error', code: e?.code === undefined ? '' : String(e.code) });
        throw err;
      }
    };
    return {
      ...adapter,
      render: (userId, replies, context) => adapter.render(userId, replies, context),
      send: (message) => count('send', () => adapter.send(message)),
      ...(adapter.typing ? { typing: (userId: string) => count('typing', () => adapter.typing!(userId)) } : {}),
      ...(adapter.profile ? { profile: (userId: string) => count('profile', () => adapter.profile!(userId)) } : {}),
    };
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
