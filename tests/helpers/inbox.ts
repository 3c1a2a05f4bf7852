import request from 'supertest';
import type { Express } from 'express';

/** The value of a hidden `_csrf` input in a page. */
export function csrfIn(htmlText: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(htmlText);
  if (!m) throw new Error('no CSRF token in page');
  return m[1]!;
}

/** Logs in through the real login form and returns an agent carrying the session cookie, plus its CSRF token. */
export async function login(app: Express, username: string, password: string): Promise<{ agent: ReturnType<typeof request.agent>; csrf: string }> {
  const agent = request.agent(app);
  const form = await agent.get('/inbox/login');
  const res = await agent.post('/inbox/login').type('form').send({ _csrf: csrfIn(form.text), username, password, next: '/inbox' });
  if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
  const inbox = await agent.get('/inbox');
  return { agent, csrf: csrfIn(inbox.text) };
}
