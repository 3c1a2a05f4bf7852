import type { Session, StaffUser } from '../schema.js';
import { inTransaction, json, refusingDuplicates, type Pool, type Queryable } from './pool.js';

const taken = (username: string) => `tên đăng nhập "${username}" đã được dùng`;

export async function users(q: Queryable): Promise<StaffUser[]> {
  return (await q.query<{ body: StaffUser }>('SELECT body FROM users ORDER BY seq')).rows.map((r) => r.body);
}

export async function userBy(q: Queryable, column: 'id' | 'username', value: string): Promise<StaffUser | null> {
  const { rows } = await q.query<{ body: StaffUser }>(`SELECT body FROM users WHERE ${column} = $1`, [value]);
  return rows[0]?.body ?? null;
}

/** The username's unique index decides between two instances adding the same name at once. */
export async function addUser(q: Queryable, user: StaffUser): Promise<void> {
  await refusingDuplicates(taken(user.username), () =>
    q.query('INSERT INTO users (id, username, body) VALUES ($1, $2, $3)', [user.id, user.username, json(user)]),
  );
}

export function updateUser(pool: Pool, id: string, change: (user: StaffUser) => void): Promise<StaffUser | null> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ body: StaffUser }>('SELECT body FROM users WHERE id = $1 FOR UPDATE', [id]);
    const user = rows[0]?.body;
    if (!user) return null;
    change(user);
    await refusingDuplicates(taken(user.username), () => client.query('UPDATE users SET username = $2, body = $3 WHERE id = $1', [id, user.username, json(user)]));
    return user;
  });
}

export async function session(q: Queryable, id: string): Promise<Session | null> {
  return (await q.query<{ body: Session }>('SELECT body FROM sessions WHERE id = $1', [id])).rows[0]?.body ?? null;
}

/** Sessions expired by `now` go in the same transaction, as the embedded store filters them on login. */
export function addSession(pool: Pool, s: Session, now: number): Promise<void> {
  return inTransaction(pool, async (client) => {
    await client.query('DELETE FROM sessions WHERE expires_at <= $1', [now]);
    await refusingDuplicates('phiên đăng nhập đã tồn tại', () =>
      client.query('INSERT INTO sessions (id, user_id, expires_at, body) VALUES ($1, $2, $3, $4)', [s.id, s.userId, s.expiresAt, json(s)]),
    );
  });
}

/** Never moves lastSeenAt back: instances whose clocks differ a little may touch the same session. */
export async function touchSession(q: Queryable, id: string, at: number): Promise<void> {
  await q.query(
    `UPDATE sessions SET body = jsonb_set(body, '{lastSeenAt}', to_jsonb(GREATEST((body->>'lastSeenAt')::bigint, $2::bigint))) WHERE id = $1`,
    [id, at],
  );
}

export async function deleteSession(q: Queryable, id: string): Promise<void> {
  await q.query('DELETE FROM sessions WHERE id = $1', [id]);
}
