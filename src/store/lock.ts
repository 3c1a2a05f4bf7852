import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const LOCK_FILE = 'server.pid';

/** Another process holds the data directory: both would rewrite db.json and one would lose the other's changes. */
export class DataDirBusyError extends Error {
  constructor(
    readonly pid: number,
    readonly dataDir: string,
  ) {
    super(`Máy chủ (tiến trình ${pid}) đang dùng thư mục dữ liệu ${dataDir}.`);
    this.name = 'DataDirBusyError';
  }
}

/** Locks this process holds: removed on any exit, including a command's `process.exit` after an error. */
const held = new Set<string>();
let exitHookInstalled = false;
function releaseOnExit(file: string): void {
  held.add(file);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const f of held) {
      try {
        if (Number(readFileSync(f, 'utf8')) === process.pid) unlinkSync(f);
      } catch {
        // already gone
      }
    }
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims DATA_DIR for this process (server, or a command that writes db.json). A lock left by a process that is
 * gone, or by this very process (a test restarting a server in place), is taken over. Returns the release.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      releaseOnExit(file);
      return async () => {
        held.delete(file);
        const owner = Number(await readFile(file, 'utf8').catch(() => ''));
        if (owner === process.pid) await unlink(file).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) throw new DataDirBusyError(owner, dataDir);
      await unlink(file).catch(() => undefined);
    }
  }
  throw new DataDirBusyError(0, dataDir);
}
