import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { clusterGaps, gapQuestionsIn, gapSummary, knowledgeWordWeight } from '../admin/gaps.js';
import type { Knowledge } from '../conversation/knowledge.js';
import type { WorkingCalendar } from '../inbox/working-time.js';
import { emptyData, SCHEMA_VERSION, type Schema } from '../store/schema.js';
import { STORE_FILE, StoreCorruptError } from '../store/store.js';
import type { ActivityLog } from './activity.js';
import { buildReport, type Report } from './report.js';

export interface ReportSources {
  readonly data: Readonly<Schema>;
  readonly activity: ActivityLog;
  readonly knowledge: Knowledge;
  readonly calendar: WorkingCalendar;
}

/** Gathers what a period's report needs (activity lines, tickets, feedback, gap summaries) and computes it. */
export async function reportFor(sources: ReportSources, from: number, to: number): Promise<Report> {
  const { data, knowledge } = sources;
  const clusters = clusterGaps(gapQuestionsIn(data, from, to), knowledgeWordWeight(knowledge.index));
  return buildReport({
    from,
    to,
    activity: await sources.activity.read(from, to),
    tickets: data.tickets,
    feedback: data.feedback,
    calendar: sources.calendar,
    staff: data.users,
    entryQuestions: new Map(knowledge.base.entries.map((e) => [e.id, e.question])),
    gaps: clusters.filter((c) => c.size >= 2).map(gapSummary),
  });
}

/**
 * DATA_DIR/db.json read as a snapshot, without opening the store: the report command may run beside the server,
 * and must neither migrate nor rewrite the file.
 */
export async function readDataSnapshot(dataDir: string): Promise<Readonly<Schema>> {
  const file = path.join(dataDir, STORE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyData();
    throw err;
  }
  let data: Partial<Schema>;
  try {
    data = JSON.parse(text) as Partial<Schema>;
  } catch (err) {
    throw new StoreCorruptError(file, (err as Error).message);
  }
  if (data.version !== SCHEMA_VERSION) {
    throw new StoreCorruptError(file, `phiên bản dữ liệu ${String(data.version)}, chương trình cần ${SCHEMA_VERSION}: hãy khởi động máy chủ một lần để cập nhật`);
  }
  return { ...emptyData(), ...data };
}
