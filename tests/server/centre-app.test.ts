/**
 * The review application as the server sends it (/centre: HTML shell, bundled
 * script, stylesheet, under a strict CSP) and the case list's filters the
 * application adds (account, search) on both backends. The application's
 * behaviour in Chromium: tests/e2e/centre-app.spec.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../lib/report-server/cases';
import { startReportServer, type RunningServer } from '../../lib/report-server/server';
import type { ReportStore } from '../../lib/report-server/store';
import { startPostgres, type PgCluster } from '../support/postgres';
import { addToken, BACKENDS, makeBackend, makeReport, post, request, type Backend } from '../support/report-backends';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
});

describe.each(BACKENDS)('review application on %s', (kind) => {
  let backend: Backend;
  let store: ReportStore;
  let server: RunningServer;
  let token: string;

  beforeAll(async () => {
    backend = await makeBackend(kind, cluster);
    store = await backend.open();
    const rep = await addToken(store, 'reader');
    token = await addToken(store, 'analyst', true);
    server = await startReportServer({ store, ratePerMinute: 0, anonymousPerMinute: 0 });
    const o = server.origin;
    let k = 0;
    const send = async (i: number, over: Parameters<typeof makeReport>[1]) => expect((await post(o, rep, `k${++k}`, makeReport(i, over))).status).toBe(201);
    await send(1, { title: '岚山河大桥合龙', platform: 'weibo', account: { name: '河畔观察' }, originalPublished: '2026-11-20' });
    await send(11, { originalId: 'xh-1', url: 'https://copy.example/article/11', originalPublished: '2026-11-19T22:00:00+08:00' });
    await send(2, { title: 'Orchard harvest doubles', url: 'https://Copy.example/Orchard_100%' });
    await send(3, { title: 'Rail line opens', platform: 'weibo', account: { name: 'railfan' } });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await backend?.cleanup();
  });

  const titles = async (query: string) => ((await request(server.origin, `/api/cases${query}`, token)).body.cases as CaseSummary[]).map((c) => c.title).sort();

  it('serves the shell, the bundled script and the stylesheet under a strict CSP', async () => {
    const html = await request(server.origin, '/centre');
    expect(html.status).toBe(200);
    const csp = html.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe');
    expect(html.body).toContain('<script src="/centre/app.js" defer></script>');
    expect(html.body).not.toMatch(/<script>|<style|style=/);
    const js = await fetch(`${server.origin}/centre/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const code = await js.text();
    expect(code.length).toBeGreaterThan(10_000);
    expect(code).toContain('来源核查中心'); // the Chinese catalogue is in the bundle
    expect(code).not.toMatch(/\beval\(|new Function\(/);
    // The application's own sources never hand a string to the HTML parser (Preact's support for it stays unused).
    for (const f of readdirSync('lib/report-server/review-app')) expect(readFileSync(`lib/report-server/review-app/${f}`, 'utf8')).not.toMatch(/dangerouslySetInnerHTML|innerHTML|outerHTML|insertAdjacentHTML/);
    const css = await fetch(`${server.origin}/centre/app.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('.passage');
    expect((await request(server.origin, '/centre/other.js')).status).toBe(404);
    expect((await request(server.origin, '/centre', undefined, { method: 'POST' })).status).toBe(405);
  });

  it("puts the original's publication time, the earliest a report gave, first in the case's timeline", async () => {
    const [c] = (await request(server.origin, '/api/cases?account=河畔观察', token)).body.cases as CaseSummary[];
    const tl = (await request(server.origin, `/api/cases/${c!.id}/timeline`, token)).body;
    expect(tl.originalPublished).toBe('2026-11-19T14:00:00.000Z');
    expect(tl.events[0]).toEqual({ at: '2026-11-19T14:00:00.000Z', kind: 'original-published', url: 'https://english.news.cn/1.htm', platform: '' });
    expect(tl.events.filter((e: { kind: string }) => e.kind === 'original-published')).toHaveLength(1);
    const other = ((await request(server.origin, '/api/cases?account=railfan', token)).body.cases as CaseSummary[])[0]!;
    const none = (await request(server.origin, `/api/cases/${other.id}/timeline`, token)).body;
    expect(none.originalPublished).toBeUndefined();
    expect(none.events.map((e: { kind: string }) => e.kind)).not.toContain('original-published');
    expect((await post(server.origin, token, 'bad-date', makeReport(99, { originalPublished: 'last Tuesday' }))).body.error).toBe('field originalPublished: must be an ISO 8601 date');
  });

  it('filters cases by account and searches titles and addresses, case-insensitively, wildcards taken literally', async () => {
    expect(await titles('?account=河畔观察')).toEqual(['岚山河大桥合龙']);
    expect(await titles('?q=copy.example/article/11')).toEqual(['岚山河大桥合龙']); // the second copy joined the first's case
    expect(await titles('?account=railfan&platform=weibo')).toEqual(['Rail line opens']);
    expect(await titles('?account=nobody')).toEqual([]);
    expect(await titles('?q=ORCHARD')).toEqual(['Orchard harvest doubles']);
    expect(await titles('?q=大桥')).toEqual(['岚山河大桥合龙']);
    expect(await titles('?q=orchard_100%25')).toEqual(['Orchard harvest doubles']); // a copy's address
    expect(await titles('?q=%25')).toEqual(['Orchard harvest doubles']); // % is a character, not a wildcard
    expect(await titles('?q=_')).toEqual(['Orchard harvest doubles']);
    expect(await titles('?q=xh-3')).toEqual(['Rail line opens']); // the original's id
    // A whole address finds its case exactly: a copy's (its #fragment ignored) or the original's.
    expect(await titles(`?q=${encodeURIComponent('https://copy.example/article/3#comments')}`)).toEqual(['Rail line opens']);
    expect(await titles(`?q=${encodeURIComponent('https://english.news.cn/1.htm')}`)).toEqual(['岚山河大桥合龙']);
    expect(await titles(`?q=${encodeURIComponent('https://copy.example/article/')}`)).toEqual([]);
    expect((await request(server.origin, `/api/cases?q=${'x'.repeat(201)}`, token)).status).toBe(400);
  });
});
