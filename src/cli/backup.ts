import { takeSnapshot, requestBackupFromServer, writeBackup, BackupError, type BackupManifest } from '../store/backup.js';
import { Journal } from '../store/journal.js';
import { DataDirBusyError, lockDataDir } from '../store/lock.js';
import { LowdbDataStore } from '../store/lowdb-data.js';
import { StoreCorruptError } from '../store/store.js';
import { cliConfig, fail, parseArgs } from './common.js';

// npm run backup -- --out DIR
// A consistent copy of everything in DATA_DIR (store, journal, Zalo tokens, activity log) with a manifest. While the
// server runs, the server itself takes it (at one instant); otherwise this command reads the files.
const { flags } = parseArgs(process.argv.slice(2));
const out = flags.get('out');
if (typeof out !== 'string' || out.trim() === '') fail('Cách dùng: npm run backup -- --out <thư mục chứa bản sao lưu>');
const config = cliConfig();
if (config.databaseUrl) fail('Dữ liệu đang ở PostgreSQL (DATABASE_URL): hãy sao lưu bằng pg_dump, xem README "Backups".');

function done(result: { dir: string; manifest: BackupManifest }): void {
  const c = result.manifest.counts;
  process.stdout.write(
    `Đã sao lưu vào ${result.dir}\n` +
      `  ${c.tickets} phiếu, ${c.users} tài khoản, ${c.conversations} cuộc trò chuyện, ${c.journalPending} sự kiện đang xử lý, ` +
      `${c.activityFiles} tệp nhật ký hoạt động${c.zaloTokens ? ', token Zalo' : ''}; ${result.manifest.files.length} tệp có mã kiểm tra SHA-256.\n`,
  );
}

try {
  const unlock = await lockDataDir(config.dataDir);
  try {
    const store = await LowdbDataStore.open(config.dataDir);
    const journal = await Journal.open(config.dataDir);
    done(await writeBackup(config.dataDir, out, takeSnapshot(store, journal), Date.now()));
    await journal.close();
    await store.close();
  } finally {
    await unlock();
  }
} catch (err) {
  if (err instanceof DataDirBusyError) {
    try {
      done(await requestBackupFromServer(config.dataDir, err.pid, out));
    } catch (inner) {
      if (inner instanceof BackupError) fail(inner.message);
      throw inner;
    }
  } else if (err instanceof StoreCorruptError || err instanceof BackupError) {
    fail(err.message);
  } else {
    throw err;
  }
}
