import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, Outbox, OUTBOX_TIMING, parseRetryAfter, type FetchLike, type SendConfig } from '../../lib/reports/outbox';
import { reportBodyText } from '../../lib/reports/report-body';
import { consentToSend, editReport, newReport, saveReport, withdrawQueued, type ReportDraft } from '../../lib/reports/reports-store';
import { ReportsDb, type Report } from '../../lib/store/reports-db';

const ENDPOINT = 'https://reports.example.org';
const CONFIG: SendConfig = { endpoint: ENDPOINT, token: 'secret-token' };
const T0 = Date.parse('2026-11-25T12:00:00Z');

let dbCount = 0;
const dbs: ReportsDb[] = [];
function freshDb(name = `test-reports-${++dbCount}`) {
  const db = new ReportsDb(name);
  dbs.push(db);
  return db;
}
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

const draft = (note = 'copied word for word'): ReportDraft => ({
  url: 'https://news.example.com/a/1',
  title: 'Port opens new berths',
  verdict: 'uncredited',
  outlet: 'global-times',
  originalId: 'gt-1',
  originalUrl: 'https://www.globaltimes.cn/page/1.shtml',
  score: 0.91,
  passages: [{ pageText: 'The port opened two berths.', originalText: 'The port opened two berths.' }],
  category: 'uncredited',
  note,
});

