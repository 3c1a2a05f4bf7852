import { loadConfig, loadDotEnv, ConfigError, type Config } from '../config.js';
import { Bot, MemoryConversationStates } from '../conversation/bot.js';
import { loadKnowledge, type Knowledge } from '../conversation/knowledge.js';
import { KnowledgeBaseError } from '../knowledge/types.js';

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

const VALUE_FLAGS = new Set(['user', 'from', 'to', 'format', 'channel', 'entries', 'queries', 'admin', 'officer', 'name', 'role']);
