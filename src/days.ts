/**
 * Days as the office counts them: Vietnam time (UTC+7, no daylight saving), written YYYY-MM-DD. Pure and shared by
 * the core (answers that depend on the day, the legal register) and the edges (reports, retention).
 */
export const VN_OFFSET_MS = 7 * 3600_000;
export const DAY_MS = 24 * 3600_000;

/** YYYY-MM-DD of an instant, in Vietnam. */
export const vietnamDay = (t: number): string => new Date(t + VN_OFFSET_MS).toISOString().slice(0, 10);
/** YYYY-MM of an instant, in Vietnam. */
export const vietnamMonth = (t: number): string => new Date(t + VN_OFFSET_MS).toISOString().slice(0, 7);

/** The day `n` days after (or before, when negative) a YYYY-MM-DD day. Days are calendar days: no time zone. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from one YYYY-MM-DD day to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Whether a string is a real calendar day written YYYY-MM-DD ("2026-02-30" is not). */
export function isValidIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