/** A clock the test moves by hand. */
function clock(start = T0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

interface Call {
  url: string;
  init: RequestInit;
}
type Answer = Response | Error | (() => Promise<Response>);
/** A fetch that answers from a script, one answer per call, and records the calls. */
function fakeFetch(...answers: Answer[]) {
  const calls: Call[] = [];
  const fn: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const a = answers.shift();
    if (!a) throw new Error('unexpected request');
    if (a instanceof Error) throw a;
    return typeof a === 'function' ? a() : a;
  };
  return { fn, calls };
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

async function queued(db: ReportsDb, note?: string): Promise<Report> {
  const r = await saveReport(db, draft(note));
  await consentToSend(db, r.uid, reportBodyText(r), ENDPOINT);
  return (await db.reports.get(r.id!))!;
}
const byUid = async (db: ReportsDb, uid: string) => (await db.reports.where('uid').equals(uid).first())!;

describe('outbox', () => {
  it('sends an agreed report once, with the token, the uid as Idempotency-Key and exactly the body shown', async () => {
    const db = freshDb();
    const r = await queued(db);
    const f = fakeFetch(json(201, { id: 7, status: 'new' }));
    const summary = await new Outbox({ db, fetch: f.fn, config: async () => CONFIG, now: clock().now }).run();
    expect(summary).toEqual({ sent: 1, rejected: 0, deferred: 0 });
    expect(f.calls).toHaveLength(1);
    const { url, init } = f.calls[0]!;
    expect(url).toBe(`${ENDPOINT}/api/reports`);
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ Authorization: 'Bearer secret-token', 'Idempotency-Key': r.uid, 'Content-Type': 'application/json' });
    expect(init.body).toBe(r.consentedBody);
    expect(Object.keys(JSON.parse(init.body as string))).toEqual([
      'url', 'title', 'platform', 'createdAt', 'category', 'note', 'verdict', 'outlet', 'originalId', 'originalUrl', 'score', 'passages',
    ]);
    const after = await byUid(db, r.uid);
    expect(after.status).toBe('sent');
    expect(after.serverId).toBe(7);
  });

  it('sends nothing without consent: local reports stay local, and a "queued" report without an agreed body is not sent', async () => {
    const db = freshDb();
    const local = await saveReport(db, draft());
    const forged = await saveReport(db, draft('forged'));
    await db.reports.update(forged.id!, { status: 'queued' }); // queued without consentedBody
    const f = fakeFetch();
    const summary = await new Outbox({ db, fetch: f.fn, config: async () => CONFIG }).run();
    expect(f.calls).toHaveLength(0);
    expect(summary).toEqual({ sent: 0, rejected: 0, deferred: 0 });
    expect((await byUid(db, local.uid)).status).toBe('local');
  });

  it('sends nothing while sending is not configured', async () => {
    const db = freshDb();
    await queued(db);
    const f = fakeFetch();
    expect(await new Outbox({ db, fetch: f.fn, config: async () => undefined }).run()).toMatchObject({ skipped: 'not-configured' });
    expect(f.calls).toHaveLength(0);
  });

  it('does not send to an endpoint other than the one the reader agreed to', async () => {
    const db = freshDb();
    const r = await queued(db);
    const f = fakeFetch();
    await new Outbox({ db, fetch: f.fn, config: async () => ({ endpoint: 'https://elsewhere.example.net', token: 't' }) }).run();
    expect(f.calls).toHaveLength(0);
    const after = await byUid(db, r.uid);
    expect(after.status).toBe('local');
    expect(after.consentedBody).toBeUndefined();
  });

  it('offline: keeps the report queued with backoff, and sends it when the browser is back online', async () => {
    const db = freshDb();
    const r = await queued(db);
    const c = clock();
    const f = fakeFetch(new TypeError('Failed to fetch'), json(201, { id: 3, status: 'new' }));
    const outbox = new Outbox({ db, fetch: f.fn, config: async () => CONFIG, now: c.now, random: () => 1 });
    expect(await outbox.run()).toEqual({ sent: 0, rejected: 0, deferred: 1 });
    let after = await byUid(db, r.uid);
    expect(after).toMatchObject({ status: 'queued', attempts: 1, retryKind: 'network', nextAttemptAt: T0 + OUTBOX_TIMING.baseMs });
    expect(after.error).toMatch(/network/);
    // Not due yet: a plain run does nothing.
    c.advance(1000);
    expect(await outbox.run()).toEqual({ sent: 0, rejected: 0, deferred: 0 });
    expect(f.calls).toHaveLength(1);
    // The 'online' event: due at once.
    expect(await outbox.run({ online: true })).toEqual({ sent: 1, rejected: 0, deferred: 0 });
    after = await byUid(db, r.uid);
    expect(after).toMatchObject({ status: 'sent', serverId: 3 });
    expect(after.error).toBeUndefined();
    expect(f.calls.map((x) => (x.init.headers as Record<string, string>)['Idempotency-Key'])).toEqual([r.uid, r.uid]);
  });

  it('server down: backs off exponentially with jitter, then sends after a 500', async () => {
    const db = freshDb();
    const r = await queued(db);
    const c = clock();
    let rnd = 0;
    const f = fakeFetch(new TypeError('ECONNREFUSED'), json(500, { error: 'boom' }), json(503, {}), json(201, { id: 11, status: 'new' }));
    const outbox = new Outbox({ db, fetch: f.fn, config: async () => CONFIG, now: c.now, random: () => rnd });
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      await outbox.run();
      const q = await byUid(db, r.uid);
      expect(q.status).toBe('queued');
      delays.push(q.nextAttemptAt! - c.now());
      c.advance(q.nextAttemptAt! - c.now());
      rnd = 1;
    }
    // random 0 → half the base; then full 2× and 4× base.
    expect(delays).toEqual([OUTBOX_TIMING.baseMs / 2, OUTBOX_TIMING.baseMs * 2, OUTBOX_TIMING.baseMs * 4]);
    expect((await byUid(db, r.uid)).httpStatus).toBe(503);
    await outbox.run();
    expect(await byUid(db, r.uid)).toMatchObject({ status: 'sent', serverId: 11 });
    expect(f.calls).toHaveLength(4);
  });

  it('429: waits as long as Retry-After says, not less', async () => {
    const db = freshDb();
    const r = await queued(db);
    const c = clock();
    const f = fakeFetch(json(429, { error: 'slow down' }, { 'retry-after': '120' }), json(200, { id: 5, status: 'new' }));
    const outbox = new Outbox({ db, fetch: f.fn, config: async () => CONFIG, now: c.now, random: () => 0 });
    await outbox.run();
    const q = await byUid(db, r.uid);
    expect(q).toMatchObject({ status: 'queued', retryKind: 'rate-limit', httpStatus: 429, error: 'slow down', nextAttemptAt: T0 + 120_000 });
    c.advance(119_000);
    await outbox.run({ online: true }); // being online does not override a rate limit
    expect(f.calls).toHaveLength(1);
    c.advance(1_000);
    await outbox.run();
    // 200: the server already had this key — still a success.
    expect(await byUid(db, r.uid)).toMatchObject({ status: 'sent', serverId: 5 });
  });

  it('400/401/413/422: rejected with the server’s reason, never retried', async () => {
    for (const status of [400, 401, 413, 422]) {
      const db = freshDb();
      const r = await queued(db);
      const f = fakeFetch(json(status, { error: `reason ${status}` }));
      const outbox = new Outbox({ db, fetch: f.fn, config: async () => CONFIG });
      expect(await outbox.run()).toEqual({ sent: 0, rejected: 1, deferred: 0 });
      expect(await byUid(db, r.uid)).toMatchObject({ status: 'rejected', error: `reason ${status}`, httpStatus: status });
      await outbox.run();
      expect(f.calls).toHaveLength(1);
    }
  });

  it('two loops started at once post a report once (one instance, and two instances over one database)', async () => {
    const db = freshDb();
    const r = await queued(db);
    let release!: () => void;
    const gate = new Promise<void>((ok) => (release = ok));
    const f = fakeFetch(async () => {
      await gate;
      return json(201, { id: 1, status: 'new' });
    });
    const a = new Outbox({ db, fetch: f.fn, config: async () => CONFIG });
    const b = new Outbox({ db: new ReportsDb(db.name), fetch: f.fn, config: async () => CONFIG });
    const runs = [a.run(), a.run(), b.run()];
    // Once the first POST is out (however busy the machine), no second one follows while it is in flight.
    await vi.waitFor(() => expect(f.calls.length).toBeGreaterThan(0), { timeout: 10_000 });
    await new Promise((ok) => setTimeout(ok, 100));
    expect(f.calls).toHaveLength(1); // one POST in flight
    release();
    expect(runs[1]).toBe(runs[0]); // the second call on one instance joins the running loop
    const [ra, , rb] = await Promise.all(runs);
    expect(ra!.sent + rb!.sent).toBe(1);
    expect(f.calls).toHaveLength(1);
    expect((f.calls[0]!.init.headers as Record<string, string>)['Idempotency-Key']).toBe(r.uid);
    expect((await byUid(db, r.uid)).status).toBe('sent');
  });

  it('after a browser restart, a new outbox over the same database sends the queued reports', async () => {
    const name = `test-reports-restart-${++dbCount}`;
    const first = new ReportsDb(name);
    const r1 = await queued(first);
    const r2 = await queued(first, 'second');
    // The first life fails on the network and ends.
    await new Outbox({ db: first, fetch: fakeFetch(new TypeError('offline')).fn, config: async () => CONFIG, now: clock().now }).run();
    first.close();
    const db = freshDb(name);
    const f = fakeFetch(json(201, { id: 1, status: 'new' }), json(201, { id: 2, status: 'new' }));
    const c = clock(T0 + OUTBOX_TIMING.maxMs);
    expect(await new Outbox({ db, fetch: f.fn, config: async () => CONFIG, now: c.now }).run()).toEqual({ sent: 2, rejected: 0, deferred: 0 });
    expect(f.calls.map((x) => (x.init.headers as Record<string, string>)['Idempotency-Key']).sort()).toEqual([r1.uid, r2.uid].sort());
  });

  it('a report held by a loop that died mid-send is tried again once its lease has expired, with the same key', async () => {
    const db = freshDb();
    const r = await queued(db);
    await db.reports.update(r.id!, { leaseUntil: T0 + 60_000 });
    const c = clock();
    const f = fakeFetch(json(200, { id: 9, status: 'new' }));
    const outbox = new Outbox({ db, fetch: f.fn, config: async () => CONFIG, now: c.now });
    await outbox.run();
    expect(f.calls).toHaveLength(0);
    c.advance(60_001);
    await outbox.run();
    expect(f.calls).toHaveLength(1);
    expect(await byUid(db, r.uid)).toMatchObject({ status: 'sent', serverId: 9 });
  });
});

