import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Accounts } from '../inbox/accounts.js';
import type { Role, Session, StaffUser } from '../store/schema.js';
import { csrfMatches, parseCookies } from './security.js';

export const SESSION_COOKIE = 'hm_session';

export interface Staff {
  readonly user: StaffUser;
  readonly session: Session;
  readonly token: string;
}

/** The signed-in staff member of this request (set by `loadStaff`). */
export function staffOf(res: Response): Staff | null {
  return (res.locals.staff as Staff | undefined) ?? null;
}

export function loadStaff(accounts: Accounts): RequestHandler {
  return (req, res, next) => {
    const token = parseCookies(req.get('cookie'))[SESSION_COOKIE];
    if (!token) return next();
    accounts.session(token).then((found) => {
      if (found) res.locals.staff = { ...found, token } satisfies Staff;
      next();
    }, next);
  };
}

function wantsJson(req: Request): boolean {
  return req.path.includes('/api/') || (req.get('accept') ?? '').includes('application/json');
}

/**
 * Pages need a session (anonymous visitors go to the login page, then come back); an admin-only page refuses
 * officers with 403. Every POST must carry the session's CSRF token.
 */
export function requireStaff(role: Role | null = null): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const staff = staffOf(res);
    if (!staff) {
      if (wantsJson(req)) return void res.status(401).json({ error: 'cần đăng nhập' });
      return void res.redirect(303, `/inbox/login?next=${encodeURIComponent(req.originalUrl)}`);
    }
    if (role === 'admin' && staff.user.role !== 'admin') {
      return void res.status(403).type('text/plain').send('Trang này chỉ dành cho quản trị viên.');
    }
    if (req.method === 'POST' && !csrfMatches(staff.session.csrf, (req.body as Record<string, unknown> | undefined)?._csrf)) {
      return void res.status(403).type('text/plain').send('Phiên làm việc không hợp lệ (CSRF): hãy tải lại trang rồi thử lại.');
    }
    next();
  };
}
