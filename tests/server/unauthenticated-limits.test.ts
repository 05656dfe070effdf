/**
 * Limits on what comes without a valid token, per client address: requests
 * answered without one (review page, preflights, 401, 404) and failed token
 * attempts, which once spent stop every token from that address being looked
 * at — the right one included — until the bucket refills. Client addresses
 * come from X-Forwarded-For here (trustProxy), so that one test can be many
 * clients; a last test shows that the header is ignored otherwise.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReportServer, type RunningServer, type ServerOptions } from '../../lib/report-server/server';
import type { ReportStore } from '../../lib/report-server/store';
import { addToken, makeBackend, makeReport, post, request, type Answer, type Backend } from '../support/report-backends';

let backend: Backend;
let store: ReportStore;
let reporter: string;
let admin: string;
/** How often the store was asked about a token. */
let lookups = 0;
const servers: RunningServer[] = [];

beforeAll(async () => {
  backend = await makeBackend('sqlite');
  const real = await backend.open();
  reporter = await addToken(real, 'reporter');
  admin = await addToken(real, 'admin', true);
  store = { ...real, findToken: (hash: string) => (lookups++, real.findToken(hash)) };
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await store?.close();
  await backend?.cleanup();
});

async function start(opts: Partial<ServerOptions>): Promise<RunningServer> {
  const s = await startReportServer({ store, ratePerMinute: 0, tokenCacheMs: 0, ...opts });
  servers.push(s);
  return s;
}

