/**
 * The review application's requests: same origin, the session cookie (HttpOnly,
 * SameSite=Strict) sent by the browser, and the session's CSRF token, kept in
 * memory only, on every change.
 */
export interface Session {
  name: string;
  role: string;
  csrf: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let csrf = '';

export function setCsrf(token: string) {
  csrf = token;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  const res = await fetch(path, { method, headers, credentials: 'same-origin', cache: 'no-store', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (res.status === 204) return undefined as T;
  let data: unknown;
  try {
    data = await res.json();
  } catch {
    throw new ApiError(res.status, `HTTP ${res.status}`);
  }
  if (!res.ok) throw new ApiError(res.status, typeof (data as { error?: unknown }).error === 'string' ? (data as { error: string }).error : `HTTP ${res.status}`);
  return data as T;
}

export const get = <T>(path: string) => call<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => call<T>('POST', path, body);

// ---- the shapes the server answers (centre.md): the server's own types, type-only (nothing of the server is bundled) ----

export type { CaseSummary, CaseView, CopyView, StatusAnswer } from '../cases';
export type { Timeline, TimelineEvent } from '../timeline';
import type { CaseSummary } from '../cases';

export interface CaseList {
  cases: CaseSummary[];
  needed: number;
  next?: number;
}

export interface Figure {
  shown: string;
  value?: number;
}

export interface Report {
  id: number;
  url: string;
  title: string;
  platform: string;
  createdAt: string;
  receivedAt: string;
  reporter: string;
  category: string;
  note: string;
  verdict: string;
  score: number;
  status: string;
  passages: Array<{ pageText: string; originalText?: string }>;
  account?: { name: string; url?: string };
  postedAt?: { shown: string; iso?: string };
  engagement?: { readAt: string } & Partial<Record<'reposts' | 'comments' | 'likes' | 'views', Figure>>;
}

