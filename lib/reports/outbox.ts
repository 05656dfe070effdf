/**
 * The outbox: sends the reports the reader agreed to send (status "queued",
 * with the exact body they saw) to the configured endpoint, each with
 * `Idempotency-Key: <uid>`, so that a report arrives once however often it is
 * tried. Temporary failures (network, 5xx, 408, 429) are retried later with
 * exponential backoff and jitter, honouring Retry-After; other 4xx answers
 * reject the report with the server's reason.
 *
 * Pure logic over the reports database with injected fetch, clock and random
 * numbers. One loop per instance at a time; between instances (or after a
 * crash mid-send) a short lease on each report, taken in a read-write
 * transaction, keeps a report from being posted twice at once.
 */
import type { Report, ReportsDb } from '../store/reports-db';
import { parseEndpoint } from './endpoint';
import { retryAfterMs } from '../retry-after';

export interface SendConfig {
  endpoint: string;
  token: string;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface OutboxDeps {
  db: ReportsDb;
  fetch: FetchLike;
  /** The sending settings; undefined while sending is not configured. */
  config: () => Promise<SendConfig | undefined>;
  now?: () => number;
  random?: () => number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
}

export interface RunSummary {
  sent: number;
  rejected: number;
  /** Reports left queued for a later try (temporary failure). */
  deferred: number;
  /** Why nothing was tried. */
  skipped?: 'not-configured' | 'bad-endpoint';
}

export const OUTBOX_TIMING = {
  baseMs: 30_000,
  maxMs: 60 * 60_000,
  maxRetryAfterMs: 24 * 60 * 60_000,
  leaseMs: 2 * 60_000,
  /** After this many temporary failures with the server answering (5xx, 429), a report is marked rejected; network failures (offline) never give up. */
  maxAttempts: 50,
};

/** Delay before attempt n + 1 after n failed attempts: base·2^(n−1), capped, with jitter in [½, 1]. */
export function backoffDelay(failedAttempts: number, random: number): number {
  const exp = Math.min(OUTBOX_TIMING.maxMs, OUTBOX_TIMING.baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(exp * (0.5 + 0.5 * Math.min(1, Math.max(0, random))));
}

/** Retry-After as milliseconds from now: delay-seconds or an HTTP date; undefined when absent or invalid. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  const ms = retryAfterMs(value, now);
  return ms === undefined ? undefined : Math.min(ms, OUTBOX_TIMING.maxRetryAfterMs);
}

type Outcome =
  | { kind: 'sent'; serverId?: number }
  | { kind: 'rejected'; reason: string; httpStatus?: number }
  | { kind: 'retry'; reason: string; retryKind: NonNullable<Report['retryKind']>; retryAfterMs?: number; httpStatus?: number };

const clip = (s: string, n = 500) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

export class Outbox {
  private readonly now: () => number;
  private readonly random: () => number;
  private current?: Promise<RunSummary>;
  private again = false;

  constructor(private readonly deps: OutboxDeps) {
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
  }

  /**
   * Sends what is due. While a loop runs, another call joins it (and the loop
   * looks once more for due reports before it ends). `online`: the browser is
   * back online, so reports that failed on the network are due at once.
   */
  run(options: { online?: boolean } = {}): Promise<RunSummary> {
    if (this.current) {
      this.again = true;
      return this.current;
    }
    this.current = this.loop(options.online ?? false).finally(() => {
      this.current = undefined;
    });
    return this.current;
  }

  /** The next time a queued report is due (epoch ms), for scheduling; undefined when none is queued. */
  async nextDue(): Promise<number | undefined> {
    const queued = await this.deps.db.reports.where('status').equals('queued').toArray();
    return queued.length ? Math.min(...queued.map((r) => r.nextAttemptAt ?? 0)) : undefined;
  }

  private async loop(online: boolean): Promise<RunSummary> {
    const summary: RunSummary = { sent: 0, rejected: 0, deferred: 0 };
    const config = await this.deps.config();
    if (!config) return { ...summary, skipped: 'not-configured' };
    let endpoint;
    try {
      endpoint = parseEndpoint(config.endpoint);
    } catch {
      return { ...summary, skipped: 'bad-endpoint' };
    }
    const tried = new Set<string>();
    for (;;) {
      this.again = false;
      const due = await this.dueReports(online, tried);
      if (due.length === 0 && !this.again) break;
      let stop = false;
      for (const r of due) {
        tried.add(r.uid);
        const claimed = await this.claim(r.uid);
        if (!claimed) continue;
        // Sending turned off or changed while this loop runs: stop; nothing goes out under old settings.
        const now = await this.deps.config();
        if (!now || now.endpoint !== config.endpoint || now.token !== config.token) {
          await this.deps.db.reports.update(claimed.id!, { leaseUntil: undefined });
          return summary;
        }
        if (claimed.consentedEndpoint !== endpoint.base) {
          // The reader agreed to send it elsewhere: it needs their agreement again.
          await this.deps.db.reports.update(claimed.id!, { status: 'local', consentedBody: undefined, consentedEndpoint: undefined, leaseUntil: undefined, error: 'endpoint changed since you agreed; review it again' });
          continue;
        }
        const outcome = await this.post(endpoint.reportsUrl, config.token, claimed);
        await this.record(claimed, outcome);
        if (outcome.kind === 'sent') summary.sent++;
        else if (outcome.kind === 'rejected') summary.rejected++;
        else {
          summary.deferred++;
          stop = true; // the server or the network is unavailable: leave the rest for later
          break;
        }
      }
      if (stop) break;
    }
    return summary;
  }

  private async dueReports(online: boolean, tried: Set<string>): Promise<Report[]> {
    const now = this.now();
    const queued = await this.deps.db.reports.where('status').equals('queued').toArray();
    return queued
      .filter((r) => !tried.has(r.uid) && r.consentedBody !== undefined && ((r.nextAttemptAt ?? 0) <= now || (online && r.retryKind === 'network')))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Takes the report for this loop if it is still queued, agreed to and not held by another loop. */
  private claim(uid: string): Promise<Report | undefined> {
    const { db } = this.deps;
    return db.transaction('rw', db.reports, async () => {
      const r = await db.reports.where('uid').equals(uid).first();
      const now = this.now();
      if (!r || r.status !== 'queued' || r.consentedBody === undefined || (r.leaseUntil ?? 0) > now) return undefined;
      await db.reports.update(r.id!, { leaseUntil: now + OUTBOX_TIMING.leaseMs });
      return r;
    });
  }

  private async post(url: string, token: string, r: Report): Promise<Outcome> {
    let res: Response;
    try {
      res = await this.deps.fetch(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': r.sendKey ?? r.uid, 'Content-Type': 'application/json' },
        body: r.consentedBody,
        redirect: 'manual',
        credentials: 'omit',
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? 30_000),
      });
    } catch (e) {
      return { kind: 'retry', retryKind: 'network', reason: clip(`network: ${(e as Error).message || String(e)}`) };
    }
    const status = res.status;
    const body = await res.text().catch(() => '');
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const id = (json as { id?: unknown } | undefined)?.id;
    if ((status === 200 || status === 201) && typeof id === 'number' && Number.isFinite(id)) return { kind: 'sent', serverId: id };
    if (status >= 200 && status < 300) return { kind: 'retry', retryKind: 'server', reason: `unexpected answer HTTP ${status} without a report id`, httpStatus: status };
    const serverError = (json as { error?: unknown } | undefined)?.error;
    const reason = clip(typeof serverError === 'string' && serverError ? serverError : body.trim() ? body.trim() : `HTTP ${status}`);
    if (status === 429) return { kind: 'retry', retryKind: 'rate-limit', reason, httpStatus: status, retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), this.now()) };
    if (status >= 500 || status === 408) return { kind: 'retry', retryKind: 'server', reason, httpStatus: status, retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), this.now()) };
    if (status === 0 || (status >= 300 && status < 400)) return { kind: 'rejected', reason: 'the server answered with a redirect; check the endpoint', httpStatus: status || undefined };
    return { kind: 'rejected', reason, httpStatus: status };
  }

  private async record(r: Report, o: Outcome): Promise<void> {
    const { db } = this.deps;
    const now = this.now();
    await db.transaction('rw', db.reports, async () => {
      const cur = await db.reports.get(r.id!);
      if (!cur) return; // deleted meanwhile
      if (cur.status !== 'queued' || cur.consentedBody !== r.consentedBody || cur.sendKey !== r.sendKey) {
        // Edited (and maybe agreed again) while this POST was in flight: the answer is about a text
        // the report no longer holds. It keeps its new state; the reader is told if the old text arrived.
        await db.reports.update(r.id!, { leaseUntil: undefined, ...(o.kind === 'sent' ? { error: `an earlier version of this report reached the server (id ${o.serverId})` } : {}) });
        return;
      }
      if (o.kind === 'sent') {
        await db.reports.update(r.id!, { status: 'sent', serverId: o.serverId, sentAt: new Date(now).toISOString(), error: undefined, httpStatus: undefined, retryKind: undefined, nextAttemptAt: undefined, leaseUntil: undefined });
      } else if (o.kind === 'rejected') {
        await db.reports.update(r.id!, { status: 'rejected', error: o.reason, httpStatus: o.httpStatus, retryKind: undefined, nextAttemptAt: undefined, leaseUntil: undefined });
      } else {
        const attempts = (cur.attempts ?? 0) + 1;
        if (o.retryKind !== 'network' && attempts >= OUTBOX_TIMING.maxAttempts) {
          // A report the server keeps failing on is not retried for ever.
          await db.reports.update(r.id!, { status: 'rejected', error: `not accepted after ${attempts} attempts; last: ${o.reason}`, httpStatus: o.httpStatus, retryKind: undefined, nextAttemptAt: undefined, leaseUntil: undefined, attempts });
          return;
        }
        // Never sooner than the server's Retry-After, never sooner than the backoff either.
        const delay = Math.max(backoffDelay(attempts, this.random()), o.retryAfterMs ?? 0);
        await db.reports.update(r.id!, { attempts, nextAttemptAt: now + delay, error: o.reason, httpStatus: o.httpStatus, retryKind: o.retryKind, leaseUntil: undefined });
      }
    });
  }
}
