import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Writes a knowledge directory into a fresh temp dir: { "thue/a.md": "...", "_variables.yml": "..." }. */
export async function writeKnowledge(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kb-'));
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(dir, name);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, content);
  }
  return dir;
}

export const VARIABLES = 'office:\n  name: "Hải quan cửa khẩu Hoành Mô"\n  phone: "0203 000 000"\n';
export const CATEGORIES = 'thue: "Thuế"\nthu-tuc: "Thủ tục"\nlien-he: "Liên hệ"\n';

export interface EntryFields {
  id: string;
  question?: string;
  alternates?: string[];
  tags?: string[];
  legal?: string[];
  reviewed?: string;
  body?: string;
  extra?: string;
}

/** A valid entry file unless the fields say otherwise. */
export function entry(f: EntryFields): string {
  const alternates = f.alternates ?? ['cách hỏi một', 'cach hoi hai', 'cách hỏi ba', 'cach hoi bon', 'cách hỏi năm'];
  const lines = [
    '---',
    `id: ${f.id}`,
    ...(f.question === undefined ? [`question: Câu hỏi về ${f.id}?`] : f.question === '' ? [] : [`question: ${f.question}`]),
    'alternates:',
    ...alternates.map((a) => `  - ${a}`),
    `tags: [${(f.tags ?? []).join(', ')}]`,
    ...(f.legal === undefined ? ['legal_basis:', '  - Luật Hải quan 54/2014/QH13'] : f.legal.length ? ['legal_basis:', ...f.legal.map((l) => `  - ${l}`)] : []),
    `reviewed_on: ${f.reviewed ?? '2026-11-01'}`,
    ...(f.extra ? [f.extra] : []),
    '---',
    f.body ?? `Câu trả lời cho ${f.id}.`,
    '',
  ];
  return lines.join('\n');
}
