import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

/** The data file exists but cannot be read as our JSON: never overwritten, the server refuses to start. */
export class StoreCorruptError extends Error {
  constructor(readonly file: string, detail: string) {
    super(
      `Tệp dữ liệu ${file} bị hỏng (${detail}). Máy chủ dừng lại để không ghi đè dữ liệu: ` +
        'hãy khôi phục tệp từ bản sao lưu, hoặc đổi tên tệp này nếu muốn bắt đầu với dữ liệu trống.',
    );
    this.name = 'StoreCorruptError';
  }
}

/**
 * lowdb adapter writing JSON atomically and durably: temp file, fsync, rename over the old file, fsync the
 * directory. A crash at any point leaves either the old or the new file, whole.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(readonly file: string) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      const value: unknown = JSON.parse(text);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('không phải một đối tượng JSON');
      return value as T;
    } catch (err) {
      throw new StoreCorruptError(this.file, (err as Error).message);
    }
  }

  async write(data: T): Promise<void> {
    const temp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.tmp`);
    const handle = await open(temp, 'w');
    try {
      // In pieces, not one JSON.stringify of the whole file: at a few megabytes of Vietnamese text that string (and its
      // UTF-8 copy) landed in V8's large-object space on every write of a burst, and stayed until a full collection.
      let chunk = '';
      for (const piece of jsonPieces(data, PIECE_DEPTH)) {
        chunk += piece;
        if (chunk.length >= CHUNK_CHARS) {
          await handle.write(chunk);
          chunk = '';
        }
      }
      await handle.write(chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.file);
    const dir = await open(path.dirname(this.file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}

/** Pieces are the members of the top-level object and of its collections (a conversation, a ticket…). */
const PIECE_DEPTH = 2;
const CHUNK_CHARS = 64 * 1024;

const skipped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** Exactly JSON.stringify(value), as a sequence of pieces: `depth` levels are taken apart, deeper values stringified whole. */
export function* jsonPieces(value: unknown, depth: number): Generator<string> {
  if (depth === 0 || value === null || typeof value !== 'object' || 'toJSON' in value) {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ',';
      if (skipped(value[i])) yield 'null';
      else yield* jsonPieces(value[i], depth - 1);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const [key, member] of Object.entries(value)) {
    if (skipped(member)) continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    yield* jsonPieces(member, depth - 1);
  }
  yield '}';
}
