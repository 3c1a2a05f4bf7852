import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { readKnowledgeDir } from '../knowledge/load.js';
import { loadOutOfScope } from '../knowledge/out-of-scope.js';
import { formatProblem, KnowledgeBaseError, type KnowledgeEdit, type KnowledgeProblem } from '../knowledge/types.js';
import type { Logger } from '../log.js';
import { indexKnowledge, loadKnowledge, type Knowledge } from './knowledge.js';

export interface ReloadResult {
  readonly ok: boolean;
  readonly problems: readonly KnowledgeProblem[];
}

/** A change to knowledge files made from the admin or inbox pages, after the reload it triggered. */
export type ChangeResult<E extends KnowledgeEdit = KnowledgeEdit> =
  | { readonly ok: true; readonly edit: E }
  /** The reload was refused. `undone`: the change itself was at fault and was taken back. */
  | { readonly ok: false; readonly edit: E; readonly undone: boolean; readonly problems: readonly KnowledgeProblem[] };

/**
 * The knowledge base being served, reloaded when its files change. A reload builds a complete new knowledge base
 * and index and swaps the reference in one assignment: a question in flight finishes on the one it started with.
 * An invalid change is reported and the last good knowledge base keeps serving.
 */
export class LiveKnowledge {
  private knowledge: Knowledge;
  private failure: KnowledgeBaseError | null = null;
  private loaded: number;
  private running: Promise<ReloadResult> | null = null;
  private next: Promise<ReloadResult> | null = null;

  private constructor(
    private readonly dir: string,
    private readonly logger: Logger,
    initial: Knowledge,
    private readonly clock: () => number,
  ) {
    this.knowledge = initial;
    this.loaded = clock();
  }

  /**
   * Loads at start. There is no last good version yet, so files with errors are left out and reported (as a refused
   * reload: /healthz, /admin) while the rest serves; only a directory with nothing servable throws.
   */
  static async load(dir: string, logger: Logger, clock: () => number = Date.now): Promise<LiveKnowledge> {
    const [{ base, problems }, outOfScope] = await Promise.all([readKnowledgeDir(dir), loadOutOfScope()]);
    const live = new LiveKnowledge(dir, logger, await indexKnowledge(base, outOfScope), clock);
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      live.failure = new KnowledgeBaseError(problems);
      const files = new Set(errors.map((p) => p.file)).size;
      logger.error({ report: errors.map(formatProblem) }, `ALERT: ${files} knowledge file(s) with errors are not served until fixed`);
    }
    return live;
  }

  get current(): Knowledge {
    return this.knowledge;
  }

  /** The report of the last reload that failed, while the previous knowledge base keeps serving; null when fine. */
  get lastFailure(): KnowledgeBaseError | null {
    return this.failure;
  }

  get loadedAt(): number {
    return this.loaded;
  }

  /**
   * Reloads now. A reload already running may have read the files before the change that asks for this one, so the
   * caller gets the next reload, started after it (shared by everyone who asks meanwhile).
   */
  reload(): Promise<ReloadResult> {
    if (!this.running) {
      this.running = this.doReload().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.next ??= this.running.then(() => {
      this.next = null;
      return this.reload();
    });
    return this.next;
  }

  private async doReload(): Promise<ReloadResult> {
    try {
      const knowledge = await loadKnowledge(this.dir);
      const base = knowledge.base;
      this.knowledge = knowledge;
      this.failure = null;
      this.loaded = this.clock();
      this.logger.info({ entries: base.entries.length, drafts: base.drafts.length }, 'knowledge base reloaded');
      return { ok: true, problems: base.warnings };
    } catch (err) {
      if (!(err instanceof KnowledgeBaseError)) {
        this.logger.error({ err }, 'knowledge base reload failed');
        return { ok: false, problems: [] };
      }
      this.failure = err;
      this.logger.error({ report: err.problems.filter((p) => p.severity === 'error').map(formatProblem) }, 'knowledge base change refused: the previous version keeps serving');
      return { ok: false, problems: err.problems };
    }
  }

  /**
   * Applies a change to a knowledge file and reloads. When the reload is refused because of the file this change
   * wrote, the change is undone and the previous version stays; either way the caller shows the person the report.
   */
  async change<E extends KnowledgeEdit>(write: () => Promise<E>): Promise<ChangeResult<E>> {
    const edit = await write();
    const result = await this.reload();
    if (result.ok) return { ok: true, edit };
    const ours = result.problems.some((p) => p.severity === 'error' && path.resolve(p.file) === path.resolve(edit.file));
    if (ours) {
      await edit.undo();
      await this.reload();
    }
    return { ok: false, edit, undone: ours, problems: result.problems.filter((p) => p.severity === 'error') };
  }

  /** Watches the directory and its category folders; reloads `debounceMs` after the last change. Returns a stop function. */
  watch(debounceMs = 300): () => void {
    let timer: NodeJS.Timeout | null = null;
    const stop = watchFolders(this.dir, this.logger, (file) => {
      // Editors write temp and swap files; only knowledge files matter.
      if (!/\.(md|ya?ml)$/i.test(file)) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void this.reload(), debounceMs);
    });
    return () => {
      if (timer) clearTimeout(timer);
      stop();
    };
  }
}

/**
 * One watcher per folder (the knowledge directory and each category in it), not `recursive: true`: on Linux, Node 20
 * implements that with a watcher per file, ten thousand inotify watches and handles for a large knowledge base.
 * A folder created later (a new category) is watched from then on.
 */
function watchFolders(root: string, logger: Logger, changed: (file: string) => void): () => void {
  const watchers = new Map<string, FSWatcher>();
  const follow = (dir: string) => {
    if (watchers.has(dir)) return;
    try {
      const watcher = watch(dir, (_event, file) => {
        if (!file) return;
        const name = String(file);
        if (dir === root && isFolder(path.join(root, name))) follow(path.join(root, name));
        changed(name);
      });
      watcher.on('error', (err) => logger.warn({ err, dir }, 'knowledge folder watch failed'));
      watchers.set(dir, watcher);
    } catch (err) {
      logger.warn({ err, dir }, 'cannot watch a knowledge folder: its changes need a restart');
    }
  };
  follow(root);
  try {
    for (const d of readdirSync(root, { withFileTypes: true })) if (d.isDirectory()) follow(path.join(root, d.name));
  } catch (err) {
    logger.warn({ err }, 'cannot list the knowledge directory to watch it');
  }
  return () => {
    for (const w of watchers.values()) w.close();
    watchers.clear();
  };
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