const from = (address: string) => ({ 'x-forwarded-for': address });
const preflight = (origin: string, address: string) =>
  request(origin, '/api/reports', undefined, { method: 'OPTIONS', headers: { ...from(address), origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop', 'access-control-request-method': 'POST' } });
const expect429 = (a: Answer, retryAfter: number, error: RegExp) => {
  expect(a.status).toBe(429);
  expect(a.headers.get('retry-after')).toBe(String(retryAfter));
  expect(a.body.error).toMatch(error);
};

describe('requests without a valid token', () => {
  it('share one bucket per address: review page, its files, preflights, 404 and 401; then 429 with Retry-After', async () => {
    const s = await start({ anonymousPerMinute: 5, trustProxy: true });
    const a = '198.51.100.1';
    const statuses = [
      (await request(s.origin, '/review', undefined, { headers: from(a) })).status,
      (await request(s.origin, '/review.js', undefined, { headers: from(a) })).status,
      (await preflight(s.origin, a)).status,
      (await request(s.origin, '/no-such-page', undefined, { headers: from(a) })).status,
      (await post(s.origin, undefined, 'k', makeReport(1), from(a))).status,
    ];
    expect(statuses).toEqual([200, 200, 204, 404, 401]);
    for (const next of [
      () => request(s.origin, '/review.css', undefined, { headers: from(a) }),
      () => preflight(s.origin, a),
      () => request(s.origin, '/api/reports', undefined, { headers: from(a) }),
      () => post(s.origin, undefined, 'k', makeReport(1), from(a)),
      () => request(s.origin, '/api/reports', undefined, { method: 'DELETE', headers: from(a) }),
    ])
      expect429(await next(), 12, /too many requests without a valid token/); // 5 a minute: one every 12 s
    // Valid tokens from that address are not held up, and other addresses have their own bucket.
    expect((await post(s.origin, reporter, 'anon-1', makeReport(2), from(a))).status).toBe(201);
    expect((await request(s.origin, '/api/reports', admin, { headers: from(a) })).status).toBe(200);
    expect((await request(s.origin, '/review', undefined, { headers: from('198.51.100.2') })).status).toBe(200);
  });

  it('default to 60 a minute', async () => {
    const s = await start({ trustProxy: true });
    const answers = await Promise.all(Array.from({ length: 61 }, () => request(s.origin, '/favicon.ico', undefined, { headers: from('198.51.100.3') })));
    expect(answers.filter((x) => x.status === 204)).toHaveLength(60);
    expect(answers.filter((x) => x.status === 429)).toHaveLength(1);
  });
});

describe('failed token attempts', () => {
  it('after the allowance, no token from that address is looked at (the right one included) until the bucket refills', async () => {
    const logged: string[] = [];
    const s = await start({ tokenFailuresPerHour: 3, anonymousPerMinute: 0, trustProxy: true, log: (l) => logged.push(l) });
    const a = '198.51.100.4';
    const before = lookups;
    for (let i = 0; i < 3; i++) expect((await post(s.origin, `guess-${i}`, `g-${i}`, makeReport(3), from(a))).status).toBe(401);
    expect(lookups - before).toBe(3);
    expect(logged).toEqual(['report-server: too many failed token attempts from 198.51.100.4; its tokens are refused for 1200 s']);
    // 3 an hour: one more every 20 minutes.
    expect429(await post(s.origin, 'guess-3', 'g-3', makeReport(3), from(a)), 1200, /too many failed token attempts/);
    expect429(await post(s.origin, reporter, 'good', makeReport(3), from(a)), 1200, /too many failed token attempts/);
    expect429(await request(s.origin, '/api/reports', admin, { headers: from(a) }), 1200, /too many failed token attempts/);
    expect(lookups - before).toBe(3); // the store was not asked again
    expect(logged).toHaveLength(1);
    // A request without any token is no guess: it is not counted here (anonymousPerMinute is off).
    expect((await post(s.origin, undefined, 'none', makeReport(3), from('198.51.100.5'))).status).toBe(401);
    // Another address: its own allowance, and its valid token works.
    expect((await post(s.origin, reporter, 'other-1', makeReport(4), from('198.51.100.5'))).status).toBe(201);
    expect((await post(s.origin, 'guess-x', 'gx', makeReport(4), from('198.51.100.5'))).status).toBe(401);
  });

  it('count an IPv6 /64 as one client', async () => {
    const s = await start({ tokenFailuresPerHour: 2, anonymousPerMinute: 0, trustProxy: true, log: () => {} });
    expect((await post(s.origin, 'guess-a', 'a', makeReport(5), from('2001:db8:5:5::1'))).status).toBe(401);
    expect((await post(s.origin, 'guess-b', 'b', makeReport(5), from('2001:db8:5:5:ffff::2'))).status).toBe(401);
    expect((await post(s.origin, reporter, 'c', makeReport(5), from('2001:db8:5:5::3'))).status).toBe(429);
    expect((await post(s.origin, reporter, 'v6-ok', makeReport(6), from('2001:db8:5:6::1'))).status).toBe(201);
  });

  it('hold concurrent guesses to the allowance too', async () => {
    // A slow store: every guess is in flight before the first one's answer.
    const slow: ReportStore = { ...store, findToken: async (hash) => (await new Promise((ok) => setTimeout(ok, 300)), store.findToken(hash)) };
    const s = await startReportServer({ store: slow, ratePerMinute: 0, tokenCacheMs: 0, tokenFailuresPerHour: 4, anonymousPerMinute: 0, trustProxy: true, log: () => {} });
    servers.push(s);
    const before = lookups;
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => post(s.origin, `burst-${i}`, `b-${i}`, makeReport(7), from('198.51.100.6'))));
    expect(answers.map((x) => x.status).sort()).toEqual([...Array(4).fill(401), ...Array(8).fill(429)]);
    expect(lookups - before).toBe(4);
    // A known token gives its attempt back: it does not use up the allowance. But while they run, lookups
    // hold attempts: past the allowance, concurrent first requests with a right token wait too.
    const t = await startReportServer({ store: slow, ratePerMinute: 0, tokenCacheMs: 0, tokenFailuresPerHour: 2, anonymousPerMinute: 0, trustProxy: true });
    servers.push(t);
    const good = await Promise.all(Array.from({ length: 6 }, (_, i) => post(t.origin, reporter, `good-${i}`, makeReport(8), from('198.51.100.8'))));
    expect(good.map((x) => x.status).sort()).toEqual([201, 201, 429, 429, 429, 429]);
    for (let i = 0; i < 5; i++) expect((await post(t.origin, reporter, `good-seq-${i}`, makeReport(9), from('198.51.100.8'))).status).toBe(201);
  });

  it('default to 20 an hour', async () => {
    const s = await start({ trustProxy: true, anonymousPerMinute: 0, log: () => {} });
    for (let i = 0; i < 20; i++) expect((await post(s.origin, `d-${i}`, `d-${i}`, makeReport(8), from('198.51.100.7'))).status).toBe(401);
    expect429(await post(s.origin, 'd-20', 'd-20', makeReport(8), from('198.51.100.7')), 180, /too many failed token attempts/);
  });
});

describe('client address', () => {
  it('is the connection’s unless the proxy is trusted: X-Forwarded-For cannot buy a fresh allowance', async () => {
    const s = await start({ anonymousPerMinute: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await request(s.origin, '/review', undefined, { headers: from(`203.0.113.${i}`) })).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
  });
});

describe('command line', () => {
  it('refuses a malformed limit with a one-line error', async () => {
    const run = promisify(execFile);
    for (const [flag, value] of [['--anon-rate', 'many'], ['--token-failures', '1.5']]) {
      const err = await run(process.execPath, ['--import', 'tsx', 'lib/cli/report-server-main.ts', flag!, value!, '--port', '0']).then(
        () => undefined,
        (e: { code: number; stderr: string }) => e,
      );
      expect(err?.code).toBe(2);
      expect(err?.stderr.trim()).toBe(`report-server: ${flag} must be a whole number from 0 to 1000000`);
    }
  });
});
