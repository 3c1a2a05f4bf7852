import { loadKnowledgeBase } from '../knowledge/load.js';
import { KnowledgeBaseError } from '../knowledge/types.js';
import { cliConfig, fail } from './common.js';

// npm run --silent kb:export: the parsed knowledge base as JSON on stdout (served entries, drafts excluded).
const config = cliConfig();
try {
  const kb = await loadKnowledgeBase(config.knowledgeDir);
  const out = kb.entries.map((e) => ({
    id: e.id,
    question: e.question,
    alternates: e.alternates,
    tags: e.tags,
    category: e.category,
    answer: e.answerText,
  }));
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} catch (err) {
  if (err instanceof KnowledgeBaseError) fail(err.message);
  throw err;
}
