import { FileActivityStore } from '../store/activity-files.js';
import { ActivityLog } from '../reports/activity.js';
import { toCsv, toJson, toMarkdown } from '../reports/format.js';
import { parsePeriod, PeriodError } from '../reports/period.js';
import { vietnamDay } from '../days.js';
import { readDataSnapshot, reportFor } from '../reports/source.js';
import { StoreCorruptError } from '../store/store.js';
import { openPostgresStores } from '../store/open.js';
import { silentLogger } from '../log.js';
import { cliConfig, cliKnowledge, fail, parseArgs } from './common.js';

// npm run report -- --from 2026-01-01 --to 2026-03-31 [--format md|csv|json]
// The activity report of a period (both days included, Vietnam time), on stdout. Reads DATA_DIR as a snapshot, so it
// can run while the server is up. Figures and FAQ questions only: never what users wrote.
const { flags } = parseArgs(process.argv.slice(2));
const format = String(flags.get('format') ?? 'md');
if (!['md', 'csv', 'json'].includes(format)) fail(`Định dạng "${format}" không hỗ trợ: dùng --format md, csv hoặc json.`);
const today = vietnamDay(Date.now());
const from = typeof flags.get('from') === 'string' ? String(flags.get('from')) : `${today.slice(0, 7)}-01`;
const to = typeof flags.get('to') === 'string' ? String(flags.get('to')) : today;

const config = cliConfig();
try {
  const period = parsePeriod(from, to);
  // The embedded store is read as a snapshot of its file (no lock: the server may run); PostgreSQL is shared anyway.
  const pg = config.databaseUrl ? await openPostgresStores(config.databaseUrl, { logger: silentLogger() }) : null;
  const data = pg ? await pg.data.snapshot() : await readDataSnapshot(config.dataDir);
  const activity = new ActivityLog(pg?.activity ?? FileActivityStore.at(config.dataDir), data.meta.salt);
  const report = await reportFor({ data, activity, knowledge: await cliKnowledge(config), calendar: config.inbox.officeHours }, period.from, period.to);
  await pg?.close();
  process.stdout.write(format === 'csv' ? toCsv(report) : format === 'json' ? toJson(report) : toMarkdown(report));
} catch (err) {
  if (err instanceof PeriodError || err instanceof StoreCorruptError) fail(err.message);
  throw err;
}
