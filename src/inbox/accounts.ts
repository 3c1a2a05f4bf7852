import { createHash, randomBytes, randomUUID, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Role, Session, StaffUser } from '../store/schema.js';
import { StoreConflictError, type DataStore, type LoginAttempts } from '../store/types.js';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 64 } as const;
export const MIN_PASSWORD_LENGTH = 10;

/** "scrypt$N$r$p$salt$hash": parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export type LoginResult =
  | { readonly ok: true; readonly user: StaffUser; readonly token: string; readonly session: Session }
  | { readonly ok: false; readonly reason: 'invalid' }
  /** Too many wrong passwords for this account from this address: try again after the delay. */
  | { readonly ok: false; readonly reason: 'throttled'; readonly retryAfterMs: number };

export class AccountError extends Error {}

/** Staff accounts and their sessions, in the store. */
export class Accounts {
  // A hash to compare against when the username does not exist, so timing does not reveal which usernames exist.
  private readonly dummyHash = hashPassword(randomUUID());

  constructor(
    private readonly store: DataStore,
    private readonly attempts: LoginAttempts,
    private readonly sessionMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  list(): Promise<StaffUser[]> {
    return this.store.users();
  }

  byId(id: string): Promise<StaffUser | null> {
    return this.store.user(id);
  }

  async create(username: string, password: string, role: Role, displayName = username): Promise<StaffUser> {
    const name = username.trim().toLowerCase();
    if (!/^[a-z0-9._-]{3,32}$/.test(name)) throw new AccountError('Tên đăng nhập gồm 3–32 ký tự: chữ thường không dấu, số, dấu chấm, gạch.');
    if (password.length < MIN_PASSWORD_LENGTH) throw new AccountError(`Mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`);
    if (await this.store.userByName(name)) throw new AccountError(`Tài khoản "${name}" đã tồn tại.`);
    const user: StaffUser = {
      id: randomUUID(),
      username: name,
      displayName: displayName.trim() || name,
      role,
      passwordHash: await hashPassword(password),
      createdAt: this.clock(),
      disabled: false,
    };
    try {
      await this.store.addUser(user);
    } catch (err) {
      if (err instanceof StoreConflictError) throw new AccountError(`Tài khoản "${name}" đã tồn tại.`);
      throw err;
    }
    return user;
  }

  /**
   * Checks a password. Attempts per account and address are counted before the check and spaced out after five
   * failures; an unknown username goes through the same steps and messages, so names cannot be told apart.
   */
  async login(username: string, password: string, from: string): Promise<LoginResult> {
    const name = username.trim().toLowerCase();
    const key = `${name.slice(0, 64)}|${from}`;
    const reserved = await this.attempts.reserve(key, this.clock());
    if (!reserved.ok) return { ok: false, reason: 'throttled', retryAfterMs: reserved.retryAfterMs };
    const found = await this.store.userByName(name);
    const user = found && !found.disabled ? found : null;
    const valid = await verifyPassword(password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !valid) return { ok: false, reason: 'invalid' };
    await this.attempts.succeeded(key);
    const now = this.clock();
    const token = randomBytes(32).toString('base64url');
    const session: Session = { id: sha256(token), userId: user.id, csrf: randomBytes(24).toString('base64url'), createdAt: now, lastSeenAt: now, expiresAt: now + this.sessionMs };
    await this.store.addSession(session, now);
    return { ok: true, user, token, session };
  }

  /** The session and user behind a cookie value, if valid and unexpired (shared by every instance). */
  async session(token: string | undefined): Promise<{ session: Session; user: StaffUser } | null> {
    if (!token) return null;
    const id = sha256(token);
    const now = this.clock();
    const session = await this.store.session(id);
    if (!session || session.expiresAt <= now) return null;
    const user = await this.byId(session.userId);
    if (!user || user.disabled) return null;
    if (now - session.lastSeenAt > 60_000) await this.store.touchSession(id, now);
    return { session, user };
  }

  async logout(token: string | undefined): Promise<void> {
    if (!token) return;
    await this.store.deleteSession(sha256(token));
  }

  /** On first start, the admin from ADMIN_USERNAME / ADMIN_PASSWORD, if there is no account yet. */
  async ensureInitialAdmin(initial: { username: string; password: string } | null): Promise<StaffUser | null> {
    if (!initial || (await this.store.users()).length > 0) return null;
    try {
      return await this.create(initial.username, initial.password, 'admin', 'Quản trị viên');
    } catch (err) {
      // Another instance starting at the same moment created it.
      if (err instanceof AccountError) return null;
      throw err;
    }
  }
}
