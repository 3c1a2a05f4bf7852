import type { Server as HttpServer } from 'node:http';
import { ConfigError, loadConfig, loadDotEnv } from './config.js';
import { KnowledgeBaseError } from './knowledge/types.js';
import { createLogger } from './log.js';
import { idleCollector } from './idle-collector.js';
import { createServer } from './server.js';
import { serveBackupRequest } from './store/backup.js';
import { DataDirBusyError } from './store/lock.js';
import { StoreCorruptError } from './store/store.js';

/**
 * Longer than a reverse proxy in deploy/ keeps an idle connection to the bot (Caddy: 2 minutes). With Node's 5 s, the
 * server closes a connection just as the proxy sends a webhook on it, and the proxy answers 502.
 */
const KEEP_ALIVE_MS = 130_000;

// Composition root: read config, build the server, listen, shut down cleanly.
async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const server = await createServer(config, logger);
  const kb = server.knowledge().base;
  logger.info({ entries: kb.entries.length, drafts: kb.drafts.length, warnings: kb.warnings.length, dir: config.knowledgeDir }, 'knowledge base loaded');
  for (const c of server.channels) {
    logger.info({ channel: c.name, enabled: c.enabled }, `channel ${c.name}: ${c.enabled ? 'enabled' : 'disabled'} — ${c.detail}`);
  }
  const collector = idleCollector();
  const http: HttpServer = server.app.listen(config.port, config.host, () => {
    const address = http.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ port }, `listening on http://localhost:${port} (web chat: ${config.webChat ? `http://localhost:${port}/chat` : 'off'})`);
  });
  http.keepAliveTimeout = KEEP_ALIVE_MS;
  http.headersTimeout = KEEP_ALIVE_MS + 1000;
  http.on('request', () => collector.activity());
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    http.close();
    collector.stop();
    void server.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 8000).unref();
  };
  // `npm run backup` while the server runs: the request waits in DATA_DIR (see store/backup.ts).
  process.on('SIGUSR2', () => {
    void serveBackupRequest(config.dataDir, (out) => server.backup(out)).catch((err: unknown) => logger.error({ err: (err as Error).message }, 'backup request failed'));
  });
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof KnowledgeBaseError || err instanceof StoreCorruptError) {
    process.stderr.write(`${err.message}\n`);
  } else if (err instanceof DataDirBusyError) {
    process.stderr.write(`${err.message} Mỗi thư mục dữ liệu chỉ chạy một máy chủ: hãy dừng máy chủ kia, hoặc đặt DATA_DIR khác.\n`);
  } else {
    process.stderr.write(`Không khởi động được máy chủ: ${(err as Error)?.stack ?? String(err)}\n`);
  }
  process.exit(1);
});
