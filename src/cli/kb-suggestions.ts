import { proposalGroups } from '../admin/suggestions.js';
import { loadKnowledgeBase } from '../knowledge/load.js';
import { KnowledgeBaseError } from '../knowledge/types.js';
import { silentLogger } from '../log.js';
import { readDataSnapshot } from '../reports/source.js';
import { openPostgresStores } from '../store/open.js';
import { pendingProposals } from '../store/phrasings.js';
import { StoreCorruptError } from '../store/store.js';
import type { ProposalSource } from '../store/types.js';
import { cliConfig, fail, parseArgs } from './common.js';

// npm run --silent kb:suggestions [-- --json]: the phrasings real use confirmed for each entry and still waiting for
// an admin (the page "Đề xuất cách hỏi"), most confirmed first. Reads DATA_DIR as a snapshot (it can run beside the
// server) or the PostgreSQL database; never writes.
const { flags } = parseArgs(process.argv.slice(2));
const config = cliConfig();
const SOURCE_NAMES: Readonly<Record<ProposalSource, string>> = { choice: 'chọn gợi ý', officer: 'cán bộ gửi', helpful: '👍' };
try {
  const pg = config.databaseUrl ? await openPostgresStores(config.databaseUrl, { logger: silentLogger() }) : null;
  const proposals = pg ? await pg.data.proposals('open') : ((await readDataSnapshot(config.dataDir)).proposals ?? []);
  await pg?.close();
  const base = await loadKnowledgeBase(config.knowledgeDir);
  const rows = proposalGroups(pendingProposals(proposals), base).flatMap((g) =>
    g.proposals.map((p) => ({ id: g.entry.id, question: p.question, count: p.count, sources: (Object.keys(SOURCE_NAMES) as ProposalSource[]).filter((s) => p.sources[s] > 0) })),
  );
  if (flags.has('json')) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else if (rows.length === 0) {
    process.stdout.write('Chưa có đề xuất cách hỏi nào.\n');
  } else {
    const lines = rows.map((r) => `${String(r.count).padStart(4)}  ${r.id}  "${r.question}"  (${r.sources.map((s) => SOURCE_NAMES[s]).join(', ')})`);
    process.stdout.write(`Đề xuất cách hỏi (số lần, câu hỏi, cách hỏi, nguồn):\n${lines.join('\n')}\n\nThêm hoặc bỏ qua tại trang quản trị "Đề xuất cách hỏi" (/admin/suggestions).\n`);
  }
} catch (err) {
  if (err instanceof KnowledgeBaseError || err instanceof StoreCorruptError) fail(err.message);
  throw err;
}
