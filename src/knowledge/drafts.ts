import { mkdir, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { fold } from '../matching/fold.js';
import { parseEntryFile } from './parse.js';
import { formatProblem, type KnowledgeProblem } from './types.js';

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

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes a draft entry (`draft: true`: never served until an admin approves it) into knowledge/<category>/ under
 * a fresh id, after validating it exactly as the loader will. Returns the id and the file path.
 */
export async function writeDraft(knowledgeDir: string, input: DraftInput, variables: Readonly<Record<string, string>>): Promise<{ id: string; file: string }> {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(input.category)) throw new DraftError([{ file: input.category, line: 1, message: 'nhóm không hợp lệ', severity: 'error' }]);
  const dir = path.join(knowledgeDir, input.category);
  await mkdir(dir, { recursive: true });
  const base = slugify(input.question);
  let id = base;
  for (let n = 2; await exists(path.join(dir, `${id}.md`)); n++) id = `${base}-${n}`;
  const file = path.join(dir, `${id}.md`);
  const text = entryMarkdown(id, { ...input, draft: true });
  const parsed = parseEntryFile(`${input.category}/${id}.md`, text, input.category, variables);
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new DraftError(errors);
  await writeFile(file, text, { flag: 'wx' });
  return { id, file };
}
