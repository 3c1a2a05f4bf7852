import { FileActivityStore } from '../store/activity-files.js';
import { FileTokenVault } from '../store/file-token-vault.js';
import { Journal } from '../store/journal.js';
import { DataDirBusyError, lockDataDir } from '../store/lock.js';
import { LowdbDataStore } from '../store/lowdb-data.js';
import { ImportRefusedError, importIntoPostgres } from '../store/postgres/import.js';
import { StoreCorruptError } from '../store/store.js';
import { cliConfig, fail, parseArgs } from './common.js';

// npm run store:migrate -- --to "postgres://…"
// Moves an office from the embedded store (DATA_DIR) to PostgreSQL: db.json, the unfinished events of the journal
// and the ids it remembers, the Zalo token pair and the activity log, in one transaction, counts checked after.
// Safe to re-run until instances start writing to the database; refused while a server holds DATA_DIR.
const { flags } = parseArgs(process.argv.slice(2));
const to = flags.get('to');
if (typeof to !== 'string' || !/^postgres(ql)?:\/\//.test(to)) fail('Cách dùng: npm run store:migrate -- --to "postgres://người_dùng:mật_khẩu@máy:5432/tên_cơ_sở_dữ_liệu"');
const config = cliConfig();

let unlock: () => Promise<void>;
try {
  unlock = await lockDataDir(config.dataDir);
} catch (err) {
  if (err instanceof DataDirBusyError) fail(`${err.message} Hãy dừng máy chủ trước khi chuyển dữ liệu sang PostgreSQL.`);
  throw err;
}
try {
  const data = await LowdbDataStore.open(config.dataDir);
  const journal = await Journal.open(config.dataDir);
  const vault = await FileTokenVault.open(config.dataDir);
  const tokens = await vault.read();
  const extras = {
    pending: await journal.unfinished(),
    seen: journal.remembered(),
    tokens: tokens.refreshToken !== null ? tokens : null,
    activity: await FileActivityStore.at(config.dataDir).read({ from: 0, to: Date.parse('9999-12-31T00:00:00Z') }),
  };
  const counts = await importIntoPostgres(to as string, await data.snapshot(), extras);
  await journal.close();
  await data.close();
  process.stdout.write(
    [
      `Đã chuyển dữ liệu từ ${config.dataDir} sang PostgreSQL và kiểm tra lại số bản ghi:`,
      `  ${counts.tickets} phiếu (số phiếu tiếp theo: ${counts.lastTicket + 1}), ${counts.users} tài khoản, ${counts.sessions} phiên đăng nhập`,
      `  ${counts.conversations} cuộc trò chuyện, ${counts.audit} dòng nhật ký thao tác, ${counts.feedback} đánh giá, ${counts.deliveryFailures} tin gửi lỗi, ${counts.proposals} đề xuất cách hỏi`,
      `  ${counts.pendingEvents} sự kiện đang xử lý, ${counts.seenEvents} mã sự kiện đã nhận, ${counts.activityLines} dòng nhật ký hoạt động${counts.zaloTokens ? ', token Zalo' : ''}`,
      'Giờ có thể đặt DATABASE_URL và khởi động các máy chủ. Thư mục dữ liệu cũ được giữ nguyên.',
      '',
    ].join('\n'),
  );
} catch (err) {
  await unlock();
  if (err instanceof ImportRefusedError) fail(`Không chuyển: ${err.message}`);
  if (err instanceof StoreCorruptError) fail(err.message);
  throw err;
}
await unlock();
