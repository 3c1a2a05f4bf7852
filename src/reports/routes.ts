import { sendStaffPage } from '../inbox/staff-page.js';
import { Router, type Request, type Response } from 'express';
import type { Knowledge } from '../conversation/knowledge.js';
import type { Tickets } from '../inbox/tickets.js';
import type { WorkingCalendar } from '../inbox/working-time.js';
import type { DataStore } from '../store/types.js';
import type { ActivityLog } from './activity.js';
import { toCsv, toJson, toMarkdown } from './format.js';
import type { Report } from './report.js';
import { PeriodError, periodFromQuery } from './period.js';
import { reportFor } from './source.js';
import { reportBody } from './views.js';

export interface ReportRoutesOptions {
  readonly store: DataStore;
  readonly activity: ActivityLog;
  readonly tickets: Tickets;
  readonly knowledge: () => Knowledge;
  readonly calendar: WorkingCalendar;
  readonly clock?: () => number;
}

/** /admin/reports (page with charts) and its downloads; mounted behind the admin pages' login and role check. */
export function reportRoutes(o: ReportRoutesOptions): Router {
  const router = Router();
  const now = () => (o.clock ?? Date.now)();

  const report = async (req: Request): Promise<{ report: Report; fromDay: string; toDay: string }> => {
    // By default the last 30 days.
    const p = periodFromQuery(req.query, now(), 29);
    const r = await reportFor({ data: await o.store.snapshot(), activity: o.activity, knowledge: o.knowledge(), calendar: o.calendar }, p.from, p.to);
    return { report: r, fromDay: p.fromDay, toDay: p.toDay };
  };
  const badPeriod = (res: Response, err: unknown): boolean => {
    if (!(err instanceof PeriodError)) return false;
    res.status(400).type('text/plain; charset=utf-8').send(err.message);
    return true;
  };

  router.get('/admin/reports', async (req, res, next) => {
    try {
      const { report: r, fromDay, toDay } = await report(req);
      await sendStaffPage(res, o.tickets, { title: 'Báo cáo', body: reportBody(r, fromDay, toDay) });
    } catch (err) {
      if (!badPeriod(res, err)) next(err);
    }
  });

  const download = (ext: string, type: string, render: (r: Report) => string) =>
    router.get(`/admin/reports.${ext}`, async (req, res, next) => {
      try {
        const { report: r, fromDay, toDay } = await report(req);
        res.type(type).attachment(`bao-cao-${fromDay}-${toDay}.${ext}`).send(render(r));
      } catch (err) {
        if (!badPeriod(res, err)) next(err);
      }
    });
  download('csv', 'text/csv; charset=utf-8', toCsv);
  download('md', 'text/markdown; charset=utf-8', toMarkdown);
  download('json', 'application/json; charset=utf-8', toJson);
  return router;
}
