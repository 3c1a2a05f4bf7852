import type { Router } from 'express';
import type { Config } from '../config.js';
import type { LiveKnowledge } from '../conversation/live-knowledge.js';
import type { Tickets } from '../inbox/tickets.js';
import type { Stores } from '../store/open.js';
import type { PhrasingProposals } from '../store/phrasings.js';
import { ActivityLog } from './activity.js';
import { outcomeRecorder } from './recorder.js';
import { reportRoutes } from './routes.js';

/** What the bot learns from each message (activity log, 👍/👎, ratings, confirmed phrasings) and the reports built from it. */
export class Reports {
  readonly activity: ActivityLog;
  readonly record: ReturnType<typeof outcomeRecorder>;
  readonly routers: Router[];

  constructor(o: { config: Config; stores: Stores; tickets: Tickets; live: LiveKnowledge; phrasings: PhrasingProposals; clock: () => number }) {
    this.activity = new ActivityLog(o.stores.activity, o.stores.data.meta.salt);
    this.record = outcomeRecorder({ store: o.stores.data, tickets: o.tickets, activity: this.activity, phrasings: o.phrasings, clock: o.clock });
    this.routers = [reportRoutes({ store: o.stores.data, activity: this.activity, tickets: o.tickets, knowledge: () => o.live.current, calendar: o.config.inbox.officeHours, clock: o.clock })];
  }

  close(): Promise<void> {
    return this.activity.flush();
  }
}
