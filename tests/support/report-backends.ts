/** Both report-server backends for the tests, and a small client for the API. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../lib/report-server/open-store';
import { tokenHash, type ReportInput } from '../../lib/report-server/schema';
import type { ReportStore } from '../../lib/report-server/store';
import { createDatabase, startPostgres, type PgCluster } from './postgres';

export const BACKENDS = ['sqlite', 'postgres'] as const;
export type BackendKind = (typeof BACKENDS)[number];

export interface Backend {
  kind: BackendKind;
  dataDir: string;
  /** DATABASE_URL for a child process ('' for SQLite). */
  databaseUrl: string;
  open(): Promise<ReportStore>;
  cleanup(): Promise<void>;
}

let dbCount = 0;
/** A fresh, empty backend: a temp folder for SQLite, a new database in a throwaway cluster for PostgreSQL. */
export async function makeBackend(kind: BackendKind, cluster?: PgCluster): Promise<Backend> {
  const dataDir = mkdtempSync(join(tmpdir(), 'report-data-'));
  let databaseUrl = '';
  if (kind === 'postgres') {
    if (!cluster) throw new Error('postgres backend needs a cluster');
    databaseUrl = await createDatabase(cluster, `reports_${process.pid}_${++dbCount}`);
  }
  return {
    kind,
    dataDir,
    databaseUrl,
    open: () => openStore({ dataDir, databaseUrl: databaseUrl || undefined }),
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

export async function addToken(store: ReportStore, name: string, admin = false): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await store.createToken(name, admin, tokenHash(token));
  return token;
}

export function makeReport(i: number, over: Partial<ReportInput> = {}): ReportInput {
  return {
    url: `https://copy.example/article/${i}`,
    title: `Copied article ${i}`,
    platform: 'news',
    createdAt: '2026-11-20T08:30:00.000Z',
    category: 'uncredited',
    note: `note ${i}`,
    verdict: 'copy',
    outlet: 'xinhua',
    originalId: `xh-${i}`,
    originalUrl: `https://english.news.cn/${i}.htm`,
    score: 0.87,
    passages: [{ pageText: `page text ${i}`, originalText: `original text ${i}` }],
    ...over,
  };
}

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

export async function post(origin: string, token: string | undefined, key: string | undefined, body: unknown, extra: Record<string, string> = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (key !== undefined) headers['idempotency-key'] = key;
  Object.assign(headers, extra);
  const res = await fetch(`${origin}/api/reports`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return answer(res);
}

export async function request(origin: string, path: string, token?: string, init: RequestInit = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (token) headers.authorization = `Bearer ${token}`;
  return answer(await fetch(`${origin}${path}`, { ...init, headers }));
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').startsWith('application/json')) body = JSON.parse(text);
  return { status: res.status, body, headers: res.headers };
}
