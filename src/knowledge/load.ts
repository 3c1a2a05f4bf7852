import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { EMPTY_REGISTER, LEGAL_FILE, parseLegalRegistry, type LegalRegister } from './legal.js';
import { parseEntryFile } from './parse.js';
import { parseYamlSource } from './yaml-source.js';
import { parseVariables, placeholderWarnings, type Variables } from './variables.js';
import {
  KnowledgeBaseError,
  type BrokenDraft,
  type Category,
  type FaqEntry,
  type KnowledgeBase,
  type KnowledgeProblem,
} from './types.js';

export const VARIABLES_FILE = '_variables.yml';
export const CATEGORIES_FILE = '_categories.yml';

/** How paths appear in reports: relative to the working directory, so `file:line` opens in an editor. */
function displayPath(absolute: string): string {
  const rel = path.relative(process.cwd(), absolute);
  return (rel.startsWith('..') ? absolute : rel).split(path.sep).join('/');
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function loadVariables(dir: string, problems: KnowledgeProblem[]): Promise<Variables> {
  const file = path.join(dir, VARIABLES_FILE);
  const text = await readOptional(file);
  if (text === null) {
    problems.push({ file: displayPath(file), line: 1, message: 'không có tệp biến dùng chung', severity: 'warning' });
    return { values: {}, lines: {} };
  }
  const { variables, problems: found } = parseVariables(displayPath(file), text);
  problems.push(...found, ...placeholderWarnings(displayPath(file), variables));
  return variables;
}

async function loadLegalRegister(dir: string, problems: KnowledgeProblem[]): Promise<LegalRegister> {
  const file = path.join(dir, LEGAL_FILE);
  const text = await readOptional(file);
  if (text === null) return EMPTY_REGISTER;
  const { register, problems: found } = parseLegalRegistry(displayPath(file), text);
  problems.push(...found);
  return register;
}

/** A register document naming, in `topics`, an entry that does not exist: the list would silently miss it. */
function unknownTopics(dir: string, register: LegalRegister, ids: ReadonlySet<string>): KnowledgeProblem[] {
  return register.documents.flatMap((d) =>
    d.topics
      .filter((t) => !ids.has(t))
      .map((t) => ({ file: displayPath(path.join(dir, LEGAL_FILE)), line: d.line, message: `"${d.number}": topics nêu câu hỏi "${t}" không có trong bộ câu hỏi`, severity: 'warning' as const })),
  );
}

async function loadCategoryTitles(dir: string, problems: KnowledgeProblem[]): Promise<Map<string, string>> {
  const file = path.join(dir, CATEGORIES_FILE);
  const text = await readOptional(file);
  const titles = new Map<string, string>();
  if (text === null) return titles;
  const source = parseYamlSource(displayPath(file), text);
  problems.push(...source.problems);
  const data: unknown = source.doc.toJS();
  if (data && typeof data === 'object') {
    for (const [id, title] of Object.entries(data)) titles.set(id, String(title));
  }
  return titles;
}

/** A knowledge directory as read: what can be served, and every problem found. */
export interface KnowledgeLoad {
  /** Every valid published entry; files with errors and drafts with problems are left out. */
  readonly base: KnowledgeBase;
  /** Errors and warnings of every file, in file order. Any error makes the directory invalid as a whole. */
  readonly problems: readonly KnowledgeProblem[];
}

/**
 * Reads and validates the whole knowledge directory. Returns the knowledge base (with warnings) or throws a
 * KnowledgeBaseError listing every problem of every file, so an admin fixes them all in one pass. Hot reloads
 * and kb:check use this: a change with an error is refused as a whole.
 */
export async function loadKnowledgeBase(dir: string): Promise<KnowledgeBase> {
  const { base, problems } = await readKnowledgeDir(dir);
  if (problems.some((p) => p.severity === 'error')) throw new KnowledgeBaseError(problems);
  return base;
}

/**
 * Reads the directory, leaving out what cannot be served instead of refusing it all: a server starting with one
 * broken file serves the rest (and reports it) rather than staying down. A draft never makes the directory invalid:
 * an invalid draft, or one whose id is already used, is skipped with a warning. Throws only when the directory
 * cannot be read or holds no servable entry.
 */
export async function readKnowledgeDir(dir: string): Promise<KnowledgeLoad> {
  const problems: KnowledgeProblem[] = [];
  let top;
  try {
    top = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new KnowledgeBaseError([
      { file: displayPath(dir), line: 1, message: `không đọc được thư mục tri thức: ${(err as Error).message}`, severity: 'error' },
    ]);
  }
  const variables = await loadVariables(dir, problems);
  const titles = await loadCategoryTitles(dir, problems);
  const legal = await loadLegalRegister(dir, problems);

  const parsed: Array<{ entry: FaqEntry; idLine: number }> = [];
  const brokenDrafts: BrokenDraft[] = [];
  const categories: Category[] = [];
  for (const item of top.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, item.name);
    if (item.name.startsWith('_') || item.name.startsWith('.')) continue;
    if (item.isFile()) {
      if (item.name.endsWith('.md') && item.name !== 'README.md') {
        problems.push({ file: displayPath(full), line: 1, message: 'tệp câu hỏi phải nằm trong một thư mục nhóm, ví dụ knowledge/thue/', severity: 'error' });
      }
      continue;
    }
    if (!item.isDirectory()) continue;
    const category = item.name;
    if (!titles.has(category)) {
      problems.push({ file: displayPath(full), line: 1, message: `nhóm "${category}" chưa có tên hiển thị trong ${CATEGORIES_FILE}`, severity: 'warning' });
    }
    categories.push({ id: category, title: titles.get(category) ?? category });
    const files = (await readdir(full, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const f of files) {
      if (!f.isFile() || !f.name.endsWith('.md') || f.name.startsWith('_') || f.name.startsWith('.')) continue;
      const file = path.join(full, f.name);
      const result = parseEntryFile(displayPath(file), await readFile(file, 'utf8'), category, variables.values);
      if (result.draft && !result.entry) {
        const found = result.problems.map(skippedDraft);
        problems.push(...found);
        brokenDrafts.push({ category, id: f.name.slice(0, -3), file: displayPath(file), problems: found });
        continue;
      }
      problems.push(...result.problems);
      if (result.entry) parsed.push({ entry: result.entry, idLine: result.idLine });
    }
  }

  // Published entries claim their ids first, so a draft can never push a served entry out.
  const seen = new Map<string, { file: string; line: number }>();
  const kept: FaqEntry[] = [];
  for (const { entry, idLine } of [...parsed.filter((p) => !p.entry.draft), ...parsed.filter((p) => p.entry.draft)]) {
    const first = seen.get(entry.id);
    if (!first) {
      seen.set(entry.id, { file: entry.file, line: idLine });
      kept.push(entry);
      continue;
    }
    const clash: KnowledgeProblem = { file: entry.file, line: idLine, message: `trùng mã "${entry.id}" với ${first.file}:${first.line}`, severity: 'error' };
    if (!entry.draft) {
      problems.push(clash);
      continue;
    }
    problems.push(skippedDraft(clash));
    brokenDrafts.push({ category: entry.category, id: entry.id, file: entry.file, problems: [skippedDraft(clash)] });
  }
  problems.push(...unknownTopics(dir, legal, new Set(parsed.map((p) => p.entry.id))));
  const entries = kept.filter((e) => !e.draft);
  if (entries.length === 0) {
    const none: KnowledgeProblem = { file: displayPath(dir), line: 1, message: 'chưa có câu hỏi nào', severity: 'error' };
    throw new KnowledgeBaseError(problems.some((p) => p.severity === 'error') ? problems : [...problems, none]);
  }
  return {
    base: {
      entries,
      drafts: kept.filter((e) => e.draft),
      brokenDrafts,
      byId: new Map(entries.map((e) => [e.id, e])),
      categories: categories.filter((c) => entries.some((e) => e.category === c.id)).sort((a, b) => orderOf(titles, a.id) - orderOf(titles, b.id)),
      variables: variables.values,
      legal,
      warnings: problems.filter((p) => p.severity === 'warning'),
    },
    problems,
  };
}

/** A draft's error is a warning: drafts are never served, so they must never block what is. */
function skippedDraft(p: KnowledgeProblem): KnowledgeProblem {
  return p.severity === 'error' ? { ...p, message: `bản nháp bị bỏ qua: ${p.message}`, severity: 'warning' } : p;
}

function orderOf(titles: Map<string, string>, id: string): number {
  const i = [...titles.keys()].indexOf(id);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}
