/** Helpers for the collation centre tests: accounts, browser-style login, case requests. */
import { addUser, hashPassword, type Role } from '../../lib/report-server/users';
import type { ReportStore } from '../../lib/report-server/store';
import { request, type Answer } from './report-backends';

export const PASSWORD = 'correct horse battery staple';

export async function addAccount(store: ReportStore, name: string, role: Role, password = PASSWORD) {
  return addUser(store.db, name, role, await hashPassword(password));
}

export interface Login {
  status: number;
  body: any;
  setCookie: string | null;
  /** "pb_session=…" for the Cookie header */
  cookie: string;
  csrf: string;
  headers: Headers;
}

export async function login(origin: string, name: string, password = PASSWORD, headers: Record<string, string> = {}): Promise<Login> {
  const res = await fetch(`${origin}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name, password }) });
  const body = await res.json();
  const setCookie = res.headers.get('set-cookie');
  return { status: res.status, body, setCookie, cookie: setCookie?.split(';')[0] ?? '', csrf: body.csrf ?? '', headers: res.headers };
}

/** A request as the review page sends it: the session cookie, and the CSRF token on POST. */
export function asSession(origin: string, s: Login, path: string, body?: unknown, csrf: string | null = s.csrf): Promise<Answer> {
  const headers: Record<string, string> = { cookie: s.cookie };
  if (body === undefined) return request(origin, path, undefined, { headers });
  headers['content-type'] = 'application/json';
  if (csrf !== null) headers['x-csrf-token'] = csrf;
  return request(origin, path, undefined, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** A POST with a Bearer token. */
export function asToken(origin: string, token: string, path: string, body: unknown = {}): Promise<Answer> {
  return request(origin, path, token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}
