/**
 * Working time of the office, for the SLA clock: office hours per weekday and public holidays, in Vietnam's time
 * zone (UTC+7, no daylight saving). Pure functions over epoch milliseconds.
 */
export interface WorkingCalendar {
  /** Per weekday (0 = Sunday … 6 = Saturday): working intervals in minutes after local midnight. */
  readonly days: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  /** Local dates (YYYY-MM-DD) without work. */
  readonly holidays: ReadonlySet<string>;
  readonly utcOffsetMinutes: number;
}

export const VIETNAM_OFFSET_MINUTES = 7 * 60;
const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export class OfficeHoursError extends Error {}

/**
 * "Mon-Fri 07:30-11:30,13:30-17:00; Sat 07:30-11:30" → intervals per weekday. Days are English three-letter names
 * (or ranges); times 24-hour.
 */
export function parseOfficeHours(spec: string): WorkingCalendar['days'] {
  const days: Array<Array<[number, number]>> = Array.from({ length: 7 }, () => []);
  for (const part of spec.split(';').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z]{3})(?:\s*-\s*([a-z]{3}))?\s+(.+)$/i.exec(part);
    if (!m) throw new OfficeHoursError(`"${part}": cần dạng "Mon-Fri 07:30-11:30,13:30-17:00"`);
    const from = WEEKDAYS.indexOf(m[1]!.toLowerCase());
    const to = WEEKDAYS.indexOf((m[2] ?? m[1]!).toLowerCase());
    if (from < 0 || to < 0) throw new OfficeHoursError(`"${part}": tên ngày phải là Mon, Tue, Wed, Thu, Fri, Sat, Sun`);
    const intervals = m[3]!.split(',').map((range) => {
      const t = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(range);
      if (!t) throw new OfficeHoursError(`"${range.trim()}": giờ phải có dạng 07:30-11:30`);
      const start = Number(t[1]) * 60 + Number(t[2]);
      const end = Number(t[3]) * 60 + Number(t[4]);
      if (end <= start || end > 24 * 60) throw new OfficeHoursError(`"${range.trim()}": giờ kết thúc phải sau giờ bắt đầu`);
      return [start, end] as [number, number];
    });
    for (let d = from; ; d = (d + 1) % 7) {
      days[d]!.push(...intervals);
      if (d === to) break;
    }
  }
  for (const d of days) d.sort((a, b) => a[0] - b[0]);
  return days;
}

/** Local midnight (as epoch ms) of the day containing `t`, and that day's date and weekday. */
function localDay(cal: WorkingCalendar, t: number): { start: number; date: string; weekday: number } {
  const offset = cal.utcOffsetMinutes * MINUTE;
  const local = t + offset;
  const start = Math.floor(local / DAY) * DAY - offset;
  const d = new Date(local);
  return { start, date: d.toISOString().slice(0, 10), weekday: d.getUTCDay() };
}

/** The working intervals of the local day starting at `dayStart`, as epoch ms. */
function intervalsOf(cal: WorkingCalendar, dayStart: number): Array<[number, number]> {
  const { date, weekday } = localDay(cal, dayStart);
  if (cal.holidays.has(date)) return [];
  return cal.days[weekday]!.map(([a, b]) => [dayStart + a * MINUTE, dayStart + b * MINUTE]);
}

const MAX_DAYS = 400;

/** Working milliseconds between two instants (0 if `to` ≤ `from`). */
export function workingMsBetween(cal: WorkingCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  let total = 0;
  let dayStart = localDay(cal, from).start;
  for (let i = 0; dayStart < to && i < MAX_DAYS; i++, dayStart += DAY) {
    for (const [a, b] of intervalsOf(cal, dayStart)) {
      const start = Math.max(a, from);
      const end = Math.min(b, to);
      if (end > start) total += end - start;
    }
  }
  return total;
}

/** The instant when `ms` of working time will have passed since `from`. */
export function addWorkingMs(cal: WorkingCalendar, from: number, ms: number): number {
  let left = ms;
  let dayStart = localDay(cal, from).start;
  for (let i = 0; i < MAX_DAYS; i++, dayStart += DAY) {
    for (const [a, b] of intervalsOf(cal, dayStart)) {
      const start = Math.max(a, from);
      if (b <= start) continue;
      if (b - start >= left) return start + left;
      left -= b - start;
    }
  }
  return from + ms; // a calendar without working time: fall back to wall-clock time
}

export function isWorkingTime(cal: WorkingCalendar, t: number): boolean {
  return intervalsOf(cal, localDay(cal, t).start).some(([a, b]) => t >= a && t < b);
}
