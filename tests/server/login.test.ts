/**
 * Reviewers' browser login on both backends: session cookie flags, CSRF
 * refusal, login rate limits, roles, disabled accounts, logout; and that
 * tokens keep working as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReportServer, type RunningServer } from '../../lib/report-server/server';
import type { ReportStore } from '../../lib/report-server/store';
import { disableUser, hashPassword, setPassword, verifyPassword } from '../../lib/report-server/users';
import { addAccount, asSession, login, PASSWORD } from '../support/centre';
import { startPostgres, type PgCluster } from '../support/postgres';
import { addToken, BACKENDS, makeBackend, makeReport, post, request, type Backend } from '../support/report-backends';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
});

it('hashes passwords with scrypt and a salt of their own', async () => {
  const a = await hashPassword('a long enough password');
  const b = await hashPassword('a long enough password');
  expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  expect(a).not.toBe(b);
  expect(await verifyPassword('a long enough password', a)).toBe(true);
  expect(await verifyPassword('a long enough passwore', a)).toBe(false);
  expect(await verifyPassword('a long enough password', null)).toBe(false);
});

describe.each(BACKENDS)('login on %s', (kind) => {
  let backend: Backend;
  let store: ReportStore;
  let server: RunningServer;
  let proxied: RunningServer;
  let origin: string;
  let reporter: string;
  const logs: string[] = [];

  beforeAll(async () => {
    backend = await makeBackend(kind, cluster);
    store = await backend.open();
    reporter = await addToken(store, 'reader');
    await addAccount(store, 'rev', 'reviewer');
    await addAccount(store, 'rep', 'reporter');
    await addAccount(store, 'gone', 'reviewer');
    server = await startReportServer({ store, ratePerMinute: 0, anonymousPerMinute: 0, loginFailuresPerHour: 3, tokenCacheMs: 0, log: (l) => logs.push(l) });
    proxied = await startReportServer({ store, ratePerMinute: 0, anonymousPerMinute: 0, trustProxy: true, loginFailuresPerHour: 3, log: (l) => logs.push(l) });
    origin = server.origin;
    expect((await post(origin, reporter, 'k1', makeReport(1))).status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
    await proxied?.close();
    await store?.close();
    await backend?.cleanup();
  });

  it('sets an HttpOnly, SameSite=Strict session cookie (Secure when the request came over https) and a CSRF token', async () => {
    const s = await login(origin, 'rev');
    expect(s.status).toBe(200);
    expect(s.body).toEqual({ name: 'rev', role: 'reviewer', csrf: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresAt: expect.any(String) });
    expect(s.setCookie).toMatch(/^pb_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    expect((await asSession(origin, s, '/api/session')).body).toEqual({ name: 'rev', role: 'reviewer', csrf: s.csrf });
    // Behind a TLS proxy (--trust-proxy, X-Forwarded-Proto: https) the cookie is Secure.
    const tls = await login(proxied.origin, 'rev', PASSWORD, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.5' });
    expect(tls.setCookie).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    // Without --trust-proxy the header is not believed.
    expect((await login(origin, 'rev', PASSWORD, { 'x-forwarded-proto': 'https' })).setCookie).not.toMatch(/Secure/);
  });

  it('refuses a state-changing request with the cookie but without the right CSRF token, and changes nothing', async () => {
    const s = await login(origin, 'rev');
    const id = (await request(origin, '/api/cases', undefined, { headers: { cookie: s.cookie } })).body.cases[0].id;
    const before = (await asSession(origin, s, `/api/cases/${id}`)).body.audit.length;
    const none = await asSession(origin, s, `/api/cases/${id}/confirm`, {}, null);
    expect(none.status).toBe(403);
    expect(none.body.error).toMatch(/X-CSRF-Token/);
    expect((await asSession(origin, s, `/api/cases/${id}/notes`, { text: 'hi' }, 'x'.repeat(43))).status).toBe(403);
    const other = await login(origin, 'rev');
    expect((await asSession(origin, s, `/api/cases/${id}/dismiss`, {}, other.csrf)).status).toBe(403);
    const reportId = (await asSession(origin, s, '/api/reports')).body.reports[0].id;
    const patch = await request(origin, `/api/reports/${reportId}`, undefined, { method: 'PATCH', headers: { cookie: s.cookie, 'content-type': 'application/json' }, body: '{"status":"confirmed"}' });
    expect(patch.status).toBe(403);
    expect((await asSession(origin, s, `/api/cases/${id}`)).body.audit.length).toBe(before);
    expect((await asSession(origin, s, '/api/reports')).body.reports[0].status).toBe('new');
    // With the token, the same requests go through; a form-encoded body is refused (415) whatever it carries.
    expect((await asSession(origin, s, `/api/cases/${id}/notes`, { text: 'hi' })).status).toBe(201);
    const form = await request(origin, `/api/cases/${id}/confirm`, undefined, { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(form.status).toBe(415);
    const ok = await request(origin, `/api/reports/${reportId}`, undefined, { method: 'PATCH', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, body: '{"status":"confirmed"}' });
    expect(ok.status).toBe(200);
  });

  it('limits failed logins per address and per account name: 429 with Retry-After, even for the right password', async () => {
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    for (let i = 0; i < 3; i++) expect((await login(proxied.origin, 'rev', 'wrong password!!', from('198.51.100.1'))).status).toBe(401);
    const blocked = await login(proxied.origin, 'rev', PASSWORD, from('198.51.100.1'));
    expect(blocked.status).toBe(429);
    expect(blocked.setCookie).toBeNull();
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(60);
    // The account's allowance is spent too: from another address the name is refused as well …
    const res = await fetch(`${proxied.origin}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.2' }, body: JSON.stringify({ name: 'rev', password: PASSWORD }) });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(60);
    // … while another account logs in from there; a success gives its attempt back.
    for (let i = 0; i < 5; i++) expect((await login(proxied.origin, 'gone', PASSWORD, from('198.51.100.2'))).status).toBe(200);
    expect(logs.some((l) => /too many failed logins from 198\.51\.100\.1/.test(l))).toBe(true);
  });

  it('answers wrong name and wrong password alike, lets only reviewers and admins log in, and refuses bad bodies', async () => {
    const fresh = await startReportServer({ store, ratePerMinute: 0, anonymousPerMinute: 0 });
    try {
      const unknown = await login(fresh.origin, 'nobody');
      const wrong = await login(fresh.origin, 'rev', 'not the password');
      expect([unknown.status, wrong.status]).toEqual([401, 401]);
      expect(unknown.body).toEqual(wrong.body);
      const rep = await login(fresh.origin, 'rep');
      expect(rep.status).toBe(403);
      expect(rep.setCookie).toBeNull();
      const bad = (body: string, type = 'application/json') => fetch(`${fresh.origin}/api/login`, { method: 'POST', headers: { 'content-type': type }, body }).then((r) => r.status);
      expect(await bad('{"name":"rev"}')).toBe(400);
      expect(await bad('{"name":"rev","password":"x","remember":true}')).toBe(400);
      expect(await bad('name=rev&password=x', 'application/x-www-form-urlencoded')).toBe(415);
      expect((await request(fresh.origin, '/api/login')).status).toBe(405);
    } finally {
      await fresh.close();
    }
  });

  it('ends sessions on logout, on a new password and when the account is disabled; a disabled account’s tokens are refused', async () => {
    await addAccount(store, 'temp', 'reviewer');
    const tempToken = await addToken(store, 'temp');
    const s = await login(origin, 'temp');
    expect((await asSession(origin, s, '/api/cases')).status).toBe(200);
    // A token named like a reviewer account acts as that reviewer.
    expect((await request(origin, '/api/cases', tempToken)).status).toBe(200);
    const out = await asSession(origin, s, '/api/logout', {});
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^pb_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
    expect((await asSession(origin, s, '/api/cases')).status).toBe(401);
    const s2 = await login(origin, 'temp');
    expect(await setPassword(store.db, 'temp', await hashPassword('another long password'))).toBe(true);
    expect((await asSession(origin, s2, '/api/cases')).status).toBe(401);
    const s3 = await login(origin, 'temp', 'another long password');
    expect(s3.status).toBe(200);
    expect(await disableUser(store.db, 'temp')).toBe(true);
    expect((await asSession(origin, s3, '/api/cases')).status).toBe(401);
    expect((await login(origin, 'temp', 'another long password')).status).toBe(401);
    expect((await request(origin, '/api/cases', tempToken)).status).toBe(401);
    expect(await disableUser(store.db, 'temp')).toBe(false);
  });

  it('keeps tokens working as before: reporters post, reporter tokens cannot review, admin tokens can', async () => {
    const admin = await addToken(store, 'old admin', true);
    expect((await post(origin, reporter, 'k2', makeReport(2))).status).toBe(201);
    expect((await request(origin, '/api/reports', reporter)).status).toBe(403);
    expect((await request(origin, '/api/cases', reporter)).status).toBe(403);
    expect((await request(origin, '/api/reports', admin)).status).toBe(200);
    expect((await request(origin, '/api/cases', admin)).status).toBe(200);
    // A session cannot post reports (those need a token), and an unknown cookie is no session.
    const s = await login(origin, 'rev');
    const posted = await fetch(`${origin}/api/reports`, { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json', 'idempotency-key': 'x1' }, body: JSON.stringify(makeReport(3)) });
    expect(posted.status).toBe(401);
    expect((await request(origin, '/api/cases', undefined, { headers: { cookie: 'pb_session=' + 'A'.repeat(43) } })).status).toBe(401);
    expect((await request(origin, '/api/session')).body).toEqual({});
    expect((await request(origin, '/api/session', undefined, { headers: { cookie: 'pb_session=' + 'A'.repeat(43) } })).body).toEqual({});
  });

  it('exports CSV with a UTF-8 byte-order mark', async () => {
    const admin = await addToken(store, 'csv admin', true);
    const res = await fetch(`${origin}/api/reports?format=csv`, { headers: { authorization: `Bearer ${admin}` } });
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 6)]).toEqual([0xef, 0xbb, 0xbf, ...Buffer.from('id,')]);
  });
});
