import { watch, type FSWatcher } from 'node:fs';
import { formatProblem, KnowledgeBaseError, type KnowledgeProblem } from '../knowledge/types.js';
import type { Logger } from '../log.js';
import { loadKnowledge, type Knowledge } from './knowledge.js';

export interface ReloadResult {
  readonly ok: boolean;
  readonly problems: readonly KnowledgeProblem[];
}

/**
 * The knowledge base being served, reloaded when its files change. A reload builds a complete new knowledge base
 * and index and swaps the reference in one assignment: a question in flight finishes on the one it started with.
 * An invalid change is reported and the last good knowledge base keeps serving.
 */
export class LiveKnowledge {
  private knowledge: Knowledge;
  private failure: KnowledgeBaseError | null = null;
  private loaded: number;
  private reloading: Promise<ReloadResult> | null = null;
  private again = false;

  private constructor(
    private readonly dir: string,
    private readonly logger: Logger,
    initial: Knowledge,
    private readonly clock: () => number,
  ) {
    this.knowledge = initial;
    this.loaded = clock();
  }

  /** Loads once; an invalid knowledge base at start throws (the server must not start on it). */
  static async load(dir: string, logger: Logger, clock: () => number = Date.now): Promise<LiveKnowledge> {
    return new LiveKnowledge(dir, logger, await loadKnowledge(dir), clock);
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

  /** Reloads now. Concurrent calls share one reload; a change during a reload triggers one more. */
  reload(): Promise<ReloadResult> {
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    this.reloading = this.doReload().finally(() => {
      this.reloading = null;
      if (this.again) {
        this.again = false;
        void this.reload();
      }
    });
    return this.reloading;
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

  /** Watches the directory (recursively) and reloads `debounceMs` after the last change. Returns a stop function. */
  watch(debounceMs = 300): () => void {
    let timer: NodeJS.Timeout | null = null;
    let watcher: FSWatcher | null = null;
    try {
      watcher = watch(this.dir, { recursive: true }, (_event, file) => {
        // Editors write temp and swap files; only knowledge files matter.
        if (file && !/\.(md|ya?ml)$/i.test(String(file))) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => void this.reload(), debounceMs);
      });
      watcher.on('error', (err) => this.logger.warn({ err }, 'knowledge directory watch failed'));
    } catch (err) {
      this.logger.warn({ err }, 'cannot watch the knowledge directory: changes need a restart');
    }
    return () => {
      if (timer) clearTimeout(timer);
      watcher?.close();
    };
  }
}
