import { createInterface } from 'node:readline';
import { search } from '../matching/search.js';
import { cliBot, cliConfig, cliKnowledge, parseArgs } from './common.js';
import { debugLines, formatReplies } from './format.js';

// npm run chat [-- --debug]: talk to the bot in the terminal, through the same conversation layer as the webhooks.
const { flags } = parseArgs(process.argv.slice(2));
const debug = flags.has('debug');
const config = cliConfig();
const knowledge = await cliKnowledge(config);
const bot = cliBot(config, knowledge);
const rl = createInterface({ input: process.stdin, output: process.stdout });
process.stdout.write(
  `Trợ lý Hải quan Hoành Mô (${knowledge.base.entries.length} câu hỏi). Gõ câu hỏi, có dấu hoặc không dấu; ` +
    `gõ số để chọn gợi ý; "thoát" hoặc Ctrl+D để kết thúc.\n\n`,
);
let n = 0;
rl.setPrompt('Bạn: ');
rl.prompt();
// Reading lines as they come (not rl.question) keeps piped input working: no line is dropped between prompts.
for await (const line of rl) {
  const text = line.trim();
  if (['thoát', 'thoat', 'exit', 'quit'].includes(text.toLowerCase())) break;
  if (text !== '') {
    const response = await bot.handle({ channel: 'cli', userId: 'terminal', messageId: `t${++n}`, timestamp: Date.now(), kind: 'text', text });
    process.stdout.write(`\nBot: ${formatReplies(response.replies).replace(/\n/g, '\n     ')}\n`);
    if (debug) process.stdout.write(debugLines(search(knowledge.index, text), response.outcome));
    process.stdout.write('\n');
  }
  rl.prompt();
}
rl.close();
process.stdout.write('Tạm biệt!\n');
