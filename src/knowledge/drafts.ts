import { readdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { fold } from '../matching/fold.js';
import { parseEntryFile } from './parse.js';
import { formatProblem, type KnowledgeBase, type KnowledgeEdit, type KnowledgeProblem } from './types.js';

export interface DraftWritten extends KnowledgeEdit {
  readonly id: string;
}

export interface DraftInput {
  readonly category: string;
  readonly question: string;
  readonly alternates: readonly string[];
  readonly answer: string;
  readonly legalBasis: readonly string[];
  readonly sourceTicket: string | null;
  readonly tags?: readonly string[];
}

export class DraftError extends Error {
  constructor(readonly problems: readonly KnowledgeProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'DraftError';
  }
}

/** "Thủ tục hủy tờ khai?" → "thu-tuc-huy-to-khai": an id admins can read, within 60 characters. */
export function slugify(text: string): string {
  const slug = fold(text.toLowerCase())
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+[^-]*$/, (tail) => (tail.length > 12 ? '' : tail))
    .replace(/-+$/g, '');
  return slug === '' ? 'cau-hoi' : slug;
}

/** The markdown file of an entry: front matter in the knowledge base's format, then the answer. */
export function entryMarkdown(id: string, d: DraftInput & { draft: boolean; reviewedOn?: string }): string {
  const front: Record<string, unknown> = {
    id,
    question: d.question,
    alternates: [...d.alternates],
    tags: [...(d.tags ?? [])],
    legal_basis: [...d.legalBasis],
  };
  if (d.reviewedOn) front.reviewed_on = d.reviewedOn;
  if (d.draft) front.draft = true;
  if (d.sourceTicket) front.source_ticket = d.sourceTicket;
  return `---\n${stringify(front, { lineWidth: 0 }).trimEnd()}\n---\n${d.answer.trim()}\n`;
}

/** Every entry id used by a file in any category folder, valid or not: a new id must clash with none. */
async function idsOnDisk(knowledgeDir: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const dir of await readdir(knowledgeDir, { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name.startsWith('_') || dir.name.startsWith('.')) continue;
    for (const f of await readdir(path.join(knowledgeDir, dir.name))) if (f.endsWith('.md')) ids.add(f.slice(0, -3));
  }
  return ids;
}

// Two officers saving the same question at once must not both pick the same free id.
let writing: Promise<unknown> = Promise.resolve();

/**
 * Writes a draft entry (`draft: true`: never served until an admin approves it) into knowledge/<category>/ under
 * an id no other entry or draft uses in any folder, after validating it exactly as the loader will. The category
 * must be one the knowledge base serves. Nothing touches the disk before the draft is valid.
 */
export function writeDraft(knowledgeDir: string, input: DraftInput, kb: KnowledgeBase): Promise<DraftWritten> {
  const run = writing.then(() => writeDraftNow(knowledgeDir, input, kb));
  writing = run.catch(() => undefined);
  return run;
}

async function writeDraftNow(knowledgeDir: string, input: DraftInput, kb: KnowledgeBase): Promise<DraftWritten> {
  if (!kb.categories.some((c) => c.id === input.category)) {
    throw new DraftError([{ file: 'knowledge', line: 1, message: `nhóm "${input.category.slice(0, 40)}" không có trong danh sách nhóm`, severity: 'error' }]);
  }
  const taken = await idsOnDisk(knowledgeDir);
  for (const e of [...kb.entries, ...kb.drafts]) taken.add(e.id);
  const base = slugify(input.question);
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  const text = entryMarkdown(id, { ...input, draft: true });
  const parsed = parseEntryFile(`${input.category}/${id}.md`, text, input.category, kb.variables);
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new DraftError(errors);
  const file = path.join(knowledgeDir, input.category, `${id}.md`);
  await writeFile(file, text, { flag: 'wx' });
  return { id, file, undo: () => unlink(file) };
}
