import { GraphClient } from '../channels/messenger/client.js';
import { configureMessengerProfile } from '../channels/messenger/profile.js';
import { SendError } from '../channels/types.js';
import { cliConfig, fail } from './common.js';

// npm run messenger:setup — sets the Page's Get Started button, greeting and persistent menu (run once, and again
// after changing them in src/channels/messenger/profile.ts).
const config = cliConfig();
if (!config.messenger) fail(`Chưa cấu hình Messenger: thiếu ${config.channelsMissing.messenger.join(', ')} (xem .env.example).`);
const client = new GraphClient({
  appSecret: config.messenger.appSecret,
  pageAccessToken: config.messenger.pageAccessToken,
  apiUrl: config.messenger.graphApiUrl,
  apiVersion: config.messenger.graphApiVersion,
});
try {
  await configureMessengerProfile(client);
  process.stdout.write('Đã cài nút "Bắt đầu", lời chào và menu cố định cho trang Facebook.\n');
} catch (err) {
  if (err instanceof SendError) fail(`Meta từ chối: ${err.platformMessage} (mã ${err.code ?? '?'})`);
  throw err;
}
