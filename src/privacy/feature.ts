import type { Router } from 'express';
import type { Config } from '../config.js';
import type { Tickets } from '../inbox/tickets.js';
import type { Logger } from '../log.js';
import type { ActivityLog } from '../reports/activity.js';
import type { Stores } from '../store/open.js';
import type { PhrasingProposals } from '../store/phrasings.js';
import { privacyRoutes } from './routes.js';
import { PersonalData } from './service.js';

/** Personal data: a person's export and erasure (Zalo's user_withdraw too), the daily retention job, /admin/privacy. */
export class Privacy {
  readonly personalData: PersonalData;
  readonly routers: Router[];
  private stopRetention: () => void = () => undefined;

  constructor(private readonly o: { config: Config; stores: Stores; activity: ActivityLog; tickets: Tickets; phrasings: PhrasingProposals; logger: Logger; clock: () => number }) {
    this.personalData = new PersonalData({
      store: o.stores.data,
      activity: o.activity,
      phrasings: o.phrasings,
      retentionMonths: o.config.retentionMonths,
      logger: o.logger,
      clock: o.clock,
      compactJournal: () => o.stores.queue.compact(),
      onChange: () => o.tickets.bump(),
    });
    this.routers = [privacyRoutes({ personalData: this.personalData, tickets: o.tickets, userKey: (channel, userId) => o.activity.userKey(channel, userId), retentionMonths: o.config.retentionMonths })];
  }

  startRetention(): void {
    this.stopRetention = this.personalData.startDailyRetention((name, period, task) => this.o.stores.coordination.once(name, period, task));
  }

  close(): void {
    this.stopRetention();
  }
}
