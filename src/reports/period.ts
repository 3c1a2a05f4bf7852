/**
 * Report periods as the office counts them: Vietnam days (see days.ts) with both ends included, held internally as
 * [from, to) epoch milliseconds.
 */
import { DAY_MS as DAY, vietnamDay } from '../days.js';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export class PeriodError extends Error {}

export interface Period {
  readonly fromDay: string;
  readonly toDay: string;
  readonly from: number;
  readonly to: number;
}

/** "2026-01-01".."2026-03-31" (both days included) → the period; a clear error otherwise. */
export function parsePeriod(fromDay: string, toDay: string): Period {
  for (const d of [fromDay, toDay]) {
    if (!ISO_DAY.test(d) || Number.isNaN(Date.parse(d))) throw new PeriodError(`Ngày "${d}" không hợp lệ: cần dạng YYYY-MM-DD, ví dụ 2026-01-31.`);
  }
  const from = Date.parse(`${fromDay}T00:00:00+07:00`);
  const to = Date.parse(`${toDay}T00:00:00+07:00`) + DAY;
  if (to <= from) throw new PeriodError(`Ngày kết thúc (${toDay}) phải từ ngày bắt đầu (${fromDay}) trở đi.`);
  return { fromDay, toDay, from, to };
}

/**
 * The period of a page's `?from=&to=` query: `to` defaults to today, `from` to `daysBack` days before `to`.
 * Values that are not YYYY-MM-DD at all fall back to the defaults; impossible dates throw PeriodError.
 */
export function periodFromQuery(query: Record<string, unknown>, now: number, daysBack: number): Period {
  const toDay = ISO_DAY.test(String(query.to)) ? String(query.to) : vietnamDay(now);
  const fromDay = ISO_DAY.test(String(query.from)) ? String(query.from) : vietnamDay(Date.parse(`${toDay}T00:00:00+07:00`) - daysBack * DAY);
  return parsePeriod(fromDay, toDay);
}
