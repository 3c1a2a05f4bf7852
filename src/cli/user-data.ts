import type { ChannelName } from '../conversation/types.js';
import { silentLogger } from '../log.js';
import { erasureSummary, PersonalData } from '../privacy/service.js';
import { ActivityLog } from '../reports/activity.js';
import { cliConfig, cliStores, fail, parseArgs } from './common.js';

// npm run user-data -- export|delete --channel messenger|zalo|web --user <id>
// A person's request about their data: `export` prints everything held about them as JSON; `delete` erases it
// (reports keep their counts). Works on DATA_DIR directly, so it refuses to run while the server is up: use the
// admin page /admin/privacy then. With PostgreSQL it may run beside the servers.
const USAGE = 'Cách dùng: npm run user-data -- export|delete --channel messenger|zalo|web --user <mã người dùng>';
const { flags, positional } = parseArgs(process.argv.slice(2));
const action = positional[0];
const channel = flags.get('channel');
const userId = flags.get('user');
if ((action !== 'export' && action !== 'delete') || typeof userId !== 'string' || userId.trim() === '') fail(USAGE);
if (channel !== 'messenger' && channel !== 'zalo' && channel !== 'web') fail(`Kênh phải là messenger, zalo hoặc web.\n${USAGE}`);

const config = cliConfig();
const stores = await cliStores(config, 'Khi máy chủ đang chạy, hãy dùng trang quản trị /admin/privacy (hoặc dừng máy chủ rồi chạy lại lệnh này).');
try {
  const personalData = new PersonalData({
    store: stores.data,
    activity: new ActivityLog(stores.activity, stores.data.meta.salt),
    retentionMonths: config.retentionMonths,
    logger: silentLogger(),
    // Finished events, with their text, are dropped from the inbound queue.
    compactJournal: () => stores.queue.compact(),
  });
  if (action === 'export') {
    process.stdout.write(`${JSON.stringify(await personalData.export(channel as ChannelName, userId as string), null, 2)}\n`);
  } else {
    const report = await personalData.erase(channel as ChannelName, userId as string);
    process.stdout.write(`Đã xoá dữ liệu của người dùng này: ${erasureSummary(report)}.\n`);
  }
} finally {
  await stores.close();
}