describe('consent and edits', () => {
  it('a report edited while its POST is in flight stays local after a temporary failure, and is not sent again', async () => {
    const db = freshDb();
    const r = await queued(db);
    const f = fakeFetch(async () => {
      await editReport(db, r.uid, { category: 'other', note: 'changed my mind' });
      return json(503, { error: 'busy' });
    });
    const outbox = new Outbox({ db, fetch: f.fn, config: async () => CONFIG });
    await outbox.run();
    const after = await byUid(db, r.uid);
    expect(after).toMatchObject({ status: 'local', note: 'changed my mind' });
    expect(after.error).toBeUndefined();
    expect(after.leaseUntil).toBeUndefined();
    await outbox.run();
    expect(f.calls).toHaveLength(1);
  });

  it('queues only the body that was shown; an edit after agreeing needs agreement again', async () => {
    const db = freshDb();
    const r = await saveReport(db, draft());
    expect(r.status).toBe('local');
    await expect(consentToSend(db, r.uid, reportBodyText({ ...r, note: 'other' }), ENDPOINT)).rejects.toThrow(/changed/);
    await consentToSend(db, r.uid, reportBodyText(r), ENDPOINT);
    expect((await byUid(db, r.uid)).status).toBe('queued');
    await editReport(db, r.uid, { category: 'translated', note: 'new words' });
    const edited = await byUid(db, r.uid);
    expect(edited).toMatchObject({ status: 'local', category: 'translated', note: 'new words' });
    expect(edited.consentedBody).toBeUndefined();
  });
});

