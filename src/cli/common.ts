import { loadConfig, loadDotEnv, ConfigError, type Config } from '../config.js';
import { Bot, MemoryConversationStates } from '../conversation/bot.js';
import { loadKnowledge, type Knowledge } from '../conversation/knowledge.js';
import { KnowledgeBaseError } from '../knowledge/types.js';
import { silentLogger } from '../log.js';
import { DataDirBusyError } from '../store/lock.js';
import { openStores, type Stores } from '../store/open.js';
import { StoreCorruptError } from '../store/store.js';

/** Config for command-line tools: the same validation as the server; errors printed in Vietnamese, exit 1. */
export function cliConfig(): Config {
  loadDotEnv();
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
}

export async function cliKnowledge(config: Config): Promise<Knowledge> {
  try {
    return await loadKnowledge(config.knowledgeDir);
  } catch (err) {
    if (err instanceof KnowledgeBaseError) fail(err.message);
    throw err;
  }
}

export function cliBot(config: Config, knowledge: Knowledge): Bot {
  return new Bot({
    knowledge: () => knowledge,
    thresholds: config.thresholds,
    footer: config.footer,
    states: new MemoryConversationStates(),
  });
}

/**
 * The stores for a command that writes: PostgreSQL when DATABASE_URL is set (shared, the server may run), else
 * DATA_DIR, which the command must hold alone (it refuses while the server runs, and says what to do instead).
 */
export async function cliStores(config: Config, whileServerRuns: string): Promise<Stores> {
  try {
    return await openStores(config, { logger: silentLogger() });
  } catch (err) {
    if (err instanceof DataDirBusyError) fail(`${err.message} ${whileServerRuns}`);
    if (err instanceof StoreCorruptError) fail(err.message);
    throw err;
  }
}

export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Command-line flags: `--name value`, `--flag`, and positional arguments. */
export function parseArgs(argv: readonly string[]): { flags: Map<string, string | true>; positional: string[] } {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      const next = argv[i + 1];
      if (inline !== undefined) flags.set(name, inline);
      else if (next !== undefined && !next.startsWith('--') && VALUE_FLAGS.has(name)) flags.set(name, argv[++i]!);
      else flags.set(name, true);
    } else {
      positional.push(arg);
    }
  }
  return { flags, positional };
}

const VALUE_FLAGS = new Set(['user', 'from', 'to', 'format', 'channel', 'entries', 'queries', 'admin', 'officer', 'name', 'role', 'as-of', 'out']);
