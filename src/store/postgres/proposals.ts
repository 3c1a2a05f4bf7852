import type { PhrasingProposal, ProposalSource } from '../types.js';
import { withoutNul, type Queryable } from './pool.js';

interface ProposalRow {
  entry_id: string;
  question: string;
  count: number;
  from_choice: number;
  from_officer: number;
  from_helpful: number;
  first_at: number;
  last_at: number;
  status: PhrasingProposal['status'];
}

const SOURCE_COLUMN: Readonly<Record<ProposalSource, string>> = { choice: 'from_choice', officer: 'from_officer', helpful: 'from_helpful' };

/** The initial from_choice, from_officer, from_helpful of a first confirmation (literals, never user input). */
const sourceCounts = (source: ProposalSource): string => (['choice', 'officer', 'helpful'] as const).map((s) => (s === source ? 1 : 0)).join(', ');

const toProposal = (r: ProposalRow): PhrasingProposal => ({
  entryId: r.entry_id,
  question: r.question,
  count: r.count,
  sources: { choice: r.from_choice, officer: r.from_officer, helpful: r.from_helpful },
  firstAt: r.first_at,
  lastAt: r.last_at,
  status: r.status,
});

/** One statement: two instances confirming the same phrasing at once both count. Decided phrasings stay as they are. */
export async function proposePhrasing(q: Queryable, entryId: string, question: string, source: ProposalSource, at: number): Promise<void> {
  const column = SOURCE_COLUMN[source];
  await q.query(
    `INSERT INTO proposals AS p (entry_id, question, count, from_choice, from_officer, from_helpful, first_at, last_at, status)
     VALUES ($1, $2, 1, ${sourceCounts(source)}, $3, $3, 'open')
     ON CONFLICT (entry_id, question) DO UPDATE SET count = p.count + 1, ${column} = p.${column} + 1,
       first_at = LEAST(p.first_at, EXCLUDED.first_at), last_at = GREATEST(p.last_at, EXCLUDED.last_at)
     WHERE p.status = 'open'`,
    [entryId, withoutNul(question), at],
  );
}

/** Most confirmed first (what an admin looks at first), then the most recent. */
export async function proposals(q: Queryable, status?: PhrasingProposal['status']): Promise<PhrasingProposal[]> {
  const order = 'ORDER BY count DESC, last_at DESC, entry_id, question';
  const { rows } = status
    ? await q.query<ProposalRow>(`SELECT * FROM proposals WHERE status = $1 ${order}`, [status])
    : await q.query<ProposalRow>(`SELECT * FROM proposals ${order}`);
  return rows.map(toProposal);
}

/**
 * A decision on a phrasing nobody proposed yet is recorded too (count 0), so "dismissed for good" holds when use
 * confirms it later.
 */
export async function setProposalStatus(q: Queryable, entryId: string, question: string, status: 'accepted' | 'dismissed', at: number): Promise<void> {
  await q.query(
    `INSERT INTO proposals (entry_id, question, count, from_choice, from_officer, from_helpful, first_at, last_at, status)
     VALUES ($1, $2, 0, 0, 0, 0, $3, $3, $4)
     ON CONFLICT (entry_id, question) DO UPDATE SET status = EXCLUDED.status`,
    [entryId, withoutNul(question), at, status],
  );
}

export async function dropOpenProposalsBefore(q: Queryable, cutoff: number): Promise<number> {
  return (await q.query(`DELETE FROM proposals WHERE status = 'open' AND last_at < $1`, [cutoff])).rowCount ?? 0;
}