describe('backoff helpers', () => {
  it('caps the exponential delay and keeps the jitter within [½, 1]', () => {
    expect(backoffDelay(1, 1)).toBe(OUTBOX_TIMING.baseMs);
    expect(backoffDelay(30, 1)).toBe(OUTBOX_TIMING.maxMs);
    expect(backoffDelay(30, 0)).toBe(OUTBOX_TIMING.maxMs / 2);
  });
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('30', T0)).toBe(30_000);
    expect(parseRetryAfter(new Date(T0 + 90_000).toUTCString(), T0)).toBe(90_000);
    expect(parseRetryAfter('soon', T0)).toBeUndefined();
    expect(parseRetryAfter(null, T0)).toBeUndefined();
  });
});

describe('outbox after review', () => {
  it('a report edited and agreed again while its POST is in flight is not marked sent, and goes out under a new key', async () => {
    const db = freshDb();
    const r = await queued(db, 'first text');
    let release!: (res: Response) => void;
    const slow = () => new Promise<Response>((ok) => (release = ok));
    const f = fakeFetch(slow, json(201, { id: 2, status: 'new' }));
    const c = clock();
    const outbox = new Outbox({ db, fetch: f.fn, config: async () => CONFIG, now: c.now });
    const first = outbox.run();
    while (!release) await new Promise((ok) => setTimeout(ok, 5));
    await editReport(db, r.uid, { category: 'uncredited', note: 'second text' });
    const edited = await byUid(db, r.uid);
    await consentToSend(db, r.uid, reportBodyText(edited), ENDPOINT);
    release(json(201, { id: 1, status: 'new' }));
    await first;
    const mid = await byUid(db, r.uid);
    expect(mid.status).toBe('queued'); // the answer was about the first text
    expect(mid.error).toMatch(/an earlier version of this report reached the server \(id 1\)/);
    c.advance(OUTBOX_TIMING.leaseMs + 1);
    await new Outbox({ db, fetch: f.fn, config: async () => CONFIG, now: c.now }).run();
    const keys = f.calls.map((x) => (x.init.headers as Record<string, string>)['Idempotency-Key']);
    expect(keys).toEqual([r.uid, `${r.uid}.2`]);
    expect(JSON.parse(f.calls[1]!.init.body as string).note).toBe('second text');
    expect((await byUid(db, r.uid)).status).toBe('sent');
  });

  it('Retry-After shorter than the backoff does not shorten it; a 2xx without a report id is not "sent"; endless server errors give up', async () => {
    const db = freshDb();
    const r = await queued(db);
    const c = clock();
    const f = fakeFetch(json(503, { error: 'busy' }, { 'retry-after': '0' }), json(202, { queued: true }));
    const outbox = new Outbox({ db, fetch: f.fn, config: async () => CONFIG, now: c.now, random: () => 1 });
    await outbox.run();
    expect((await byUid(db, r.uid)).nextAttemptAt! - T0).toBe(backoffDelay(1, 1));
    c.advance(backoffDelay(1, 1));
    await outbox.run();
    const after204 = await byUid(db, r.uid);
    expect(after204.status).toBe('queued');
    expect(after204.error).toMatch(/without a report id/);
    // A server that keeps failing on it: rejected after the attempt cap.
    await db.reports.update(after204.id!, { attempts: OUTBOX_TIMING.maxAttempts - 1, nextAttemptAt: 0 });
    await new Outbox({ db, fetch: fakeFetch(json(500, { error: 'internal error' })).fn, config: async () => CONFIG, now: c.now }).run();
    const gaveUp = await byUid(db, r.uid);
    expect(gaveUp.status).toBe('rejected');
    expect(gaveUp.error).toMatch(/not accepted after 50 attempts; last: internal error/);
  });

  it('turning sending off withdraws queued reports and stops a running loop', async () => {
    const db = freshDb();
    const a = await queued(db, 'a');
    const b = await queued(db, 'b');
    let config: SendConfig | undefined = CONFIG;
    const f = fakeFetch(() => {
      config = undefined; // turned off while the first POST is in flight
      return Promise.resolve(json(201, { id: 1, status: 'new' }));
    });
    await new Outbox({ db, fetch: f.fn, config: async () => config }).run();
    expect(f.calls).toHaveLength(1);
    expect((await byUid(db, b.uid)).status).toBe('queued');
    expect(await withdrawQueued(db)).toBe(1);
    const back = await byUid(db, b.uid);
    expect(back.status).toBe('local');
    expect(back.consentedBody).toBeUndefined();
    expect((await byUid(db, a.uid)).status).toBe('sent');
  });

  it('report text is kept without control characters; an address no server accepts is refused at creation', async () => {
    const r = newReport({ ...draft('a\u0000b\u0007c\nd'), title: 'T\u0000itle\uD800' });
    expect(r.note).toBe('abc\nd');
    expect(r.title).toBe('Title\uFFFD');
    expect(() => newReport({ ...draft(), url: `https://x.example/${'a'.repeat(2100)}` })).toThrow(/longer than 2048/);
  });
});
