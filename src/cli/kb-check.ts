import { isValidIsoDate, vietnamDay } from '../days.js';
import { runKnowledgeCheck } from '../admin/check.js';
import { vietnameseDate } from '../conversation/answer.js';
import { formatProblem } from '../knowledge/types.js';
import { cliConfig, fail, parseArgs } from './common.js';

// npm run kb:check [-- --as-of YYYY-MM-DD] — validates knowledge/ and prints every problem as path:line: message,
// judging citations and dated content as of that day (default today, Vietnam time). Exit 1 on errors; warnings
// (confusable questions, stale reviews, outdated law, coming changes, drafts, placeholders) exit 0.
const config = cliConfig();
const { flags } = parseArgs(process.argv.slice(2));
const asOf = flags.get('as-of');
if (asOf === true || (asOf !== undefined && !isValidIsoDate(asOf))) {
  fail(`--as-of cần một ngày dạng NĂM-THÁNG-NGÀY, ví dụ --as-of 2027-01-02${typeof asOf === 'string' ? ` (không phải "${asOf}")` : ''}.`);
}
const today = asOf ?? vietnamDay(Date.now());
const report = await runKnowledgeCheck(config.knowledgeDir, { staleAfterMonths: config.kbStaleMonths, today, lookaheadDays: config.kbLookaheadDays });
for (const p of [...report.errors, ...report.warnings]) process.stdout.write(`${formatProblem(p)}\n`);
const day = vietnameseDate(today);
process.stdout.write(
  report.errors.length > 0
    ? `\n${report.errors.length} lỗi, ${report.warnings.length} cảnh báo (xét hiệu lực tại ngày ${day}): hãy sửa các lỗi trước khi đưa vào sử dụng.\n`
    : `\nKhông có lỗi; ${report.warnings.length} cảnh báo (xét hiệu lực tại ngày ${day}).\n`,
);
process.exit(report.errors.length > 0 ? 1 : 0);
