import { FileTokenVault } from '../store/file-token-vault.js';
import { openPostgresStores } from '../store/open.js';
import { createHash, randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { requestTokens, ZaloAuthError, ZaloTokens } from '../channels/zalo/tokens.js';
import { createLogger } from '../log.js';
import { cliConfig, fail } from './common.js';

// npm run zalo:auth — first authorisation (or re-authorisation) of the Zalo OA through OAuth v4 with PKCE. Prints the
// permission link for an OA admin, reads back where Zalo redirected, and stores the token pair in DATA_DIR (a
// running server picks it up at its next send).
const config = cliConfig();
const zalo = config.zalo;
if (!zalo) fail(`Chưa cấu hình Zalo: thiếu ${config.channelsMissing.zalo.join(', ')} (xem .env.example).`);
if (!zalo.redirectUri) fail('Thiếu ZALO_REDIRECT_URI: đường dẫn chuyển về đã khai báo trong ứng dụng Zalo (Official Account > Callback URL).');

const base64url = (b: Buffer) => b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const verifier = base64url(randomBytes(32));
const challenge = base64url(createHash('sha256').update(verifier).digest());
const state = base64url(randomBytes(12));
const link = `${zalo.oauthUrl}/v4/oa/permission?${new URLSearchParams({ app_id: zalo.appId, redirect_uri: zalo.redirectUri, code_challenge: challenge, state })}`;

process.stdout.write(
  [
    'Cấp quyền cho trợ lý gửi tin qua Zalo OA',
    '',
    '1. Đăng nhập Zalo bằng tài khoản quản trị của OA, rồi mở đường dẫn sau trong trình duyệt:',
    '',
    `   ${link}`,
    '',
    '2. Chọn OA của đơn vị và bấm "Cho phép".',
    '3. Zalo chuyển sang một địa chỉ có dạng ...?code=...&state=... Hãy sao chép toàn bộ địa chỉ đó (hoặc chỉ mã code) và dán vào đây.',
    '',
  ].join('\n'),
);
const rl = createInterface({ input: process.stdin, output: process.stdout });
const answer = (await rl.question('Địa chỉ hoặc mã code: ')).trim();
rl.close();

let code = answer;
if (/^https?:\/\//.test(answer) || answer.includes('code=')) {
  const params = new URL(answer.startsWith('http') ? answer : `http://x/?${answer.replace(/^.*\?/, '')}`).searchParams;
  if (params.get('state') !== null && params.get('state') !== state) fail('Mã state không khớp: hãy mở lại đường dẫn vừa in ra (không dùng đường dẫn cũ).');
  code = params.get('code') ?? '';
}
if (code === '') fail('Không thấy mã code trong nội dung vừa dán.');

try {
  const pair = await requestTokens(zalo, { code, grant_type: 'authorization_code', code_verifier: verifier });
  // The file beside a running server, or the row every instance shares.
  const pg = config.databaseUrl ? await openPostgresStores(config.databaseUrl, { logger: createLogger('silent', 2) }) : null;
  const vault = pg?.tokens ?? (await FileTokenVault.open(config.dataDir));
  const tokens = await ZaloTokens.open(vault, { ...zalo, seedRefreshToken: null }, createLogger('silent', 2));
  await tokens.save({ accessToken: pair.accessToken, refreshToken: pair.refreshToken, accessExpiresAt: Date.now() + pair.expiresInMs });
  await pg?.close();
  process.stdout.write(`\nĐã lưu token Zalo OA (hết hạn lúc ${new Date(Date.now() + pair.expiresInMs).toLocaleString('vi-VN')}, sau đó tự gia hạn).\n`);
} catch (err) {
  if (err instanceof ZaloAuthError) fail(`Zalo từ chối: ${err.zaloMessage}${err.code !== undefined ? ` (mã ${err.code})` : ''}`);
  fail(`Không lấy được token: ${(err as Error).message}`);
}
