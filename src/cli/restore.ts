import { BackupError, restoreBackup } from '../store/backup.js';
import { DataDirBusyError, lockDataDir } from '../store/lock.js';
import { cliConfig, fail, parseArgs } from './common.js';

// npm run restore -- --from DIR
// Puts a backup back into DATA_DIR after checking every file against its manifest. Refuses while a server holds
// DATA_DIR. What DATA_DIR held before is kept aside in DATA_DIR/before-restore-<time>/.
const { flags } = parseArgs(process.argv.slice(2));
const from = flags.get('from');
if (typeof from !== 'string' || from.trim() === '') fail('Cách dùng: npm run restore -- --from <thư mục bản sao lưu hoanhmo-…>');
const config = cliConfig();

let unlock: () => Promise<void>;
try {
  unlock = await lockDataDir(config.dataDir);
} catch (err) {
  if (err instanceof DataDirBusyError) fail(`${err.message} Hãy dừng máy chủ trước khi khôi phục.`);
  throw err;
}
try {
  const { manifest, keptAside } = await restoreBackup(from, config.dataDir, Date.now());
  const c = manifest.counts;
  process.stdout.write(
    `Đã kiểm tra và khôi phục bản sao lưu ngày ${manifest.createdAt} vào ${config.dataDir}:\n` +
      `  ${c.tickets} phiếu, ${c.users} tài khoản, ${c.conversations} cuộc trò chuyện, ${c.journalPending} sự kiện đang xử lý${c.zaloTokens ? ', token Zalo' : ''}.\n` +
      (keptAside ? `  Dữ liệu cũ được giữ lại ở ${keptAside}.\n` : ''),
  );
} catch (err) {
  await unlock();
  if (err instanceof BackupError) fail(err.message);
  throw err;
}
await unlock();
