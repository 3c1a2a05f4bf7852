import { createInterface } from 'node:readline';
import { AccountError, Accounts } from '../inbox/accounts.js';
import { cliConfig, cliStores, fail, parseArgs } from './common.js';

// npm run user:add -- --admin <name> | --officer <name> [--name "Tên hiển thị"]
// Creates an inbox account; asks for the password (twice). With the embedded store, run it while the server is
// stopped (both write db.json); with PostgreSQL it may run beside the servers.
const { flags } = parseArgs(process.argv.slice(2));
const admin = flags.get('admin');
const officer = flags.get('officer');
const username = typeof admin === 'string' ? admin : typeof officer === 'string' ? officer : null;
if (!username) fail('Cách dùng: npm run user:add -- --admin <tên đăng nhập>   (hoặc --officer <tên đăng nhập>) [--name "Tên hiển thị"]');
const displayName = typeof flags.get('name') === 'string' ? String(flags.get('name')) : username;

/** Reads lines from stdin; on a terminal the typed characters are not echoed. */
function askHidden(questions: readonly string[]): Promise<string[]> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true });
  const out = rl as unknown as { _writeToOutput?: (s: string) => void };
  let muted = false;
  if (process.stdin.isTTY) {
    const write = out._writeToOutput?.bind(rl);
    out._writeToOutput = (s: string) => (muted && !s.includes('\n') ? undefined : write?.(s));
  }
  const answers: string[] = [];
  return new Promise((resolve) => {
    const next = () => {
      if (answers.length === questions.length) {
        rl.close();
        return resolve(answers);
      }
      process.stdout.write(questions[answers.length]!);
      muted = true;
    };
    rl.on('line', (line) => {
      muted = false;
      if (process.stdin.isTTY) process.stdout.write('\n');
      answers.push(line);
      next();
    });
    rl.on('close', () => resolve(answers));
    next();
  });
}

const config = cliConfig();
const stores = await cliStores(config, 'Hãy dừng máy chủ rồi chạy lại lệnh này.');
const [password, again] = await askHidden(['Mật khẩu: ', 'Nhập lại mật khẩu: ']);
if (!password || password !== again) fail('Hai lần nhập mật khẩu không khớp.');
try {
  const user = await new Accounts(stores.data, stores.loginAttempts, config.inbox.sessionMs).create(username, password, admin ? 'admin' : 'officer', displayName);
  await stores.close();
  process.stdout.write(`Đã tạo tài khoản ${user.role === 'admin' ? 'quản trị viên' : 'cán bộ'} "${user.username}". Đăng nhập tại /inbox.\n`);
} catch (err) {
  if (err instanceof AccountError) fail(err.message);
  throw err;
}
