import { runKnowledgeCheck } from '../admin/check.js';
import { formatProblem } from '../knowledge/types.js';
import { cliConfig } from './common.js';

// npm run kb:check — validates knowledge/ and prints every problem as path:line: message. Exit 1 on errors; warnings
// (confusable questions, stale reviews, superseded law, drafts, placeholders) exit 0.
const config = cliConfig();
const report = await runKnowledgeCheck(config.knowledgeDir, { staleAfterMonths: config.kbStaleMonths, today: new Date().toISOString().slice(0, 10) });
for (const p of [...report.errors, ...report.warnings]) process.stdout.write(`${formatProblem(p)}\n`);
process.stdout.write(
  report.errors.length > 0
    ? `\n${report.errors.length} lỗi, ${report.warnings.length} cảnh báo: hãy sửa các lỗi trước khi đưa vào sử dụng.\n`
    : `\nKhông có lỗi; ${report.warnings.length} cảnh báo.\n`,
);
process.exit(report.errors.length > 0 ? 1 : 0);
