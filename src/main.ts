import type { Server } from 'node:http';
import { createApp, type ChannelStatus } from './app.js';
import { webChatRoutes } from './channels/web/routes.js';
import { ConfigError, loadConfig, loadDotEnv } from './config.js';
import { Bot } from './conversation/bot.js';
import { indexKnowledge } from './conversation/knowledge.js';
import { loadKnowledgeBase } from './knowledge/load.js';
import { KnowledgeBaseError } from './knowledge/types.js';
import { createLogger } from './log.js';
import { Conversations } from './store/conversations.js';
import { Store, StoreCorruptError } from './store/store.js';

// Composition root: read config, load the knowledge base and the store, build the app, listen.
async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const knowledge = indexKnowledge(await loadKnowledgeBase(config.knowledgeDir));
  const kb = knowledge.base;
  logger.info({ entries: kb.entries.length, drafts: kb.drafts.length, warnings: kb.warnings.length, dir: config.knowledgeDir }, 'knowledge base loaded');
  const store = await Store.open(config.dataDir);
  const conversations = new Conversations(store);
  const bot = new Bot({ knowledge: () => knowledge, thresholds: config.thresholds, footer: config.footer, states: conversations });

  const channels: ChannelStatus[] = [
    { name: 'messenger', enabled: false, detail: 'chưa cấu hình (thiếu FB_APP_SECRET, FB_VERIFY_TOKEN, FB_PAGE_ACCESS_TOKEN)' },
    { name: 'zalo', enabled: false, detail: 'chưa cấu hình (thiếu ZALO_APP_ID, ZALO_APP_SECRET, ZALO_OA_SECRET_KEY)' },
    { name: 'web', enabled: config.webChat, detail: config.webChat ? '/chat' : 'tắt (ENABLE_WEB_CHAT=false)' },
  ];
  const app = createApp({
    logger,
    routers: config.webChat ? [webChatRoutes(bot, conversations)] : [],
    health: () => ({
      status: 'ok',
      knowledge: { entries: kb.entries.length, drafts: kb.drafts.length, warnings: kb.warnings.length },
      channels: Object.fromEntries(channels.map((c) => [c.name, { enabled: c.enabled, detail: c.detail }])),
    }),
  });
  for (const c of channels) logger.info({ channel: c.name, enabled: c.enabled }, `channel ${c.name}: ${c.enabled ? 'enabled' : 'disabled'} — ${c.detail}`);

  const server: Server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ port }, `listening on http://localhost:${port} (web chat: ${config.webChat ? `http://localhost:${port}/chat` : 'off'})`);
  });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close(() => void store.close().then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof KnowledgeBaseError || err instanceof StoreCorruptError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`Không khởi động được máy chủ: ${(err as Error)?.stack ?? String(err)}\n`);
  }
  process.exit(1);
});
