/**
 * The report collection server: a node:http handler over a ReportStore.
 *
 *   POST  /api/reports           reporter or admin token, Idempotency-Key, JSON body
 *   GET   /api/reports           admin; ?status=&outlet=&platform=&since=&originalId=&format=csv
 *   PATCH /api/reports/:id       admin; {"status": "new"|"confirmed"|"rejected"}
 *   GET   /api/originals.jsonl   admin; confirmed reports as originals
 *   GET   /api/originals.txt     admin; addresses of confirmed originals the index lacks
 *   GET   /review                the review page (+ /review.js, /review.css)
 *   GET   /centre                the review application (Preact; + /centre/app.js, /centre/app.css)
 *   POST  /api/login, /api/logout, GET /api/session     reviewers' browser sessions
 *   GET   /api/cases, /api/cases/:id                    reviewer; the collation centre's cases
 *   POST  /api/cases/:id/(notes|confirm|dismiss|reopen|merge|split)   reviewer
 *   GET   /api/signals           reviewer; coordination signals (signals.ts)
 *   GET   /api/publish           reviewer; a public report's files (publish.ts), the CLI's bytes
 *
 * Reviewer endpoints take an admin or reviewer Bearer token, or a session
 * cookie from POST /api/login; with a cookie, every request that changes
 * something must carry the session's CSRF token in X-CSRF-Token (centre.md).
 *
 * Limits per client address (client-address.ts) on what comes without a valid
 * token: requests that are answered without one (the review page, preflights,
 * 401, 404) share one token bucket, and failed token attempts (a well-formed
 * token that is not known) another, much smaller one. While an address has
 * spent its failed attempts, no token from it is looked at — a right one
 * included — so that guessing cannot go on; it gets 429 with Retry-After.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { addNote, CASE_STATUSES, CentreError, confirmCase, getCase, listCases, MAX_NOTE, mergeCases, setCaseStatus, splitCopy, type CaseFilter, type CaseStatus } from './cases';
import { accountCopies, caseTimeline, listAccounts } from './timeline';
import { parsePeriod, PeriodError } from './period';
import { periodFolder, publishReport } from './publish';
import { signalCopies } from './publish-data';
import { FILES, REPORT_CSP, type ReportFile } from './publish-render';
import { REPORT_LANGS, type ReportLang } from './publish-text';
import { DEFAULT_SIGNALS, findSignals, type SignalOptions } from './signals';
import { atLeast, createSession, endSession, findSession, findUser, tokenRole, verifyPassword, SESSION_HOURS, type Role } from './users';
import { clientAddress, clientKey } from './client-address';
import { CSV_HEADER, csvRows, UTF8_BOM, reportsToOriginals, reportsToOriginalUrls, originalsToJsonl } from './export';
import { RateLimiter } from './rate-limit';
import { REVIEW_CSS, REVIEW_CSP, REVIEW_HTML, REVIEW_JS } from './review-page';
import { CENTRE_CSP, CENTRE_HTML, centreBundle } from './review-app-bundle';
import { IDEMPOTENCY_KEY, isIsoDate, MAX_BODY_BYTES, PLATFORMS, reportHash, STATUSES, tokenHash, validateReport, type Status, type StoredReport } from './schema';
import type { ReportFilter, ReportStore, Token } from './store';

export interface ServerOptions {
  store: ReportStore;
  /** Requests per minute per token for POST /api/reports (token bucket, that many of burst); 0 turns the limit off. */
  ratePerMinute?: number;
  /** Requests without a valid token per minute per client address (token bucket, that many of burst); 0: no limit. Default 60. */
  anonymousPerMinute?: number;
  /** Failed token attempts per hour per client address (token bucket, that many of burst); 0: no limit. Default 20. */
  tokenFailuresPerHour?: number;
  /** Take the client's address from the last X-Forwarded-For entry (only behind a reverse proxy that sets it). */
  trustProxy?: boolean;
  /** Where internal errors are written; stderr by default. */
  log?: (line: string) => void;
  /** How long a looked-up token is trusted without asking the database again (a revocation takes effect within it). */
  tokenCacheMs?: number;
  /** Different reviewers whose confirmations confirm a case (the four-eyes rule). Default 2. */
  confirmations?: number;
  /** Failed logins per hour per client address, and per account name (token buckets, that many of burst); 0: no limit. Default 10. */
  loginFailuresPerHour?: number;
  /** Thresholds of the coordination signals (signals.ts) for /api/signals and /api/publish. */
  signals?: SignalOptions;
}

