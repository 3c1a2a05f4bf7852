import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { EMPTY_REGISTER, LEGAL_FILE, parseLegalRegistry, type LegalRegister } from './legal.js';
import { parseEntryFile } from './parse.js';
import { parseYamlSource } from './yaml-source.js';
import { parseVariables, placeholderWarnings, type Variables } from './variables.js';
import {
  KnowledgeBaseError,
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

/**
 * Reads and validates the whole knowledge directory. Returns the knowledge base (with warnings) or throws a
 * KnowledgeBaseError listing every problem of every file, so an admin fixes them all in one pass.
 */
export async function loadKnowledgeBase(dir: string): Promise<KnowledgeBase> {
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
      problems.push(...result.problems);
      if (result.entry) parsed.push({ entry: result.entry, idLine: result.idLine });
    }
  }

  const seen = new Map<string, { file: string; line: number }>();
  for (const { entry, idLine } of parsed) {
    const first = seen.get(entry.id);
    if (first) {
      problems.push({ file: entry.file, line: idLine, message: `trùng mã "${entry.id}" với ${first.file}:${first.line}`, severity: 'error' });
    } else {
      seen.set(entry.id, { file: entry.file, line: idLine });
    }
  }
  problems.push(...unknownTopics(dir, legal, new Set(parsed.map((p) => p.entry.id))));
  if (parsed.length === 0 && !problems.some((p) => p.severity === 'error')) {
    problems.push({ file: displayPath(dir), line: 1, message: 'chưa có câu hỏi nào', severity: 'error' });
  }
  if (problems.some((p) => p.severity === 'error')) throw new KnowledgeBaseError(problems);

  const all = parsed.map((p) => p.entry);
  const entries = all.filter((e) => !e.draft);
  return {
    entries,
    drafts: all.filter((e) => e.draft),
    byId: new Map(entries.map((e) => [e.id, e])),
    categories: categories.filter((c) => entries.some((e) => e.category === c.id)).sort(
      (a, b) => orderOf(titles, a.id) - orderOf(titles, b.id),
    ),
    variables: variables.values,
    legal,
    warnings: problems,
  };
}

function orderOf(titles: Map<string, string>, id: string): number {
  const i = [...titles.keys()].indexOf(id);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}
