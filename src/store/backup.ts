import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ACTIVITY_DIR } from './activity-files.js';
import { TOKEN_FILE } from './file-token-vault.js';
import { JOURNAL_FILE } from './journal.js';
import { SCHEMA_VERSION, type Schema } from './schema.js';
import { STORE_FILE } from './store.js';

export const MANIFEST_FILE = 'manifest.json';



/** What a backup holds, with a checksum per file so a restore can tell a damaged copy from a good one. */
export interface BackupManifest {
  readonly kind: 'hoanhmo-backup';
  readonly createdAt: string;
  readonly schemaVersion: number;
  readonly counts: {
    readonly conversations: number;
    readonly tickets: number;
    readonly users: number;
    readonly sessions: number;
    readonly audit: number;
    readonly feedback: number;
    readonly journalPending: number;
    readonly journalSeen: number;
    readonly activityFiles: number;
    readonly zaloTokens: boolean;
  };
  readonly files: ReadonlyArray<{ readonly path: string; readonly bytes: number; readonly sha256: string }>;
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/**
 * The store's data and the journal's state at one instant: serialised synchronously, together, before anything else
 * can run (see takeSnapshot).
 */
export interface DataSnapshot {
  readonly storeJson: string;
  readonly schemaVersion: number;
  readonly counts: Omit<BackupManifest['counts'], 'activityFiles' | 'zaloTokens'>;
  readonly journal: string;
}

export function takeSnapshot(store: { serialize(): { json: string; data: Readonly<Schema> } }, journal: { snapshot(): { text: string; pending: number; seen: number } }): DataSnapshot {
  const j = journal.snapshot();
  const { json, data } = store.serialize();
  return {
    storeJson: json,
    schemaVersion: data.version,
    counts: {
      conversations: Object.keys(data.conversations).length,
      tickets: data.tickets.length,
      users: data.users.length,
      sessions: data.sessions.length,
      audit: data.audit.length,
      feedback: data.feedback.length,
      journalPending: j.pending,
      journalSeen: j.seen,
    },
    journal: j.text,
  };
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/**
 * Writes a backup of DATA_DIR into a new folder `<outDir>/hoanhmo-<time>/` and returns it. The store and journal come
 * from `snapshot` (one instant, while the server runs, or the files of a stopped one); the Zalo token pair and the
 * activity log are files only ever replaced whole or appended to, so copying them is safe. Written to a temp
 * folder, renamed when complete: a backup folder either is whole or does not exist.
 */
export async function writeBackup(dataDir: string, outDir: string, snapshot: DataSnapshot, now: number): Promise<{ dir: string; manifest: BackupManifest }> {
  const name = `hoanhmo-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  const temp = path.join(outDir, `.${name}.partial`);
  const dir = path.join(outDir, name);
  await mkdir(temp, { recursive: true });
  const files: Array<{ path: string; bytes: number; sha256: string }> = [];
  const put = async (rel: string, content: Buffer | string) => {
    await mkdir(path.dirname(path.join(temp, rel)), { recursive: true });
    await writeFile(path.join(temp, rel), content);
    files.push({ path: rel, bytes: Buffer.byteLength(content), sha256: sha256(content) });
  };
  await put(STORE_FILE, snapshot.storeJson);
  await put(JOURNAL_FILE, snapshot.journal);
  const tokens = await readFile(path.join(dataDir, TOKEN_FILE)).catch(() => null);
  if (tokens) await put(TOKEN_FILE, tokens);
  const activity = (await readdir(path.join(dataDir, ACTIVITY_DIR)).catch(() => [] as string[])).filter((f) => f.endsWith('.jsonl')).sort();
  for (const f of activity) await put(`${ACTIVITY_DIR}/${f}`, await readFile(path.join(dataDir, ACTIVITY_DIR, f)));
  const manifest: BackupManifest = {
    kind: 'hoanhmo-backup',
    createdAt: new Date(now).toISOString(),
    schemaVersion: snapshot.schemaVersion,
    counts: { ...snapshot.counts, activityFiles: activity.length, zaloTokens: tokens !== null },
    files,
  };
  await writeFile(path.join(temp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(temp, dir);
  return { dir, manifest };
}

/** Reads a backup's manifest and checks every file against it; throws BackupError naming what is wrong. */
export async function verifyBackup(dir: string): Promise<BackupManifest> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as BackupManifest;
  } catch (err) {
    throw new BackupError(`Không đọc được ${path.join(dir, MANIFEST_FILE)}: ${(err as Error).message}. Đây có phải thư mục sao lưu không?`);
  }
  if (manifest.kind !== 'hoanhmo-backup' || !Array.isArray(manifest.files)) throw new BackupError(`${dir} không phải bản sao lưu của trợ lý.`);
  if (manifest.schemaVersion > SCHEMA_VERSION) throw new BackupError(`Bản sao lưu có phiên bản dữ liệu ${manifest.schemaVersion}, mới hơn chương trình (${SCHEMA_VERSION}): hãy cập nhật chương trình trước.`);
  for (const f of manifest.files) {
    if (f.path.includes('..') || path.isAbsolute(f.path)) throw new BackupError(`Đường dẫn không hợp lệ trong bản sao lưu: ${f.path}`);
    const content = await readFile(path.join(dir, f.path)).catch(() => null);
    if (!content) throw new BackupError(`Thiếu tệp ${f.path} trong bản sao lưu.`);
    if (content.length !== f.bytes || sha256(content) !== f.sha256) throw new BackupError(`Tệp ${f.path} không khớp mã kiểm tra: bản sao lưu bị hỏng.`);
  }
  return manifest;
}

/**
 * Replaces DATA_DIR's data with a verified backup. What was there is kept aside in `DATA_DIR/before-restore-<time>/`
 * (nothing is deleted). The caller holds the data directory lock: no server may run meanwhile.
 */
export async function restoreBackup(dir: string, dataDir: string, now: number): Promise<{ manifest: BackupManifest; keptAside: string | null }> {
  const manifest = await verifyBackup(dir);
  await mkdir(dataDir, { recursive: true });
  const aside = path.join(dataDir, `before-restore-${new Date(now).toISOString().replace(/[:.]/g, '-')}`);
  let moved = 0;
  for (const name of [STORE_FILE, JOURNAL_FILE, TOKEN_FILE, ACTIVITY_DIR]) {
    const from = path.join(dataDir, name);
    if (!(await stat(from).catch(() => null))) continue;
    await mkdir(aside, { recursive: true });
    await rename(from, path.join(aside, name));
    moved++;
  }
  for (const f of manifest.files) {
    await mkdir(path.dirname(path.join(dataDir, f.path)), { recursive: true });
    await cp(path.join(dir, f.path), path.join(dataDir, f.path));
  }
  return { manifest, keptAside: moved > 0 ? aside : null };
}

/** Keeps the newest `keep` backups in `outDir` (nightly backups), removing older ones. */
export async function pruneBackups(outDir: string, keep: number): Promise<string[]> {
  const all = (await readdir(outDir).catch(() => [] as string[])).filter((n) => /^hoanhmo-\d{4}-/.test(n)).sort();
  const old = all.slice(0, Math.max(0, all.length - keep));
  for (const n of old) await rm(path.join(outDir, n), { recursive: true, force: true });
  return old;
}

/*
 * A backup asked for while the server runs: only the server sees the store and the journal at one instant. The
 * command writes a request file into DATA_DIR and signals the server (SIGUSR2); the server writes the backup and a
 * result file. Being able to write there and signal the process is exactly being allowed to back the data up.
 */
const REQUEST_FILE = 'backup-request.json';
const resultFile = (id: string) => `backup-result-${id}.json`;

type BackupResult = { readonly ok: true; readonly dir: string; readonly manifest: BackupManifest } | { readonly ok: false; readonly error: string };

export async function requestBackupFromServer(dataDir: string, pid: number, outDir: string, timeoutMs = 120_000): Promise<{ dir: string; manifest: BackupManifest }> {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  await writeFile(path.join(dataDir, REQUEST_FILE), JSON.stringify({ id, out: path.resolve(outDir) }));
  process.kill(pid, 'SIGUSR2');
  const file = path.join(dataDir, resultFile(id));
  for (const started = Date.now(); Date.now() - started < timeoutMs; await new Promise((r) => setTimeout(r, 100))) {
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue;
    await rm(file, { force: true });
    const result = JSON.parse(text) as BackupResult;
    if (!result.ok) throw new BackupError(`Máy chủ không sao lưu được: ${result.error}`);
    return result;
  }
  throw new BackupError(`Máy chủ (tiến trình ${pid}) không trả lời yêu cầu sao lưu sau ${timeoutMs / 1000} giây.`);
}

/** The server's side: run the request found in DATA_DIR, if any, and leave the result where the command looks. */
export async function serveBackupRequest(dataDir: string, backup: (outDir: string) => Promise<{ dir: string; manifest: BackupManifest }>): Promise<void> {
  const requestPath = path.join(dataDir, REQUEST_FILE);
  const text = await readFile(requestPath, 'utf8').catch(() => null);
  if (text === null) return;
  await rm(requestPath, { force: true });
  const request = JSON.parse(text) as { id: string; out: string };
  if (!/^[a-z0-9]+$/.test(request.id)) return;
  let result: BackupResult;
  try {
    result = { ok: true, ...(await backup(request.out)) };
  } catch (err) {
    result = { ok: false, error: (err as Error).message };
  }
  await writeFile(path.join(dataDir, resultFile(request.id)), JSON.stringify(result));
}

/** Backs up every night at 01:30 Vietnam time into `dir`, keeping the newest `keep`. Returns the stop function. */
export function nightlyBackups(
  dir: string,
  keep: number,
  backup: (outDir: string) => Promise<{ dir: string; manifest: BackupManifest }>,
  logger: { info(o: object, m: string): void; error(o: object, m: string): void },
  clock: () => number,
): () => void {
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    const now = clock();
    const vn = now + 7 * 3600_000;
    const next = Math.floor(vn / 86_400_000) * 86_400_000 + 90 * 60_000 - 7 * 3600_000;
    const at = next > now ? next : next + 86_400_000;
    timer = setTimeout(run, at - now);
    timer.unref();
  };
  const run = () => {
    // The next night is set before this backup starts: a slow or hung backup does not move or stop the next ones.
    schedule();
    void backup(dir)
      .then(async (result) => {
        const removed = await pruneBackups(dir, keep);
        logger.info({ dir: result.dir, tickets: result.manifest.counts.tickets, removed: removed.length }, 'nightly backup written');
      })
      .catch((err: unknown) => logger.error({ err: (err as Error).message }, 'ALERT: nightly backup failed'));
  };
  schedule();
  return () => {
    if (timer) clearTimeout(timer);
  };
}