/** Who is asking: a Bearer token's holder or a logged-in account. */
export interface Principal {
  name: string;
  role: Role;
  via: 'token' | 'session';
  csrf?: string;
}

export const SESSION_COOKIE = 'pb_session';

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

const TOKEN_CACHE_MS = 30_000;
/** Reports per database read, and per answer of the list by default. */
const PAGE = 1000;
const MAX_LIMIT = 5000;
const ALLOWED_ORIGIN = /^(chrome-extension|moz-extension):\/\/[A-Za-z0-9._-]+$|^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/;

function send(res: ServerResponse, status: number, body: string, type: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(body);
}
const sendJson = (res: ServerResponse, status: number, value: unknown, headers?: Record<string, string>) =>
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8', headers);

/** Reads the body up to the limit; past it, drains the rest and answers 413. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > MAX_BODY_BYTES;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      if (!tooLarge) chunks.push(c);
      else if (size > 16 * MAX_BODY_BYTES) req.destroy();
    });
    req.on('end', () => (tooLarge ? reject(new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`, { connection: 'close' })) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

export function createReportHandler(opts: ServerOptions) {
  const { store } = opts;
  const limiter = new RateLimiter(opts.ratePerMinute ?? 60);
  const anonymous = new RateLimiter(opts.anonymousPerMinute ?? 60);
  const failures = new RateLimiter(opts.tokenFailuresPerHour ?? 20, undefined, { windowMs: 3_600_000 });
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const tokenCache = new Map<string, { token: Token; role: Role | undefined; at: number }>();
  const needed = opts.confirmations ?? 2;
  const loginByAddress = new RateLimiter(opts.loginFailuresPerHour ?? 10, undefined, { windowMs: 3_600_000 });
  const loginByName = new RateLimiter(opts.loginFailuresPerHour ?? 10, undefined, { windowMs: 3_600_000 });
  const tooMany = (wait: number, what: string) => new HttpError(429, `${what}: retry in ${wait} s`, { 'retry-after': String(wait) });

  /** Counts a request answered without a valid token; 429 once the address has spent its share. */
  function countAnonymous(client: string) {
    const wait = anonymous.take(client);
    if (wait) throw tooMany(wait, 'too many requests without a valid token from this address');
  }

  async function authenticate(req: IncomingMessage, admin: boolean, client: string): Promise<Token> {
    return (await authenticateToken(req, admin ? 'admin' : 'reporter', client)).token;
  }

  async function authenticateToken(req: IncomingMessage, need: Role, client: string): Promise<{ token: Token; role: Role }> {
    const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(req.headers.authorization ?? '');
    if (!m) {
      countAnonymous(client);
      throw new HttpError(401, 'missing or malformed Authorization: Bearer token', { 'www-authenticate': 'Bearer' });
    }
    // An address that spent its failed attempts gets no answer about any token until its bucket refills.
    const blocked = failures.wait(client);
    if (blocked) throw tooMany(blocked, 'too many failed token attempts from this address');
    const hash = tokenHash(m[1]!);
    const cached = tokenCache.get(hash);
    const fresh = cached && performance.now() - cached.at < (opts.tokenCacheMs ?? TOKEN_CACHE_MS) ? cached : undefined;
    let token = fresh?.token;
    let role = fresh?.role;
    if (!token) {
      // Each lookup holds one attempt from the allowance while it runs (given back if the token is
      // known), so that concurrent guesses cannot go past the allowance either.
      const wait = failures.take(client);
      if (wait) throw tooMany(wait, 'too many failed token attempts from this address');
      try {
        token = await store.findToken(hash);
      } catch (e) {
        failures.refund(client);
        throw e;
      }
      if (!token) {
        anonymous.take(client);
        if (failures.wait(client)) log(`report-server: too many failed token attempts from ${client}; its tokens are refused for ${failures.wait(client)} s`);
        throw new HttpError(401, 'unknown token', { 'www-authenticate': 'Bearer' });
      }
      failures.refund(client);
      role = await tokenRole(store.db, token);
      tokenCache.set(hash, { token, role, at: performance.now() });
    }
    if (!role) throw new HttpError(401, 'the account of this token is disabled', { 'www-authenticate': 'Bearer' });
    if (!atLeast(role, need)) throw new HttpError(403, need === 'admin' ? 'this needs an admin token' : `this needs a ${need} or admin token or login`);
    return { token, role };
  }

  function cookie(req: IncomingMessage, name: string): string | undefined {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const i = part.indexOf('=');
      if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
    }
    return undefined;
  }

  function sameSecret(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  }

  /**
   * The caller of a reviewer endpoint: a Bearer token (as before), else a session cookie. With a
   * cookie, a request that changes something must echo the session's CSRF token in X-CSRF-Token.
   */
  async function principal(req: IncomingMessage, client: string, need: Role, changes: boolean): Promise<Principal> {
    const session = cookie(req, SESSION_COOKIE);
    if (req.headers.authorization !== undefined || session === undefined) {
      const { token, role } = await authenticateToken(req, need, client);
      return { name: token.name, role, via: 'token' };
    }
    const s = /^[A-Za-z0-9_-]{43}$/.test(session) ? await findSession(store.db, session) : undefined;
    if (!s) {
      countAnonymous(client);
      throw new HttpError(401, 'not logged in (or the session has ended): log in again');
    }
    if (changes) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameSecret(sent, s.csrf)) throw new HttpError(403, 'header X-CSRF-Token: missing or not this session\'s token');
    }
    if (!atLeast(s.role, need)) throw new HttpError(403, `this needs a ${need} or admin account`);
    return { name: s.name, role: s.role, via: 'session', csrf: s.csrf };
  }

  function isHttps(req: IncomingMessage): boolean {
    if ((req.socket as TLSSocket).encrypted) return true;
    const proto = req.headers['x-forwarded-proto'];
    return !!opts.trustProxy && typeof proto === 'string' && /^https$/i.test(proto.split(',').pop()!.trim());
  }

  function sessionCookie(req: IncomingMessage, value: string, maxAge: number): string {
    return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${isHttps(req) ? '; Secure' : ''}`;
  }

  /** The request's body parsed as JSON (400 when it is not; the body's own limits as readBody sets them). */
  async function readJson(req: IncomingMessage): Promise<unknown> {
    const raw = await readBody(req);
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch (e) {
      throw new HttpError(400, `body: not valid JSON (${(e as Error).message})`);
    }
  }

  function jsonObject(body: unknown): Record<string, unknown> {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'body: must be a JSON object');
    return body as Record<string, unknown>;
  }

  /** A JSON object body (Content-Type application/json required: a cross-site form cannot send it). */
  async function jsonBody(req: IncomingMessage, fields: Record<string, 'string' | 'number'>, required: string[] = []): Promise<Record<string, unknown>> {
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      req.resume();
      throw new HttpError(415, 'header Content-Type: must be application/json');
    }
    const o = jsonObject(await readJson(req));
    for (const k of Object.keys(o)) if (!Object.hasOwn(fields, k)) throw new HttpError(400, `field ${k}: unknown field`);
    for (const [k, type] of Object.entries(fields)) {
      if (o[k] === undefined) {
        if (required.includes(k)) throw new HttpError(400, `field ${k}: missing`);
      } else if (typeof o[k] !== type) throw new HttpError(400, `field ${k}: must be a ${type}`);
    }
    return o;
  }

  function checkText(name: string, v: unknown, max: number): string {
    const t = typeof v === 'string' ? v.trim() : '';
    if (!t) throw new HttpError(400, `field ${name}: must not be empty`);
    if (t.length > max) throw new HttpError(400, `field ${name}: longer than ${max} characters`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(t)) throw new HttpError(400, `field ${name}: contains a control character`);
    return t;
  }

  async function login(req: IncomingMessage, res: ServerResponse, client: string) {
    // Answered without a token: counted like the review page (--anon-rate), then the login limits below.
    countAnonymous(client);
    const body = await jsonBody(req, { name: 'string', password: 'string' }, ['name', 'password']);
    const name = String(body.name).trim();
    const password = String(body.password);
    if (!name || name.length > 200 || password.length > 200) throw new HttpError(400, 'fields name and password: 1-200 characters');
    // Every attempt takes one from the address's and from the name's allowance; a successful one gives them back.
    const waitAddress = loginByAddress.take(client);
    if (waitAddress) throw tooMany(waitAddress, 'too many failed logins from this address');
    const waitName = loginByName.take(name.toLowerCase());
    if (waitName) {
      loginByAddress.refund(client);
      throw tooMany(waitName, 'too many failed logins for this account');
    }
    const user = await findUser(store.db, name);
    const ok = await verifyPassword(password, user && !user.disabledAt ? user.passwordHash : null);
    if (!ok || !user) {
      if (loginByAddress.wait(client)) log(`report-server: too many failed logins from ${client}; logins refused for ${loginByAddress.wait(client)} s`);
      throw new HttpError(401, 'wrong name or password');
    }
    loginByAddress.refund(client);
    loginByName.refund(name.toLowerCase());
    if (!atLeast(user.role, 'reviewer')) throw new HttpError(403, 'this account is a reporter: reporters send reports with a token and do not log in');
    const s = await createSession(store.db, user.id);
    sendJson(res, 200, { name: user.name, role: user.role, csrf: s.csrf, expiresAt: s.expiresAt }, { 'set-cookie': sessionCookie(req, s.cookie, SESSION_HOURS * 3600) });
  }

  async function logout(req: IncomingMessage, res: ServerResponse, client: string) {
    const p = await principal(req, client, 'reporter', true);
    if (p.via !== 'session') throw new HttpError(400, 'no session to end (this request came with a token)');
    await endSession(store.db, cookie(req, SESSION_COOKIE)!);
    res.writeHead(204, { 'set-cookie': sessionCookie(req, '', 0), 'cache-control': 'no-store' });
    res.end();
  }

  /** The current session's name, role and CSRF token; {} without one (the review page asks on every load). */
  async function sessionInfo(req: IncomingMessage, res: ServerResponse, client: string) {
    const value = cookie(req, SESSION_COOKIE);
    const s = value && /^[A-Za-z0-9_-]{43}$/.test(value) ? await findSession(store.db, value) : undefined;
    if (!s) {
      countAnonymous(client);
      return sendJson(res, 200, {});
    }
    sendJson(res, 200, { name: s.name, role: s.role, csrf: s.csrf });
  }

  /** A query parameter that must be one of a list, or absent. */
  function oneOfQuery<T extends string>(q: URLSearchParams, name: string, allowed: readonly T[]): T | undefined {
    const v = q.get(name);
    if (!v) return undefined;
    if (!(allowed as readonly string[]).includes(v)) throw new HttpError(400, `query ${name}: must be one of ${allowed.join(', ')}`);
    return v as T;
  }

  function isoQuery(q: URLSearchParams, name: string): string | undefined {
    const v = q.get(name);
    if (!v) return undefined;
    if (!isIsoDate(v)) throw new HttpError(400, `query ${name}: must be an ISO 8601 date`);
    return new Date(v).toISOString();
  }

  async function casesList(req: IncomingMessage, res: ServerResponse, url: URL, client: string) {
    await principal(req, client, 'reviewer', false);
    const q = url.searchParams;
    for (const name of q.keys()) if (!['status', 'outlet', 'platform', 'account', 'q', 'from', 'to', 'limit', 'before'].includes(name)) throw new HttpError(400, `query ${name}: unknown parameter`);
    const limit = q.has('limit') ? Number(q.get('limit')) : 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new HttpError(400, 'query limit: must be a whole number from 1 to 500');
    const f: CaseFilter = { limit: limit + 1 };
    const status = oneOfQuery(q, 'status', CASE_STATUSES);
    if (status) f.status = status as CaseStatus;
    const platform = oneOfQuery(q, 'platform', PLATFORMS);
    if (platform) f.platform = platform;
    if (q.has('outlet')) f.outlet = q.get('outlet')!;
    if (q.get('account')) f.account = q.get('account')!;
    const search = (q.get('q') ?? '').trim();
    if (search.length > 200) throw new HttpError(400, 'query q: at most 200 characters');
    if (search) f.search = search;
    f.from = isoQuery(q, 'from');
    f.to = isoQuery(q, 'to');
    if (q.has('before')) {
      const b = Number(q.get('before'));
      if (!Number.isInteger(b) || b < 1) throw new HttpError(400, 'query before: must be a case id');
      f.before = b;
    }
    const cases = await listCases(store.db, f);
    const more = cases.length > limit;
    if (more) cases.length = limit;
    sendJson(res, 200, more ? { cases, needed, next: cases[cases.length - 1]!.id } : { cases, needed });
  }

  function onlyParams(q: URLSearchParams, names: string[]) {
    for (const name of q.keys()) if (!names.includes(name)) throw new HttpError(400, `query ${name}: unknown parameter`);
  }

  function platformQuery(q: URLSearchParams, required: boolean): string | undefined {
    const platform = q.get('platform');
    if (!platform) {
      if (required) throw new HttpError(400, 'query platform: missing');
      return undefined;
    }
    if (!(PLATFORMS as readonly string[]).includes(platform)) throw new HttpError(400, `query platform: must be one of ${PLATFORMS.join(', ')}`);
    return platform;
  }

  async function accountsList(res: ServerResponse, url: URL) {
    const q = url.searchParams;
    onlyParams(q, ['platform', 'limit', 'offset']);
    const limit = q.has('limit') ? Number(q.get('limit')) : 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new HttpError(400, 'query limit: must be a whole number from 1 to 1000');
    const offset = q.has('offset') ? Number(q.get('offset')) : 0;
    if (!Number.isInteger(offset) || offset < 0 || offset > 1_000_000) throw new HttpError(400, 'query offset: must be a whole number from 0');
    const accounts = await listAccounts(store.db, { platform: platformQuery(q, false), limit: limit + 1, offset });
    const more = accounts.length > limit;
    if (more) accounts.length = limit;
    sendJson(res, 200, more ? { accounts, next: offset + limit } : { accounts });
  }

  async function accountDetail(res: ServerResponse, url: URL) {
    const q = url.searchParams;
    onlyParams(q, ['platform', 'name']);
    const platform = platformQuery(q, true)!;
    const name = q.get('name');
    if (!name) throw new HttpError(400, 'query name: missing');
    sendJson(res, 200, await accountCopies(store.db, platform, name));
  }

  const signalDefaults = opts.signals ?? DEFAULT_SIGNALS;

  /** A whole-number query parameter from min to max, or the fallback. */
  function intQuery(q: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
    if (!q.has(name)) return fallback;
    const v = q.get(name)!;
    if (!/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max) throw new HttpError(400, `query ${name}: must be a whole number from ${min} to ${max}`);
    return Number(v);
  }

  /** Coordination signals among live cases (open and confirmed by default), optionally first seen in [from, to). */
  async function signalsList(res: ServerResponse, url: URL) {
    const q = url.searchParams;
    onlyParams(q, ['status', 'from', 'to', 'accounts', 'hours', 'minutes', 'repeats']);
    const status = oneOfQuery(q, 'status', CASE_STATUSES);
    const options: SignalOptions = {
      accounts: intQuery(q, 'accounts', signalDefaults.accounts, 1, 1000),
      hours: intQuery(q, 'hours', signalDefaults.hours, 1, 24 * 366),
      minutes: intQuery(q, 'minutes', signalDefaults.minutes, 0, 60 * 24 * 366),
      repeats: intQuery(q, 'repeats', signalDefaults.repeats, 1, 100_000),
    };
    const copies = await signalCopies(store.db, { statuses: status ? [status] : ['open', 'confirmed'], from: isoQuery(q, 'from'), to: isoQuery(q, 'to') });
    sendJson(res, 200, { ...findSignals(copies, options), cases: new Set(copies.map((c) => c.case)).size, copies: copies.length });
  }

  const FILE_TYPES: Record<string, string> = {
    html: 'text/html; charset=utf-8',
    json: 'application/json; charset=utf-8',
    csv: 'text/csv; charset=utf-8',
    zip: 'application/zip',
  };

  /** One file of a public report, or all of them in a ZIP: the bytes the publish command writes. */
  async function publishFile(res: ServerResponse, url: URL) {
    const q = url.searchParams;
    onlyParams(q, ['period', 'from', 'to', 'file', 'lang']);
    const file = q.get('file') ?? 'report.zip';
    const lang = q.get('lang') ?? 'en';
    if (!(REPORT_LANGS as readonly string[]).includes(lang)) throw new HttpError(400, `query lang: must be ${REPORT_LANGS.join(' or ')}`);
    if (file !== 'report.zip' && !(FILES as readonly string[]).includes(file)) throw new HttpError(400, `query file: must be one of report.zip, ${FILES.join(', ')}`);
    let period;
    try {
      period = parsePeriod({ period: q.get('period') ?? undefined, from: q.get('from') ?? undefined, to: q.get('to') ?? undefined });
    } catch (e) {
      if (e instanceof PeriodError) throw new HttpError(400, `query ${e.message.replace(/^--/, '')}`);
      throw e;
    }
    const report = await publishReport(store.db, period, signalDefaults, lang as ReportLang);
    const body = file === 'report.zip' ? report.zip() : report.files.get(file as ReportFile)!;
    const name = file === 'report.zip' ? `${periodFolder(period)}.zip` : file;
    res.writeHead(200, {
      'content-type': FILE_TYPES[file.split('.').pop()!]!,
      'content-length': body.length,
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...(file === 'index.html' ? { 'content-security-policy': REPORT_CSP } : {}),
    });
    res.end(body);
  }

  async function caseAction(req: IncomingMessage, res: ServerResponse, id: number, action: string, client: string) {
    const p = await principal(req, client, 'reviewer', true);
    const actor = p.name;
    switch (action) {
      case 'notes': {
        const b = await jsonBody(req, { text: 'string' }, ['text']);
        return sendJson(res, 201, await addNote(store.db, id, actor, checkText('text', b.text, MAX_NOTE)));
      }
      case 'confirm':
        await jsonBody(req, {});
        return sendJson(res, 200, await confirmCase(store.db, id, actor, needed));
      case 'dismiss':
      case 'reopen': {
        const b = await jsonBody(req, { reason: 'string' });
        const reason = b.reason === undefined || String(b.reason).trim() === '' ? '' : checkText('reason', b.reason, 1000);
        return sendJson(res, 200, await setCaseStatus(store.db, id, action === 'dismiss' ? 'dismissed' : 'open', actor, needed, reason));
      }
      case 'merge': {
        const b = await jsonBody(req, { case: 'number' }, ['case']);
        if (!Number.isInteger(b.case) || (b.case as number) < 1) throw new HttpError(400, 'field case: must be a case id');
        return sendJson(res, 200, await mergeCases(store.db, id, b.case as number, actor, needed));
      }
      case 'split': {
        const b = await jsonBody(req, { url: 'string' }, ['url']);
        return sendJson(res, 201, await splitCopy(store.db, id, checkText('url', b.url, 2048), actor));
      }
    }
    throw new HttpError(404, `no such action ${action}`);
  }

  async function postReport(req: IncomingMessage, res: ServerResponse, client: string) {
    const token = await authenticate(req, false, client);
    const wait = limiter.take(token.id);
    if (wait) {
      req.resume();
      throw new HttpError(429, `rate limit: retry in ${wait} s`, { 'retry-after': String(wait) });
    }
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
      req.resume();
      throw new HttpError(400, 'header Idempotency-Key: required, 1-128 characters of A-Z a-z 0-9 . _ : -');
    }
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      req.resume();
      throw new HttpError(415, 'header Content-Type: must be application/json');
    }
    const report = validateReport(await readJson(req));
    if (typeof report === 'string') throw new HttpError(400, report);
    const r = await store.insertReport(token.id, key, reportHash(report), report, new Date().toISOString());
    if (r.kind === 'conflict') throw new HttpError(422, `Idempotency-Key ${key} was already used with a different report`);
    sendJson(res, r.kind === 'created' ? 201 : 200, { id: r.id, status: r.status }, r.kind === 'created' ? { location: `/api/reports/${r.id}` } : {});
  }

  function parseFilter(url: URL): ReportFilter {
    const f: ReportFilter = {};
    const q = url.searchParams;
    for (const name of q.keys()) if (!['status', 'outlet', 'platform', 'since', 'originalId', 'format', 'limit', 'after', 'download'].includes(name)) throw new HttpError(400, `query ${name}: unknown parameter`);
    const status = oneOfQuery(q, 'status', STATUSES);
    if (status) f.status = status as Status;
    const platform = oneOfQuery(q, 'platform', PLATFORMS);
    if (platform) f.platform = platform;
    const since = q.get('since');
    if (since) {
      if (!isIsoDate(since)) throw new HttpError(400, 'query since: must be an ISO 8601 date');
      f.since = new Date(since).toISOString();
    }
    if (q.has('outlet')) f.outlet = q.get('outlet')!;
    if (q.has('originalId')) f.originalId = q.get('originalId')!;
    return f;
  }

  /** Every report matching `filter`, read from the database a page at a time. */
  async function* pages(filter: ReportFilter): AsyncGenerator<StoredReport[]> {
    let afterId: number | undefined;
    for (;;) {
      const page = await store.listReports({ ...filter, afterId, limit: PAGE });
      if (page.length) yield page;
      if (page.length < PAGE) return;
      afterId = page[page.length - 1]!.id;
    }
  }

  async function listReports(req: IncomingMessage, res: ServerResponse, url: URL, client: string) {
    await principal(req, client, 'reviewer', false);
    const q = url.searchParams;
    const format = q.get('format') ?? 'json';
    if (format !== 'json' && format !== 'csv') throw new HttpError(400, 'query format: must be json or csv');
    const filter = parseFilter(url);
    if (format === 'csv' || q.get('download') === '1') {
      // Whole exports are streamed a page at a time: memory stays flat however many reports there are.
      const csv = format === 'csv';
      res.writeHead(200, {
        'content-type': csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="reports.${format}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.write(csv ? UTF8_BOM + CSV_HEADER : '{"reports":[');
      let first = true;
      for await (const page of pages(filter)) {
        if (csv) res.write(csvRows(page));
        else {
          res.write((first ? '' : ',') + page.map((r) => JSON.stringify(r)).join(','));
          first = false;
        }
      }
      res.end(csv ? '' : ']}');
      return;
    }
    // The list: a page at a time (?limit=, at most MAX_LIMIT; ?after= the last id seen); "next" when there may be more.
    const limit = q.has('limit') ? Number(q.get('limit')) : PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new HttpError(400, `query limit: must be a whole number from 1 to ${MAX_LIMIT}`);
    const after = q.has('after') ? Number(q.get('after')) : undefined;
    if (after !== undefined && (!Number.isInteger(after) || after < 0)) throw new HttpError(400, 'query after: must be a report id');
    const reports = await store.listReports({ ...filter, afterId: after, limit: limit + 1 });
    const more = reports.length > limit;
    if (more) reports.length = limit;
    sendJson(res, 200, more ? { reports, next: reports[reports.length - 1]!.id } : { reports });
  }

  async function patchReport(req: IncomingMessage, res: ServerResponse, id: number, client: string) {
    await principal(req, client, 'reviewer', true);
    const body = jsonObject(await readJson(req));
    const extra = Object.keys(body).find((k) => k !== 'status');
    if (extra) throw new HttpError(400, `field ${extra}: unknown field`);
    const status = (body as { status?: unknown }).status;
    if (typeof status !== 'string' || !(STATUSES as readonly string[]).includes(status)) throw new HttpError(400, `field status: must be one of ${STATUSES.join(', ')}`);
    if (!(await store.setStatus(id, status as Status))) throw new HttpError(404, `no report ${id}`);
    sendJson(res, 200, { id, status });
  }

  async function exportOriginals(req: IncomingMessage, res: ServerResponse, client: string) {
    await principal(req, client, 'reviewer', false);
    const confirmed: StoredReport[] = [];
    for await (const page of pages({ status: 'confirmed' })) confirmed.push(...page);
    const lines = reportsToOriginals(confirmed);
    send(res, 200, originalsToJsonl(lines), 'application/x-ndjson; charset=utf-8', { 'content-disposition': 'attachment; filename="originals.jsonl"' });
  }

  async function exportOriginalUrls(req: IncomingMessage, res: ServerResponse, client: string) {
    await principal(req, client, 'reviewer', false);
    let text = '';
    for await (const page of pages({ status: 'confirmed' })) text += reportsToOriginalUrls(page);
    const distinct = [...new Set(text.split('\n').filter(Boolean))].map((u) => u + '\n').join('');
    send(res, 200, distinct, 'text/plain; charset=utf-8', { 'content-disposition': 'attachment; filename="originals.txt"' });
  }

  function corsHeaders(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    return origin && ALLOWED_ORIGIN.test(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, client: string) {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const api = /^\/api\/(reports(\/\d{1,15})?|originals\.(jsonl|txt)|login|logout|session|accounts(\/copies)?|signals|publish|cases(\/\d{1,15}(\/(notes|confirm|dismiss|reopen|merge|split|timeline))?)?)$/.test(path);
    const allow = (methods: string) => {
      if (methods.split(', ').includes(method)) return;
      if (api) countAnonymous(client);
      throw new HttpError(405, `${method} not allowed on ${path}`, { allow: methods });
    };
    // Everything but the API's token-holding requests is answered without a token: counted per address up
    // front. Those are counted in authenticate() when their token is missing or unknown, and on a 405.
    if (!api || method === 'OPTIONS') countAnonymous(client);
    if (path.startsWith('/api/') && method === 'OPTIONS') {
      const cors = corsHeaders(req);
      if (!cors['access-control-allow-origin']) throw new HttpError(403, 'origin not allowed');
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, PATCH, OPTIONS',
        'access-control-allow-headers': 'Authorization, Content-Type, Idempotency-Key',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    if (path === '/api/reports') {
      allow('GET, POST');
      return method === 'POST' ? postReport(req, res, client) : listReports(req, res, url, client);
    }
    const m = /^\/api\/reports\/(\d{1,15})$/.exec(path);
    if (m) {
      allow('PATCH');
      return patchReport(req, res, Number(m[1]), client);
    }
    if (path === '/api/login') {
      allow('POST');
      return login(req, res, client);
    }
    if (path === '/api/logout') {
      allow('POST');
      return logout(req, res, client);
    }
    if (path === '/api/session') {
      allow('GET');
      return sessionInfo(req, res, client);
    }
    if (path === '/api/cases') {
      allow('GET');
      return casesList(req, res, url, client);
    }
    if (path === '/api/signals' || path === '/api/publish') {
      allow('GET');
      await principal(req, client, 'reviewer', false);
      return path === '/api/signals' ? signalsList(res, url) : publishFile(res, url);
    }
    if (path === '/api/accounts' || path === '/api/accounts/copies') {
      allow('GET');
      await principal(req, client, 'reviewer', false);
      return path === '/api/accounts' ? accountsList(res, url) : accountDetail(res, url);
    }
    const c = /^\/api\/cases\/(\d{1,15})(?:\/(notes|confirm|dismiss|reopen|merge|split|timeline))?$/.exec(path);
    if (c) {
      if (!c[2] || c[2] === 'timeline') {
        allow('GET');
        await principal(req, client, 'reviewer', false);
        return sendJson(res, 200, c[2] ? await caseTimeline(store.db, Number(c[1])) : await getCase(store.db, Number(c[1]), needed));
      }
      allow('POST');
      return caseAction(req, res, Number(c[1]), c[2], client);
    }
    if (path === '/api/originals.jsonl') {
      allow('GET');
      return exportOriginals(req, res, client);
    }
    if (path === '/api/originals.txt') {
      allow('GET');
      return exportOriginalUrls(req, res, client);
    }
    if (path === '/centre' || path === '/centre/app.js' || path === '/centre/app.css') {
      allow('GET, HEAD');
      const body = path === '/centre' ? CENTRE_HTML : (await centreBundle())[path === '/centre/app.js' ? 'js' : 'css'];
      const type = path === '/centre' ? 'text/html; charset=utf-8' : path.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8';
      send(res, 200, body, type, { 'content-security-policy': CENTRE_CSP, 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' });
      return;
    }
    const page = { '/review': [REVIEW_HTML, 'text/html; charset=utf-8'], '/review.js': [REVIEW_JS, 'text/javascript; charset=utf-8'], '/review.css': [REVIEW_CSS, 'text/css; charset=utf-8'] }[path];
    if (page) {
      allow('GET, HEAD');
      send(res, 200, page[0]!, page[1]!, { 'content-security-policy': REVIEW_CSP, 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' });
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204, { 'cache-control': 'max-age=86400' }).end();
      return;
    }
    throw new HttpError(404, `no such path ${path}`);
  }

  return async function handle(req: IncomingMessage, res: ServerResponse) {
    const client = clientKey(clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], !!opts.trustProxy));
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      const wait = anonymous.take(client);
      return sendJson(res, wait ? 429 : 400, { error: wait ? `too many requests without a valid token from this address: retry in ${wait} s` : 'bad request target' }, wait ? { 'retry-after': String(wait) } : {});
    }
    if (url.pathname.startsWith('/api/')) for (const [k, v] of Object.entries(corsHeaders(req))) res.setHeader(k, v);
    try {
      await route(req, res, url, client);
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof HttpError) sendJson(res, e.status, { error: e.message }, e.headers);
      else if (e instanceof CentreError) sendJson(res, e.status, { error: e.message, ...e.extra });
      else {
        log(`report-server: ${req.method} ${url.pathname}: ${(e as Error).stack ?? e}`);
        sendJson(res, 500, { error: 'internal error' });
      }
    }
  };
}

export interface RunningServer {
  server: Server;
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the server on host:port (port 0: any free port). close() stops it; the store stays open for the caller to close. */
export async function startReportServer(opts: ServerOptions & { host?: string; port?: number }): Promise<RunningServer> {
  const handler = createReportHandler(opts);
  const server = createServer((req, res) => void handler(req, res));
  server.keepAliveTimeout = 65_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, host, () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  return {
    server,
    port,
    origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    // Stops accepting, lets requests in progress finish (at most 5 s), then closes every connection.
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      }),
  };
}
