/**
 * The collation centre's cases on both backends, through the HTTP API: reports
 * group into cases as they arrive, four-eyes confirmation, notes, dismiss and
 * reopen, merge and split by hand, and the audit log of each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSummary, CaseView } from '../../lib/report-server/cases';
import { startReportServer, type RunningServer } from '../../lib/report-server/server';
import { reportHash } from '../../lib/report-server/schema';
import type { ReportStore } from '../../lib/report-server/store';
import { addAccount, asSession, asToken, login, type Login } from '../support/centre';
import { startPostgres, type PgCluster } from '../support/postgres';
import { addToken, BACKENDS, makeBackend, makeReport, post, request, type Backend } from '../support/report-backends';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
});

describe.each(BACKENDS)('cases on %s', (kind) => {
  let backend: Backend;
  let store: ReportStore;
  let server: RunningServer;
  let origin: string;
  let reporter: string;
  let adminToken: string;
  let alice: Login;
  let bob: Login;
  let keyN = 0;

  beforeAll(async () => {
    backend = await makeBackend(kind, cluster);
    store = await backend.open();
    reporter = await addToken(store, 'reader');
    adminToken = await addToken(store, 'analyst', true);
    await addAccount(store, 'alice', 'reviewer');
    await addAccount(store, 'bob', 'reviewer');
    server = await startReportServer({ store, ratePerMinute: 0, anonymousPerMinute: 0 });
    origin = server.origin;
    alice = await login(origin, 'alice');
    bob = await login(origin, 'bob');
    expect([alice.status, bob.status]).toEqual([200, 200]);
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await backend?.cleanup();
  });

  const send = async (i: number, over: Parameters<typeof makeReport>[1]) => {
    const r = await post(origin, reporter, `k-${++keyN}`, makeReport(i, over));
    expect(r.status).toBe(201);
    return r.body.id as number;
  };
  const cases = async (query: string) => (await request(origin, `/api/cases${query}`, adminToken)).body.cases as CaseSummary[];
  const view = async (id: number) => {
    const r = await asSession(origin, alice, `/api/cases/${id}`);
    expect(r.status).toBe(200);
    return r.body as CaseView;
  };

  it('groups reports about the same original, or the same copied page, into one case as they arrive', async () => {
    const outlet = 'group-outlet';
    const O1 = 'https://english.news.cn/group/1.htm';
    const r1 = await send(1001, { outlet, originalId: '', originalUrl: O1, createdAt: '2026-11-20T10:00:00Z' });
    await send(1002, { outlet, originalId: '', originalUrl: O1, platform: 'weibo', createdAt: '2026-11-19T09:00:00Z', verdict: 'rewrite' });
    // The same page as the first (its #fragment aside), reported without an original: same case.
    await send(1001, { url: 'https://copy.example/article/1001#comments', outlet, originalId: '', originalUrl: '', note: 'again' });
    // Another original, known by its index id; a later report names only the id: same case.
    await send(1003, { outlet, originalId: 'grp-77', originalUrl: 'https://english.news.cn/group/2.htm' });
    await send(1004, { outlet, originalId: 'grp-77', originalUrl: '' });
    const list = await cases(`?outlet=${outlet}`);
    expect(list.map((c) => [c.originalUrl, c.copies, c.reports, c.platforms])).toEqual([
      ['https://english.news.cn/group/2.htm', 2, 2, ['news']],
      [O1, 2, 3, ['news', 'weibo']],
    ]);
    const first = list[1]!;
    expect(first.status).toBe('open');
    expect(first.firstSeen).toBe('2026-11-19T09:00:00.000Z');
    const v = await view(first.id);
    expect(v.copies.map((c) => [c.url, c.platform, c.reports, c.firstSeen])).toEqual([
      ['https://copy.example/article/1002', 'weibo', 1, '2026-11-19T09:00:00.000Z'],
      ['https://copy.example/article/1001', 'news', 2, '2026-11-20T08:30:00.000Z'],
    ]);
    expect(v.copies[1]!.account).toBeUndefined();
    expect(v.verdicts).toEqual({ copy: 2, rewrite: 1 });
    expect(v.copies[0]!.verdicts).toEqual({ rewrite: 1 });
    expect(v.reports.map((r) => r.id)[0]).toBe(r1);
    expect(v.reports).toHaveLength(3);
    expect(v.reports[2]!.note).toBe('again');
    expect(v.audit.map((a) => [a.actor, a.action])).toEqual([
      ['system', 'created'],
      ['system', 'copy-added'],
      ['system', 'copy-added'],
    ]);
    expect(v.audit[0]!.detail).toMatchObject({ reportId: r1, originalUrl: O1 });
    expect(v.needed).toBe(2);
    // Filters: platform, period, status; paging newest first.
    expect((await cases(`?outlet=${outlet}&platform=weibo`)).map((c) => c.id)).toEqual([first.id]);
    expect((await cases(`?outlet=${outlet}&from=2026-11-20`)).map((c) => c.id)).toEqual([list[0]!.id]);
    expect((await cases(`?outlet=${outlet}&to=2026-11-20`)).map((c) => c.id)).toEqual([first.id]);
    expect(await cases(`?outlet=${outlet}&status=confirmed`)).toEqual([]);
    const page = await request(origin, `/api/cases?outlet=${outlet}&limit=1`, adminToken);
    expect(page.body.cases).toHaveLength(1);
    expect(page.body.next).toBe(list[0]!.id);
    const page2 = await request(origin, `/api/cases?outlet=${outlet}&limit=1&before=${page.body.next}`, adminToken);
    expect(page2.body.cases.map((c: CaseSummary) => c.id)).toEqual([first.id]);
    for (const q of ['?status=new', '?platform=myspace', '?from=soon', '?limit=0', '?sort=id', '?before=x'])
      expect((await request(origin, `/api/cases${q}`, adminToken)).status, q).toBe(400);
    expect((await request(origin, '/api/cases/999999', adminToken)).status).toBe(404);
  });

  it('keeps the account a report carries (optional report fields) with its copy', async () => {
    const tokenId = (await store.listTokens()).find((t) => t.name === 'reader')!.id;
    const base = makeReport(1101, { outlet: 'account-outlet', originalId: 'acc-1', originalUrl: 'https://english.news.cn/acc/1.htm' });
    await store.insertReport(tokenId, 'acc-a', reportHash(base), base, new Date().toISOString());
    const withAccount = { ...base, note: 'seen on the account page', account: { name: 'Daily Echo 每日回声', url: 'https://weibo.example/u/echo' } };
    await store.insertReport(tokenId, 'acc-b', 'h', withAccount as typeof base, new Date().toISOString());
    const [c] = await cases('?outlet=account-outlet');
    const v = await view(c!.id);
    expect(v.copies).toHaveLength(1);
    expect(v.copies[0]!.account).toEqual({ name: 'Daily Echo 每日回声', url: 'https://weibo.example/u/echo' });
    expect(v.audit.map((a) => a.action)).toEqual(['created', 'copy-added', 'account-added']);
  });

  it('confirms a case only when two different reviewers confirm it; one reviewer twice counts once', async () => {
    await send(1201, { outlet: 'four-eyes', originalId: 'fe-1' });
    const [c] = await cases('?outlet=four-eyes');
    const id = c!.id;
    const one = await asSession(origin, alice, `/api/cases/${id}/confirm`, {});
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ id, status: 'open', confirmations: ['alice'], needed: 2 });
    const twice = await asSession(origin, alice, `/api/cases/${id}/confirm`, {});
    expect(twice.body).toEqual({ id, status: 'open', confirmations: ['alice'], needed: 2 });
    // A reporter token cannot confirm; nor can it read cases.
    expect((await asToken(origin, reporter, `/api/cases/${id}/confirm`)).status).toBe(403);
    expect((await request(origin, `/api/cases/${id}`, reporter)).status).toBe(403);
    const two = await asSession(origin, bob, `/api/cases/${id}/confirm`, {});
    expect(two.body).toMatchObject({ status: 'confirmed', confirmations: ['alice', 'bob'] });
    expect((await cases('?outlet=four-eyes&status=confirmed')).map((x) => x.id)).toEqual([id]);
    let v = await view(id);
    expect(v.case.confirmations).toBe(2);
    expect(v.confirmations.map((x) => x.reviewer)).toEqual(['alice', 'bob']);
    expect(v.audit.slice(2).map((a) => [a.actor, a.action, a.detail])).toEqual([
      ['alice', 'confirm', {}],
      ['bob', 'confirm', {}],
      ['bob', 'status', { from: 'open', to: 'confirmed', confirmations: 2, needed: 2 }],
    ]);
    // Dismissed: confirmations cleared; confirming a dismissed case is refused until it is reopened.
    const dismissed = await asSession(origin, alice, `/api/cases/${id}/dismiss`, { reason: 'credited in the video' });
    expect(dismissed.body).toEqual({ id, status: 'dismissed', confirmations: [], needed: 2 });
    expect((await asSession(origin, bob, `/api/cases/${id}/confirm`, {})).status).toBe(409);
    const reopened = await asToken(origin, adminToken, `/api/cases/${id}/reopen`);
    expect(reopened.body).toMatchObject({ status: 'open', confirmations: [] });
    v = await view(id);
    expect(v.audit.slice(-2).map((a) => [a.actor, a.action, a.detail])).toEqual([
      ['alice', 'status', { from: 'confirmed', to: 'dismissed', reason: 'credited in the video', clearedConfirmations: ['alice', 'bob'] }],
      ['analyst', 'status', { from: 'dismissed', to: 'open' }],
    ]);
  });

  it('takes the number of confirmations from the server options', async () => {
    const three = await startReportServer({ store, ratePerMinute: 0, confirmations: 3 });
    try {
      await send(1301, { outlet: 'three-eyes', originalId: 'te-1' });
      const [c] = await cases('?outlet=three-eyes');
      const as = (token: string) => request(three.origin, `/api/cases/${c!.id}/confirm`, token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      await addAccount(store, 'carol', 'admin');
      const carol = await login(three.origin, 'carol');
      expect((await asSession(three.origin, alice, `/api/cases/${c!.id}/confirm`, {})).body.status).toBe('open');
      expect((await asSession(three.origin, bob, `/api/cases/${c!.id}/confirm`, {})).body.status).toBe('open');
      expect((await as(adminToken)).body).toMatchObject({ status: 'confirmed', confirmations: ['alice', 'bob', 'analyst'], needed: 3 });
      expect((await asSession(three.origin, carol, `/api/cases/${c!.id}/confirm`, {})).body.confirmations).toHaveLength(4);
    } finally {
      await three.close();
    }
  });

  it('keeps reviewers’ notes as text, with author and time, in the audit log', async () => {
    await send(1401, { outlet: 'notes' });
    const [c] = await cases('?outlet=notes');
    const text = '<script>alert(1)</script> 与原文第二段相同';
    const r = await asSession(origin, alice, `/api/cases/${c!.id}/notes`, { text });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ author: 'alice', text });
    expect((await asSession(origin, alice, `/api/cases/${c!.id}/notes`, { text: '   ' })).status).toBe(400);
    expect((await asSession(origin, alice, `/api/cases/${c!.id}/notes`, { text: 'x'.repeat(4001) })).status).toBe(400);
    expect((await asSession(origin, alice, `/api/cases/${c!.id}/notes`, { text: 'ok', extra: 1 })).status).toBe(400);
    const v = await view(c!.id);
    expect(v.notes.map((n) => [n.author, n.text])).toEqual([['alice', text]]);
    expect(v.audit.at(-1)).toMatchObject({ actor: 'alice', action: 'note', detail: { noteId: v.notes[0]!.id } });
  });

  it('merges two cases by hand and splits a copy out of a case', async () => {
    const outlet = 'merge-split';
    await send(1501, { outlet, originalId: 'ms-a', originalUrl: 'https://english.news.cn/ms/a.htm', createdAt: '2026-11-10T00:00:00Z' });
    await send(1502, { outlet, originalId: 'ms-b', originalUrl: 'https://english.news.cn/ms/b.htm', createdAt: '2026-11-05T00:00:00Z' });
    await send(1503, { outlet, originalId: 'ms-b', originalUrl: 'https://english.news.cn/ms/b.htm', platform: 'wechat' });
    const [b, a] = await cases(`?outlet=${outlet}`);
    await asSession(origin, alice, `/api/cases/${a!.id}/confirm`, {});
    await asSession(origin, bob, `/api/cases/${b!.id}/notes`, { text: 'same story as the other case' });
    const merged = await asSession(origin, bob, `/api/cases/${a!.id}/merge`, { case: b!.id });
    expect(merged.status).toBe(200);
    expect(merged.body).toEqual({ id: a!.id, status: 'open', confirmations: [], needed: 2, merged: b!.id });
    expect((await cases(`?outlet=${outlet}`)).map((c) => c.id)).toEqual([a!.id]);
    const va = await view(a!.id);
    // Copies in order of first sighting.
    expect(va.copies.map((c) => c.url)).toEqual(['https://copy.example/article/1502', 'https://copy.example/article/1501', 'https://copy.example/article/1503']);
    expect(va.case.firstSeen).toBe('2026-11-05T00:00:00.000Z');
    expect(va.notes.map((n) => n.text)).toEqual(['same story as the other case']);
    expect(va.audit.at(-1)).toMatchObject({
      actor: 'bob',
      action: 'merge',
      detail: { from: b!.id, copies: ['https://copy.example/article/1502', 'https://copy.example/article/1503'], statusBefore: 'open', clearedConfirmations: ['alice'] },
    });
    const vb = await view(b!.id);
    expect(vb.case.mergedInto).toBe(a!.id);
    expect(vb.copies).toEqual([]);
    expect(vb.audit.at(-1)).toMatchObject({ actor: 'bob', action: 'merged-into', detail: { into: a!.id } });
    // A later report about the merged case's original joins the merged case.
    await send(1504, { outlet, originalId: 'ms-b', originalUrl: 'https://english.news.cn/ms/b.htm' });
    expect((await cases(`?outlet=${outlet}`)).map((c) => [c.id, c.copies])).toEqual([[a!.id, 4]]);
    // Refusals.
    expect((await asSession(origin, bob, `/api/cases/${a!.id}/merge`, { case: a!.id })).status).toBe(400);
    const again = await asSession(origin, bob, `/api/cases/${a!.id}/merge`, { case: b!.id });
    expect(again.status).toBe(409);
    expect(again.body.mergedInto).toBe(a!.id);
    expect((await asSession(origin, bob, `/api/cases/${b!.id}/confirm`, {})).status).toBe(409);
    expect((await asSession(origin, bob, `/api/cases/${a!.id}/merge`, { case: 'x' })).status).toBe(400);

    // Split the WeChat copy out: it takes its reports along, and later reports of that page follow it.
    const split = await asSession(origin, alice, `/api/cases/${a!.id}/split`, { url: 'https://copy.example/article/1503' });
    expect(split.status).toBe(201);
    const newId = split.body.id as number;
    expect(split.body).toEqual({ id: newId, from: a!.id, url: 'https://copy.example/article/1503' });
    await send(1503, { outlet, originalId: 'ms-b', originalUrl: 'https://english.news.cn/ms/b.htm', platform: 'wechat', note: 'later' });
    const vn = await view(newId);
    expect(vn.copies.map((c) => [c.url, c.reports])).toEqual([['https://copy.example/article/1503', 2]]);
    expect(vn.case).toMatchObject({ status: 'open', originalUrl: 'https://english.news.cn/ms/b.htm', outlet });
    expect(vn.audit.map((x) => [x.actor, x.action, x.detail])).toEqual([['alice', 'split-from', { url: 'https://copy.example/article/1503', from: a!.id }]]);
    const va2 = await view(a!.id);
    expect(va2.copies.map((c) => c.url)).not.toContain('https://copy.example/article/1503');
    expect(va2.audit.at(-1)).toMatchObject({ actor: 'alice', action: 'split', detail: { url: 'https://copy.example/article/1503', to: newId } });
    expect((await asSession(origin, alice, `/api/cases/${newId}/split`, { url: 'https://copy.example/article/1503' })).status).toBe(409);
    expect((await asSession(origin, alice, `/api/cases/${a!.id}/split`, { url: 'https://copy.example/nope' })).status).toBe(404);
  });

  it('draws a case timeline and per-account figures from reports that carry an account', async () => {
    const tokenId = (await store.listTokens()).find((t) => t.name === 'reader')!.id;
    const outlet = 'timeline-outlet';
    const put = async (key: string, receivedAt: string, over: Parameters<typeof makeReport>[1] & { account?: { name: string; url?: string } }) => {
      const r = { ...makeReport(0, { outlet, originalId: 'tl-1', originalUrl: 'https://english.news.cn/tl/1.htm' }), ...over };
      await store.insertReport(tokenId, key, reportHash(r), r, receivedAt);
    };
    const echo = { name: 'Echo 回声', url: 'https://weibo.example/u/echo' };
    await put('tl-a', '2026-11-21T10:00:00.000Z', { url: 'https://weibo.example/p/1', platform: 'weibo', createdAt: '2026-11-21T09:00:00Z', account: echo });
    await put('tl-b', '2026-11-21T12:00:00.000Z', { url: 'https://mp.weixin.example/s/2', platform: 'wechat', createdAt: '2026-11-21T11:30:00Z', account: { name: 'Morning Brief' } });
    await put('tl-c', '2026-11-22T08:00:00.000Z', { url: 'https://weibo.example/p/1', platform: 'weibo', createdAt: '2026-11-22T07:00:00Z', category: 'commentary', account: echo });
    // Another case, another copy by the same account.
    await put('tl-d', '2026-11-23T08:00:00.000Z', { url: 'https://weibo.example/p/9', platform: 'weibo', createdAt: '2026-11-23T07:00:00Z', originalId: 'tl-2', originalUrl: 'https://english.news.cn/tl/2.htm', account: echo });
    const [second, first] = await cases(`?outlet=${outlet}`);
    const t = (await request(origin, `/api/cases/${first!.id}/timeline`, adminToken)).body;
    expect(t.original).toEqual({ outlet, id: 'tl-1', url: 'https://english.news.cn/tl/1.htm' });
    expect(t.events.map((e: Record<string, unknown>) => [e.at, e.kind, e.platform, e.account ?? e.seenAt])).toEqual([
      ['2026-11-21T09:00:00.000Z', 'copy-first-seen', 'weibo', 'Echo 回声'],
      ['2026-11-21T10:00:00.000Z', 'report', 'weibo', '2026-11-21T09:00:00Z'],
      ['2026-11-21T11:30:00.000Z', 'copy-first-seen', 'wechat', 'Morning Brief'],
      ['2026-11-21T12:00:00.000Z', 'report', 'wechat', '2026-11-21T11:30:00Z'],
      ['2026-11-22T08:00:00.000Z', 'report', 'weibo', '2026-11-22T07:00:00Z'],
    ]);
    expect(t.platforms).toEqual([
      { platform: 'wechat', copies: 1, reports: 1, firstSeen: '2026-11-21T11:30:00.000Z' },
      { platform: 'weibo', copies: 1, reports: 2, firstSeen: '2026-11-21T09:00:00.000Z' },
    ]);
    expect(JSON.stringify(t)).not.toContain('reader');
    await asSession(origin, alice, `/api/cases/${second!.id}/confirm`, {});
    await asSession(origin, bob, `/api/cases/${second!.id}/confirm`, {});
    const accounts = (await request(origin, '/api/accounts?platform=weibo', adminToken)).body.accounts;
    expect(accounts.find((a: { name: string }) => a.name === 'Echo 回声')).toEqual({
      platform: 'weibo',
      name: 'Echo 回声',
      url: 'https://weibo.example/u/echo',
      copies: 2,
      cases: 2,
      confirmedCases: 1,
      reports: 3,
      uncreditedReports: 2,
      firstSeen: '2026-11-21T09:00:00.000Z',
      lastSeen: '2026-11-23T07:00:00.000Z',
    });
    const detail = (await request(origin, `/api/accounts/copies?platform=weibo&name=${encodeURIComponent('Echo 回声')}`, adminToken)).body;
    expect(detail.copies.map((c: { url: string; case: number; status: string }) => [c.url, c.case, c.status])).toEqual([
      ['https://weibo.example/p/1', first!.id, 'open'],
      ['https://weibo.example/p/9', second!.id, 'confirmed'],
    ]);
    expect((await request(origin, '/api/accounts/copies?platform=weibo&name=nobody', adminToken)).status).toBe(404);
    expect((await request(origin, '/api/accounts/copies?name=x', adminToken)).status).toBe(400);
    expect((await request(origin, '/api/accounts', reporter)).status).toBe(403);
    expect((await request(origin, '/api/cases/999999/timeline', adminToken)).status).toBe(404);
  });

  it('groups concurrent reports about one original, or one page, into one case', async () => {
    const outlet = 'concurrent';
    const O = 'https://english.news.cn/concurrent/1.htm';
    // 30 pages copying one original, and 10 reports of one page naming 10 different originals, all at once.
    const answers = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => post(origin, reporter, `cc-a${i}`, makeReport(1700 + i, { outlet, originalId: '', originalUrl: O }))),
      ...Array.from({ length: 10 }, (_, i) => post(origin, reporter, `cc-b${i}`, makeReport(1800, { outlet, originalId: `cc-${i}`, originalUrl: '' }))),
    ]);
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(201));
    const list = await cases(`?outlet=${outlet}`);
    expect(list.map((c) => [c.copies, c.reports]).sort()).toEqual([
      [1, 10],
      [30, 30],
    ]);
    // Every one of the ten originals now leads to the page's case.
    const page = list.find((c) => c.copies === 1)!;
    await send(1900, { outlet, originalId: 'cc-7', originalUrl: '' });
    expect((await cases(`?outlet=${outlet}`)).find((c) => c.id === page.id)!.copies).toBe(2);
  });

  it('stores reports sent at once independently: one that fails leaves the others stored (and grouped)', async () => {
    const tokenId = (await store.listTokens()).find((t) => t.name === 'reader')!.id;
    const put = (token: number, i: number) => {
      const r = makeReport(1600 + i, { outlet: 'together', originalId: 'tg-1', originalUrl: '' });
      return store.insertReport(token, `tg-${i}`, reportHash(r), r, new Date().toISOString());
    };
    // An unknown token id breaks the foreign key: that report fails, alone.
    const outcomes = await Promise.allSettled([put(tokenId, 1), put(999_999, 2), put(tokenId, 3), put(tokenId, 1)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const kinds = outcomes.map((o) => (o.status === 'fulfilled' ? o.value.kind : 'failed'));
    expect(kinds.slice(1, 3)).toEqual(['failed', 'created']);
    // The same key twice: one stores it, the other gets the same report back (which one wins is the database's to say).
    expect([kinds[0], kinds[3]].sort()).toEqual(['created', 'replayed']);
    const ids = outcomes.map((o) => (o.status === 'fulfilled' && o.value.kind !== 'conflict' ? o.value.id : 0));
    expect(ids[0]).toBe(ids[3]);
    const [c] = await cases('?outlet=together');
    expect([c!.copies, c!.reports]).toEqual([2, 2]);
  });

  it('refuses GET on actions and POST on reads (405)', async () => {
    expect((await request(origin, '/api/cases/1/confirm', adminToken)).status).toBe(405);
    expect((await asToken(origin, adminToken, '/api/cases')).status).toBe(405);
    expect((await request(origin, '/api/cases', undefined)).status).toBe(401);
  });
});
