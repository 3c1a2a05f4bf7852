/**
 * Default public holidays for the SLA clock when OFFICE_HOLIDAYS is not set: days off for civil servants under the
 * Labour Code 2019, Điều 112 (Tết Dương lịch, Tết Nguyên đán, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh), including
 * the weekdays around Tết the Government usually grants. Lunar-calendar holidays move every year and the exact days
 * off are announced yearly: set OFFICE_HOLIDAYS from the announcement (see .env.example).
 */
export const DEFAULT_HOLIDAYS: readonly string[] = [
  // 2026 — Tết Bính Ngọ (mùng 1 = 17/02/2026); Giỗ Tổ 10/3 âm lịch = 26/04 (Chủ nhật) → nghỉ bù 27/04.
  '2026-01-01',
  '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20',
  '2026-04-27', '2026-04-30', '2026-05-01',
  '2026-09-01', '2026-09-02',
  // 2027 — Tết Đinh Mùi (mùng 1 = 06/02/2027); Giỗ Tổ 10/3 âm lịch = 16/04/2027.
  '2027-01-01',
  '2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10',
  '2027-04-16', '2027-04-30', '2027-05-01',
  '2027-09-02', '2027-09-03',
];
