import type { ChannelName } from '../conversation/types.js';
import type { Logger } from '../log.js';
import type { Activity, ActivityLog } from '../reports/activity.js';
import { vietnamMonth } from '../days.js';
import type { PhrasingProposals } from '../store/phrasings.js';
import type { DataStore } from '../store/types.js';
import { retentionCutoff, type ErasureCounts, type UserData } from './personal-data.js';

export interface UserDataExport extends UserData {
  readonly exportedAt: string;
  /** The person's lines in the activity log (no text: time, outcome, answered entry). */
  readonly activity: readonly Activity[];
}

export interface ErasureReport extends ErasureCounts {
  readonly activityLines: number;
}

export interface RetentionReport extends ErasureReport {
  /** Phrasing proposals (question texts, no person) that waited longer than the retention period. */
  readonly phrasings: number;
}

export interface PersonalDataOptions {
  readonly store: DataStore;
  readonly activity: ActivityLog;
  readonly retentionMonths: number;
  readonly logger: Logger;
  readonly clock?: () => number;
  /** Open phrasing proposals last confirmed before the retention period go with the rest. */
  readonly phrasings?: PhrasingProposals;
  /** Drops finished events (and their text) from the inbound journal; the server passes its journal's compaction. */
  readonly compactJournal?: () => Promise<void>;
  /** Told after a change to tickets, so open inbox pages refresh. */
  readonly onChange?: () => void;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** What an erasure removed, in words (the admin page and the command line). */
export const erasureSummary = (r: ErasureReport) =>
  `${r.conversations} cuộc trò chuyện, ${r.tickets} phiếu hỗ trợ, ${r.feedback} đánh giá, ${r.deliveryFailures} tin gửi lỗi, ${r.activityLines} dòng nhật ký hoạt động`;


/** Access and deletion requests, and the retention job, over the database and the activity log. */
export class PersonalData {
  constructor(private readonly o: PersonalDataOptions) {}

  private now(): number {
    return (this.o.clock ?? Date.now)();
  }

  async export(channel: ChannelName, userId: string): Promise<UserDataExport> {
    return {
      exportedAt: new Date(this.now()).toISOString(),
      channel,
      userId,
      ...(await this.o.store.userData(channel, userId)),
      activity: await this.o.activity.linesOf(channel, userId),
    };
  }

  async erase(channel: ChannelName, userId: string): Promise<ErasureReport> {
    const counts = await this.o.store.eraseUser(channel, userId, this.now());
    const activityLines = await this.o.activity.forget(channel, userId);
    await this.o.compactJournal?.();
    this.o.onChange?.();
    // The id is not logged: the request is to forget it.
    this.o.logger.info({ channel, ...counts, activityLines }, 'personal data erased on request');
    return { ...counts, activityLines };
  }

  /** Removes the personal part of everything older than the retention period. */
  async applyRetention(): Promise<RetentionReport> {
    const cutoff = retentionCutoff(this.now(), this.o.retentionMonths);
    const counts = await this.o.store.applyRetention(cutoff, this.now());
    const phrasings = (await this.o.phrasings?.purgeOlderThan(cutoff)) ?? 0;
    const activityLines = await this.o.activity.unlinkBefore(vietnamMonth(cutoff));
    await this.o.compactJournal?.();
    if (counts.tickets > 0) this.o.onChange?.();
    this.o.logger.info({ cutoff: new Date(cutoff).toISOString(), ...counts, phrasings, activityLines }, 'retention applied');
    return { ...counts, phrasings, activityLines };
  }

  /**
   * Runs the retention job soon after start and then once a day; with several instances on one database, only one
   * of them runs it in a day (`once`). Returns the stop function.
   */
  startDailyRetention(once: (name: string, periodMs: number, task: () => Promise<void>) => Promise<boolean>): () => void {
    const run = () =>
      void once('retention', DAY - HOUR, async () => {
        await this.applyRetention();
      }).catch((err: unknown) => this.o.logger.error({ err: String(err) }, 'retention job failed: will retry tomorrow'));
    const first = setTimeout(run, 10_000);
    const daily = setInterval(run, DAY);
    first.unref();
    daily.unref();
    return () => {
      clearTimeout(first);
      clearInterval(daily);
    };
  }
}
