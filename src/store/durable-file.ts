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
      await handle.writeFile(JSON.stringify(data));
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
