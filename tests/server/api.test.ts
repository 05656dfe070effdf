/**
 * The report server's HTTP API against a real server on 127.0.0.1 (port 0),
 * once with SQLite and once with PostgreSQL (a throwaway cluster).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOriginalLine } from '../../lib/cli/read-originals';
import { CSV_COLUMNS } from '../../lib/report-server/export';
import { looksLikeFormula } from '../../lib/reports/csv-cell';
import type { StoredReport } from '../../lib/report-server/schema';
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

/** Splits RFC 4180 CSV into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    } else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

describe.each(BACKENDS)('report server on %s', (kind) => {
  let backend: Backend;
  let store: ReportStore;
  let server: RunningServer;
  let limited: RunningServer;
  let origin: string;
  let reporter: string;
  let reporter2: string;
  let admin: string;

  beforeAll(async () => {
    backend = await makeBackend(kind, cluster);
    store = await backend.open();
    expect(store.kind).toBe(kind);
    reporter = await addToken(store, 'reporter one');
    reporter2 = await addToken(store, 'reporter two');
    admin = await addToken(store, 'the admin', true);
    server = await startReportServer({ store, port: 0, ratePerMinute: 0 });
    limited = await startReportServer({ store, port: 0, ratePerMinute: 5 });
    origin = server.origin;
  });
  afterAll(async () => {
    await server?.close();
    await limited?.close();
    await store?.close();
    await backend?.cleanup();
  });

  const list = async (query = '') => (await request(origin, `/api/reports${query}`, admin)).body.reports as StoredReport[];

  it('stores a report once: 201 the first time, 200 with the same id and status for the same key and body', async () => {
    const report = makeReport(1);
    const first = await post(origin, reporter, 'key-1', report);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.any(Number), status: 'new' });
    const again = await post(origin, reporter, 'key-1', report);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    // The same report with its keys in another order and other spacing is the same body.
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(report).reverse()), null, 2);
    const third = await post(origin, reporter, 'key-1', reordered);
    expect(third.status).toBe(200);
    expect(third.body).toEqual(first.body);
    const stored = (await list()).filter((r) => r.url === report.url);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ ...report, id: first.body.id, status: 'new', reporter: 'reporter one' });
    expect(Date.parse(stored[0]!.receivedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('refuses the same key with a different body (422) and keeps the first report', async () => {
    const first = await post(origin, reporter, 'key-2', makeReport(2));
    expect(first.status).toBe(201);
    const other = await post(origin, reporter, 'key-2', makeReport(2, { note: 'changed' }));
    expect(other.status).toBe(422);
    expect(other.body.error).toMatch(/key-2.*different/);
    const stored = (await list()).filter((r) => r.id === first.body.id);
    expect(stored[0]?.note).toBe('note 2');
  });

  it('scopes keys per token: the same key from another reporter is another report', async () => {
    const a = await post(origin, reporter, 'shared-key', makeReport(3));
    const b = await post(origin, reporter2, 'shared-key', makeReport(3));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it.each([
    ['not JSON', '{"url": ', /^body: not valid JSON/],
    ['a JSON array', '[]', /^body: must be a JSON object/],
    ['a missing field', JSON.stringify({ ...makeReport(9), score: undefined }), /^field score: missing$/],
    ['an unknown field', JSON.stringify({ ...makeReport(9), extra: 1 }), /^field extra: unknown field$/],
    ['a field named like an object property', JSON.stringify({ ...makeReport(9), constructor: 1 }), /^field constructor: unknown field$/],
    ['a NUL character in the title', JSON.stringify(makeReport(9, { title: 'a\u0000b' })), /^field title: contains a control character/],
    ['a lone surrogate in a passage', JSON.stringify(makeReport(9, { passages: [{ pageText: 'p\uD800' }] })), /^field passages\[0\]\.pageText: contains a control character/],
    ['a right-to-left override in the title', JSON.stringify(makeReport(9, { title: 'Invoice \u202egpj.exe' })), /^field title: contains a bidirectional control character/],
    ['a right-to-left isolate in the note', JSON.stringify(makeReport(9, { note: 'a\u2067b\u2069' })), /^field note: contains a bidirectional control character/],
    ['a left-to-right mark in the url', JSON.stringify(makeReport(9, { url: 'https://copy.example/\u200e1' })), /^field url: contains a bidirectional control character/],
    ['an Arabic letter mark in the outlet', JSON.stringify(makeReport(9, { outlet: 'x\u061c' })), /^field outlet: contains a bidirectional control character/],
    ['a first-strong isolate in a passage', JSON.stringify(makeReport(9, { passages: [{ pageText: 'p', originalText: '\u2068o' }] })), /^field passages\[0\]\.originalText: contains a bidirectional control character/],
    ['a javascript: url', JSON.stringify(makeReport(9, { url: 'javascript:alert(1)' })), /^field url: must be an http\(s\) address$/],
    ['a url over 2048 characters', JSON.stringify(makeReport(9, { url: `https://a.example/${'x'.repeat(2040)}` })), /^field url: longer than 2048/],
    ['an unknown platform', JSON.stringify(makeReport(9, { platform: 'myspace' as never })), /^field platform: must be one of wechat/],
    ['an unknown category', JSON.stringify(makeReport(9, { category: 'spam' as never })), /^field category: must be one of/],
    ['a bad date', JSON.stringify(makeReport(9, { createdAt: 'yesterday' })), /^field createdAt: must be an ISO 8601 date$/],
    ['a score above 1', JSON.stringify(makeReport(9, { score: 1.5 })), /^field score: must be a number from 0 to 1$/],
    ['a score as text', JSON.stringify({ ...makeReport(9), score: '0.5' }), /^field score: must be a number/],
    ['a note over 4000 characters', JSON.stringify(makeReport(9, { note: 'n'.repeat(4001) })), /^field note: longer than 4000/],
    ['a non-http original url', JSON.stringify(makeReport(9, { originalUrl: 'ftp://x.example/a' })), /^field originalUrl: must be an http\(s\) address$/],
    ['51 passages', JSON.stringify(makeReport(9, { passages: Array.from({ length: 51 }, () => ({ pageText: 'p' })) })), /^field passages: more than 50/],
    ['a passage without page text', JSON.stringify(makeReport(9, { passages: [{ originalText: 'o' } as never] })), /^field passages\[0\]\.pageText: missing$/],
    ['a passage with an unknown field', JSON.stringify(makeReport(9, { passages: [{ pageText: 'p', html: '<b>' } as never] })), /^field passages\[0\]\.html: unknown field$/],
    ['a passage over 2000 characters', JSON.stringify(makeReport(9, { passages: [{ pageText: 'p'.repeat(2001) }] })), /^field passages\[0\]\.pageText: longer than 2000/],
  ])('answers 400 with the field and reason for %s', async (_what, body, error) => {
    const before = (await list()).length;
    const r = await post(origin, reporter, `bad-${Math.random().toString(36).slice(2)}`, body);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(error);
    expect(await list()).toHaveLength(before);
  });

  it('accepts empty outlet, original id and original url, and passages without original text', async () => {
    const r = await post(origin, reporter, 'minimal', makeReport(10, { outlet: '', originalId: '', originalUrl: '', passages: [{ pageText: 'only the page' }] }));
    expect(r.status).toBe(201);
  });

  it('answers 413 for a body over 256 KiB and stores nothing', async () => {
    const before = (await list()).length;
    const huge = JSON.stringify(makeReport(11, { passages: Array.from({ length: 50 }, () => ({ pageText: 'x'.repeat(2000), originalText: 'y'.repeat(2000) })) })) + ' '.repeat(100_000);
    expect(Buffer.byteLength(huge)).toBeGreaterThan(256 * 1024);
    const r = await post(origin, reporter, 'huge', huge);
    expect(r.status).toBe(413);
    expect(r.body.error).toMatch(/larger than 262144 bytes/);
    expect(await list()).toHaveLength(before);
  });

  it('answers 400 for a missing or malformed Idempotency-Key and 415 for another content type', async () => {
    expect((await post(origin, reporter, undefined, makeReport(12))).status).toBe(400);
    const bad = await post(origin, reporter, 'has space', makeReport(12));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^header Idempotency-Key/);
    expect((await post(origin, reporter, 'k'.repeat(129), makeReport(12))).status).toBe(400);
    expect((await post(origin, reporter, 'ok-key', makeReport(12), { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('answers 401 without a token or with an unknown one', async () => {
    const none = await post(origin, undefined, 'k-401', makeReport(13));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await post(origin, 'not-a-real-token', 'k-401', makeReport(13))).status).toBe(401);
    expect((await post(origin, reporter, 'k-401', makeReport(13), { authorization: `Basic ${reporter}` })).status).toBe(401);
    expect((await list()).some((r) => r.url === makeReport(13).url)).toBe(false);
  });

  it('lets only an admin token list, export and change reports', async () => {
    expect((await request(origin, '/api/reports')).status).toBe(401);
    expect((await request(origin, '/api/reports', reporter)).status).toBe(403);
    expect((await request(origin, '/api/reports?format=csv', reporter)).status).toBe(403);
    expect((await request(origin, '/api/originals.jsonl', reporter)).status).toBe(403);
    const id = (await list())[0]!.id;
    const patch = await request(origin, `/api/reports/${id}`, reporter, { method: 'PATCH', body: JSON.stringify({ status: 'confirmed' }) });
    expect(patch.status).toBe(403);
    expect((await list()).find((r) => r.id === id)?.status).toBe('new');
  });

  it('delivers concurrent posts with the same key exactly once', async () => {
    const report = makeReport(20);
    const answers = await Promise.all(Array.from({ length: 25 }, () => post(origin, reporter, 'race-key', report)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(24);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect((await list()).filter((r) => r.url === report.url)).toHaveLength(1);
  });

  it('stores every one of many concurrent posts with different keys', async () => {
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => post(origin, i % 2 ? reporter : reporter2, `many-${i}`, makeReport(100 + i))));
    expect(answers.map((a) => a.status)).toEqual(Array(60).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(60);
    const urls = new Set((await list()).map((r) => r.url));
    for (let i = 0; i < 60; i++) expect(urls.has(makeReport(100 + i).url)).toBe(true);
  });

  it('rate-limits each token: 429 with Retry-After once the burst is spent, other tokens unaffected', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(limited.origin, reporter, `rl-${i}`, makeReport(200 + i))).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    const limitedAnswer = await post(limited.origin, reporter, 'rl-5', makeReport(205));
    expect(limitedAnswer.status).toBe(429);
    const retry = Number(limitedAnswer.headers.get('retry-after'));
    expect(Number.isInteger(retry) && retry >= 1 && retry <= 12).toBe(true);
    expect((await list()).some((r) => r.url === makeReport(205).url)).toBe(false);
    expect((await post(limited.origin, reporter2, 'rl-other', makeReport(206))).status).toBe(201);
  });

  it('filters the list by status, outlet, platform, since and originalId, and refuses bad filters', async () => {
    await post(origin, reporter, 'f-1', makeReport(300, { outlet: 'cgtn', platform: 'weibo', originalId: 'cgtn-300' }));
    await post(origin, reporter, 'f-2', makeReport(301, { outlet: 'cgtn', platform: 'wechat', originalId: 'cgtn-301' }));
    expect((await list('?outlet=cgtn')).map((r) => r.url)).toEqual([makeReport(300).url, makeReport(301).url]);
    expect((await list('?outlet=cgtn&platform=weibo')).map((r) => r.originalId)).toEqual(['cgtn-300']);
    expect((await list('?originalId=cgtn-301')).map((r) => r.platform)).toEqual(['wechat']);
    expect(await list(`?since=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`)).toEqual([]);
    expect((await list('?since=2020-01-01')).length).toBe((await list()).length);
    expect((await list('?status=rejected')).length).toBe(0);
    for (const q of ['?status=done', '?platform=myspace', '?since=soon', '?format=xml', '?sort=id']) {
      const r = await request(origin, `/api/reports${q}`, admin);
      expect(r.status, q).toBe(400);
    }
  });

  it('sets a status with PATCH and refuses unknown statuses and ids', async () => {
    const { body } = await post(origin, reporter, 'p-1', makeReport(400));
    const patch = (id: number | string, b: unknown) => request(origin, `/api/reports/${id}`, admin, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    const ok = await patch(body.id, { status: 'rejected' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ id: body.id, status: 'rejected' });
    expect((await list('?status=rejected')).map((r) => r.id)).toEqual([body.id]);
    expect((await patch(body.id, { status: 'done' })).status).toBe(400);
    expect((await patch(body.id, { status: 'new', note: 'x' })).status).toBe(400);
    expect((await patch(999_999, { status: 'new' })).status).toBe(404);
    // A replay after a status change answers with the report's current status.
    const replay = await post(origin, reporter, 'p-1', makeReport(400));
    expect(replay.body).toEqual({ id: body.id, status: 'rejected' });
  });

  it('exports CSV with RFC 4180 quoting and formula cells defused', async () => {
    const tricky = makeReport(500, { title: 'Comma, "quote"\nand newline', note: '=HYPERLINK("http://evil")', outlet: '+cmd', originalId: '-2+3', verdict: 'copy' });
    const { body } = await post(origin, reporter, 'csv-1', { ...tricky, originalUrl: 'https://x.example/@a' });
    await post(origin, reporter, 'csv-2', makeReport(501, { note: '@SUM(A1)' }));
    const dressed = await post(origin, reporter, 'csv-3', makeReport(502, { note: ' =1+1', title: '\t\t+cmd', outlet: '\u3000\uff1dHYPERLINK("x")', originalId: '\uff20a', verdict: 'copy' }));
    expect(dressed.status).toBe(201);
    const r = await request(origin, '/api/reports?format=csv', admin);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = parseCsv(r.body as string);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.length).toBe((await list()).length + 1);
    const row = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows.find((x) => x[0] === String(body.id))![i]]));
    expect(row).toMatchObject({ title: 'Comma, "quote"\nand newline', note: `'=HYPERLINK("http://evil")`, outlet: "'+cmd", originalId: "'-2+3", reporter: 'reporter one', passages: '1' });
    expect(rows.some((x) => x.includes("'@SUM(A1)"))).toBe(true);
    const row3 = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows.find((x) => x[0] === String(dressed.body.id))![i]]));
    expect(row3).toMatchObject({ note: "' =1+1", title: "'\t\t+cmd", outlet: `'\u3000\uff1dHYPERLINK("x")`, originalId: "'\uff20a" });
    for (const x of rows.slice(1)) for (const cell of x) expect(cell.startsWith("'") || !looksLikeFormula(cell), cell).toBe(true);
  });

  it('exports confirmed reports with an original URL as originals JSONL that the index builder reads', async () => {
    const confirm = (id: number) => request(origin, `/api/reports/${id}`, admin, { method: 'PATCH', body: JSON.stringify({ status: 'confirmed' }) });
    const a = await post(origin, reporter, 'o-1', makeReport(600, { originalId: '', outlet: 'globaltimes', originalUrl: 'https://www.globaltimes.cn/77.shtml', createdAt: '2026-11-03T10:00:00Z', passages: [{ pageText: 'p1', originalText: 'First paragraph.' }, { pageText: 'p2', originalText: 'Second paragraph.' }] }));
    const b = await post(origin, reporter2, 'o-2', makeReport(601, { originalId: '', outlet: 'globaltimes', originalUrl: 'https://www.globaltimes.cn/77.shtml', createdAt: '2026-11-01T10:00:00Z', passages: [{ pageText: 'p', originalText: 'Second paragraph.' }, { pageText: 'q', originalText: 'Third paragraph.' }] }));
    const zh = await post(origin, reporter, 'o-3', makeReport(602, { originalId: '', outlet: 'xinhua', originalUrl: 'https://www.news.cn/zh/1.htm', passages: [{ pageText: '页', originalText: '新华社北京电' }] }));
    const noUrl = await post(origin, reporter, 'o-4', makeReport(603, { originalId: 'x-1', originalUrl: '' }));
    const noText = await post(origin, reporter, 'o-5', makeReport(604, { originalId: 'x-2', passages: [{ pageText: 'page only' }] }));
    await post(origin, reporter, 'o-6', makeReport(605, { originalId: 'unconfirmed' }));
    for (const r of [a, b, zh, noUrl, noText]) expect((await confirm(r.body.id)).status).toBe(200);

    const r = await request(origin, '/api/originals.jsonl', admin);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = (r.body as string).split('\n').filter(Boolean);
    const parsed = lines.map((l) => parseOriginalLine(l));
    for (const p of parsed) expect(typeof p).toBe('object');
    expect(parsed).toEqual([
      { id: 'https://www.globaltimes.cn/77.shtml', outlet: 'globaltimes', url: 'https://www.globaltimes.cn/77.shtml', title: 'Copied article 600', published: '2026-11-01', lang: 'en', text: 'First paragraph.\n\nSecond paragraph.\n\nThird paragraph.' },
      { id: 'https://www.news.cn/zh/1.htm', outlet: 'xinhua', url: 'https://www.news.cn/zh/1.htm', title: 'Copied article 602', published: '2026-11-20', lang: 'zh', text: '新华社北京电' },
    ]);
    // Reports about an original the index holds (they carry its id) are never exported: a passage-only
    // copy must not replace it. The addresses of confirmed originals the index lacks, for the publisher.
    const indexed = await post(origin, reporter, 'o-7', makeReport(606, { originalId: 'gt-78', originalUrl: 'https://www.globaltimes.cn/78.shtml' }));
    expect((await confirm(indexed.body.id)).status).toBe(200);
    expect(((await request(origin, '/api/originals.jsonl', admin)).body as string).split('\n').filter(Boolean)).toHaveLength(2);
    const urls = await request(origin, '/api/originals.txt', admin);
    expect(urls.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(urls.body).toBe('https://www.globaltimes.cn/77.shtml\nhttps://www.news.cn/zh/1.htm\n');
    expect((await request(origin, '/api/originals.txt', reporter)).status).toBe(403);
  });

  it('answers CORS preflights for extension and loopback origins only', async () => {
    const preflight = (o: string) =>
      request(origin, '/api/reports', undefined, { method: 'OPTIONS', headers: { origin: o, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' } });
    for (const o of ['chrome-extension://abcdefghijklmnopabcdefghijklmnop', 'moz-extension://0d6b8c1e-1c2d-4c8e-9f00-123456789abc', 'http://127.0.0.1:5173', 'http://localhost:3000']) {
      const r = await preflight(o);
      expect(r.status, o).toBe(204);
      expect(r.headers.get('access-control-allow-origin')).toBe(o);
      expect(r.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type, Idempotency-Key');
      expect(r.headers.get('access-control-allow-methods')).toContain('POST');
    }
    for (const o of ['https://evil.example', 'http://127.0.0.1.evil.example', 'null']) {
      const r = await preflight(o);
      expect(r.status, o).toBe(403);
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
    }
    const posted = await post(origin, reporter, 'cors-1', makeReport(700), { origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' });
    expect(posted.status).toBe(201);
    expect(posted.headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
  });

  it('answers 500 with a generic error when the database fails, and logs the cause', async () => {
    const broken = await backend.open();
    const logged: string[] = [];
    const s = await startReportServer({ store: broken, port: 0, log: (l) => logged.push(l) });
    try {
      await broken.close();
      const r = await post(s.origin, reporter, 'db-down', makeReport(800));
      expect(r.status).toBe(500);
      expect(r.body).toEqual({ error: 'internal error' });
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatch(/^report-server: POST \/api\/reports: /);
    } finally {
      await s.close();
    }
  });

  it('serves the review page with a strict CSP, and 404/405 elsewhere', async () => {
    const page = await request(origin, '/review');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(page.body).toContain('<script src="/review.js" defer></script>');
    const js = await request(origin, '/review.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.body).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    expect(js.body).toContain('sessionStorage');
    expect(() => new Function(js.body as string)).not.toThrow(); // valid JavaScript
    expect((await request(origin, '/review.css')).status).toBe(200);
    expect((await request(origin, '/nothing')).status).toBe(404);
    expect((await request(origin, '/api/reports', admin, { method: 'DELETE' })).status).toBe(405);
  });
});
