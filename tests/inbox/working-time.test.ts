import { describe, expect, it } from 'vitest';
import { addWorkingMs, isWorkingTime, parseOfficeHours, workingMsBetween, type WorkingCalendar } from '../../src/inbox/working-time.js';

const cal: WorkingCalendar = {
  days: parseOfficeHours('Mon-Fri 07:30-11:30,13:30-17:00'),
  holidays: new Set(['2026-09-01', '2026-09-02']),
  utcOffsetMinutes: 420,
};
/** A local Vietnam time as epoch ms. */
const vn = (iso: string) => Date.parse(`${iso}+07:00`);
const H = 3600_000;

describe('working time', () => {
  it('parses office hours per weekday', () => {
    const days = parseOfficeHours('Mon-Fri 07:30-11:30,13:30-17:00; Sat 08:00-11:00');
    expect(days[1]).toEqual([[450, 690], [810, 1020]]);
    expect(days[6]).toEqual([[480, 660]]);
    expect(days[0]).toEqual([]);
    expect(() => parseOfficeHours('Mon-Fri 17:00-07:30')).toThrow(/sau giờ bắt đầu/);
    expect(() => parseOfficeHours('Lun 07:00-08:00')).toThrow(/tên ngày/);
  });

  it('counts only office hours within a day (lunch break excluded)', () => {
    expect(workingMsBetween(cal, vn('2026-11-27T07:00'), vn('2026-11-27T18:00'))).toBe(7.5 * H);
    expect(workingMsBetween(cal, vn('2026-11-27T11:00'), vn('2026-11-27T14:00'))).toBe(1 * H);
    expect(isWorkingTime(cal, vn('2026-11-27T12:00'))).toBe(false);
    expect(isWorkingTime(cal, vn('2026-11-27T14:00'))).toBe(true);
  });

  it('skips the weekend: 8 working hours from Friday 16:00 end on Monday afternoon', () => {
    // Friday 27/11/2026 16:00 → 1 h on Friday, then Monday 30/11: 4 h morning + 3 h afternoon → 16:30.
    expect(addWorkingMs(cal, vn('2026-11-27T16:00'), 8 * H)).toBe(vn('2026-11-30T16:30'));
    expect(workingMsBetween(cal, vn('2026-11-27T16:00'), vn('2026-11-30T16:30'))).toBe(8 * H);
  });

  it('skips public holidays (Quốc khánh 1–2/9/2026)', () => {
    // Monday 31/8/2026 15:00 → 2 h that day; Tue 1/9 and Wed 2/9 are holidays; Thursday 3/9: 4 h + 2 h → 15:30.
    expect(addWorkingMs(cal, vn('2026-08-31T15:00'), 8 * H)).toBe(vn('2026-09-03T15:30'));
    expect(workingMsBetween(cal, vn('2026-09-01T08:00'), vn('2026-09-02T17:00'))).toBe(0);
  });

  it('a question asked at night starts the clock at the next opening', () => {
    expect(addWorkingMs(cal, vn('2026-11-26T22:00'), 1 * H)).toBe(vn('2026-11-27T08:30'));
  });
});
