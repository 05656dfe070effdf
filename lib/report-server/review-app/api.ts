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

// ---- the shapes the server answers (centre.md) ----

export interface CaseSummary {
  id: number;
  status: 'open' | 'confirmed' | 'dismissed';
  outlet: string;
  originalId: string;
  originalUrl: string;
  title: string;
  firstSeen: string;
  createdAt: string;
  updatedAt: string;
  copies: number;
  reports: number;
  lastReport: string | null;
  platforms: string[];
  confirmations: number;
  mergedInto?: number;
}

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

export interface CopyView {
  url: string;
  platform: string;
  account?: { name: string; url?: string };
  firstSeen: string;
  lastReport: string | null;
  reports: number;
  verdicts: Record<string, number>;
}

export interface CaseView {
  case: CaseSummary;
  needed: number;
  copies: CopyView[];
  reports: Report[];
  reportsTruncated: boolean;
  verdicts: Record<string, number>;
  notes: Array<{ id: number; author: string; text: string; createdAt: string }>;
  confirmations: Array<{ reviewer: string; at: string }>;
  audit: Array<{ id: number; at: string; actor: string; action: string; detail: Record<string, unknown> }>;
}

export interface TimelineEvent {
  at: string;
  kind: 'copy-first-seen' | 'report' | 'original-published';
  url: string;
  platform: string;
  account?: string;
  seenAt?: string;
  verdict?: string;
}

export interface Timeline {
  case: number;
  firstSeen: string;
  originalPublished?: string;
  events: TimelineEvent[];
  platforms: Array<{ platform: string; copies: number; reports: number; firstSeen: string }>;
}

export interface StatusAnswer {
  id: number;
  status: string;
  confirmations: string[];
  needed: number;
}
