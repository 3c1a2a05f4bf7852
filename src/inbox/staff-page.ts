import type { Response } from 'express';
import { page, type PageOptions } from '../web/layout.js';
import { staffOf } from '../web/session.js';
import type { Tickets } from './tickets.js';

/**
 * Sends a page of the staff area (inbox, admin, reports, privacy) for the signed-in person, with the unread count
 * in the menu. A failure to count (the database is gone) still answers, with an error status.
 */
export async function sendStaffPage(res: Response, tickets: Tickets, o: Omit<PageOptions, 'user' | 'csrf' | 'unread'> & { readonly status?: number }): Promise<void> {
  const staff = staffOf(res)!;
  const { status = 200, ...options } = o;
  try {
    const unread = (await tickets.counts(staff.user.id)).unread;
    res.status(status).type('html').send(page({ ...options, user: staff.user, csrf: staff.session.csrf, unread }));
  } catch (err) {
    if (!res.headersSent) res.status(500).type('text/plain').send('Lỗi máy chủ: không đọc được dữ liệu.');
    throw err;
  }
}
