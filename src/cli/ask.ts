import { cliBot, cliConfig, cliKnowledge, parseArgs } from './common.js';
import { formatReplies } from './format.js';

// npm run --silent ask -- "câu hỏi" [--json]
const { flags, positional } = parseArgs(process.argv.slice(2));
const question = positional.join(' ').trim();
if (question === '') {
  process.stderr.write('Cách dùng: npm run --silent ask -- "câu hỏi của bạn" [--json]\n');
  process.exit(2);
}
const config = cliConfig();
const bot = cliBot(config, await cliKnowledge(config));
const response = await bot.handle({
  channel: 'cli',
  userId: 'cli',
  messageId: `cli-${Date.now()}`,
  timestamp: Date.now(),
  kind: 'text',
  text: question,
});
process.stdout.write(flags.has('json') ? `${JSON.stringify(response, null, 2)}\n` : `${formatReplies(response.replies)}\n`);
