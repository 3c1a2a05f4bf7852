import { open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isSeq, parseDocument, type Document } from 'yaml';
import { parseEntryFile } from '../knowledge/parse.js';
import type { KnowledgeBase, KnowledgeEdit, KnowledgeProblem } from '../knowledge/types.js';

/** Editing entry files from the admin pages: every save is validated exactly like the loader, then written atomically. */
export class EntryFileError extends Error {
  constructor(readonly problems: readonly KnowledgeProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'));
    this.name = 'EntryFileError';
  }
}

export function entryPath(knowledgeDir: string, category: string, id: string): string {
  if (!/^[a-z0-9-]+$/.test(category) || !/^[a-z0-9-]+$/.test(id)) throw new EntryFileError([{ file: `${category}/${id}`, line: 1, message: 'đường dẫn không hợp lệ', severity: 'error' }]);
  return path.join(knowledgeDir, category, `${id}.md`);
}

export async function readEntry(knowledgeDir: string, category: string, id: string): Promise<string> {
  return readFile(entryPath(knowledgeDir, category, id), 'utf8');
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}

/**
 * Validates the new text of an entry file and saves it. Refused (nothing written) with every problem when the file
 * would not load, or when its id is taken by an entry of another category.
 */
export async function saveEntry(knowledgeDir: string, kb: KnowledgeBase, category: string, id: string, text: string): Promise<KnowledgeEdit> {
  const display = `${category}/${id}.md`;
  const normalized = text.replace(/\r\n?/g, '\n');
  const parsed = parseEntryFile(display, normalized, category, kb.variables);
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  const clash = [...kb.entries, ...kb.drafts].find((e) => e.id === id && e.category !== category);
  if (clash) errors.push({ file: display, line: parsed.idLine, message: `mã "${id}" đã dùng ở ${clash.file}`, severity: 'error' });
  if (errors.length > 0) throw new EntryFileError(errors);
  const file = entryPath(knowledgeDir, category, id);
  const previous = await readFile(file, 'utf8').catch(() => null);
  await writeAtomically(file, normalized.endsWith('\n') ? normalized : `${normalized}\n`);
  return { file, undo: () => (previous === null ? unlink(file) : writeAtomically(file, previous)) };
}

/** Changes an entry's front matter (keeping its comments and layout), then saves it like the editor does. */
async function editFrontMatter(knowledgeDir: string, kb: KnowledgeBase, category: string, id: string, change: (doc: Document) => void): Promise<KnowledgeEdit> {
  const text = await readEntry(knowledgeDir, category, id);
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text.replace(/\r\n?/g, '\n'));
  if (!m) throw new EntryFileError([{ file: `${category}/${id}.md`, line: 1, message: 'tệp không có phần khai báo', severity: 'error' }]);
  const doc = parseDocument(m[1]!);
  change(doc);
  return saveEntry(knowledgeDir, kb, category, id, `---\n${doc.toString({ lineWidth: 0 }).trimEnd()}\n---\n${m[2]!}`);
}

/**
 * A draft made servable: `draft: true` removed, reviewed today; refused with the report if it would not load, or
 * if it is not a draft (approving a published entry would only hide its stale-review warning).
 */
export async function approveDraft(knowledgeDir: string, kb: KnowledgeBase, category: string, id: string, today: string): Promise<KnowledgeEdit> {
  if (!kb.drafts.some((d) => d.id === id && d.category === category)) {
    throw new EntryFileError([{ file: `${category}/${id}.md`, line: 1, message: 'không phải bản nháp đang chờ duyệt', severity: 'error' }]);
  }
  return editFrontMatter(knowledgeDir, kb, category, id, (doc) => {
    doc.delete('draft');
    doc.set('reviewed_on', today);
  });
}

/** Adds a phrasing to an entry's alternates; refused with the report if the entry would not load. */
export async function addAlternate(knowledgeDir: string, kb: KnowledgeBase, category: string, id: string, phrasing: string): Promise<KnowledgeEdit> {
  return editFrontMatter(knowledgeDir, kb, category, id, (doc) => {
    const alternates = doc.get('alternates');
    if (isSeq(alternates)) alternates.add(doc.createNode(phrasing));
    else doc.set('alternates', [phrasing]);
  });
}

/** Deletes a draft (valid or broken); resolves with a function that puts it back. Refuses a published entry. */
export async function deleteDraft(knowledgeDir: string, kb: KnowledgeBase, category: string, id: string): Promise<KnowledgeEdit> {
  const isDraft = [...kb.drafts, ...kb.brokenDrafts].some((d) => d.id === id && d.category === category);
  if (!isDraft) throw new EntryFileError([{ file: `${category}/${id}.md`, line: 1, message: 'không có bản nháp này', severity: 'error' }]);
  const file = entryPath(knowledgeDir, category, id);
  const text = await readFile(file, 'utf8');
  await unlink(file);
  return { file, undo: () => writeAtomically(file, text) };
}
