/**
 * The inbox's search by words answered by an index (SQLite: FTS5 trigram tables; PostgreSQL: pg_trgm),
 * on both backends: the same cases, in the same order, as the scan it replaces (which the store runs when
 * it has no index: `wordIndex = null`), for English and Chinese words, short words, wildcards taken
 * literally, filters and pages; the index kept in step as reports arrive and cases merge and split; a
 * database of the previous schema (version 2) upgraded in place; and PostgreSQL without pg_trgm falling
 * back to the scan with a log line.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listCases, mergeCases, splitCopy, wordSearchPath, type CaseFilter } from '../../lib/report-server/cases';
import { SCHEMA_VERSION, schemaVersion } from '../../lib/report-server/centre-schema';
import { openStore } from '../../lib/report-server/open-store';
import { reportHash, type ReportInput } from '../../lib/report-server/schema';
import type { ReportStore } from '../../lib/report-server/store';
import { startPostgres, type PgCluster } from '../support/postgres';
import { BACKENDS, makeBackend, makeReport, type Backend } from '../support/report-backends';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
});

/** Fictional reports: English and Chinese titles, addresses and ids with %, _ and quotes. */
function reports(): ReportInput[] {
  const titles = [
    'Harbour cranes return to work',
    '岚山河大桥合龙仪式举行',
    'Orchard harvest doubles in Linfeng',
    '临风县果园丰收 产量翻番',
    'Rail line opens to the coast',
    'The "quoted" ferry timetable',
    '岚山河沿岸新建湿地公园',
    'Harbour lights festival',
    '100% of the seedlings survived',
    'Snow_line retreats in Qingmu',
  ];
  return Array.from({ length: 30 }, (_, i) =>
    makeReport(i, {
      title: `${titles[i % titles.length]!} ${i}`,
      url: i % 7 === 3 ? `https://copy.example/港口/${i}_A%20b` : `https://copy.example/article/${i}`,
      // Every fifth without an original; from 24 on, the originals of 12 to 17 again (they join those cases).
      originalUrl: i % 5 === 4 ? '' : `https://english.news.cn/${i < 24 ? i : i - 12}.htm`,
      originalId: i % 5 === 4 ? '' : `xh-${i < 24 ? i : i - 12}`,
      platform: i % 2 ? 'weibo' : 'news',
      createdAt: new Date(Date.parse('2026-11-20T08:00:00Z') + i * 3_600_000).toISOString(),
    }),
  );
}

const QUERIES = [
  'harbour', 'HARBOUR', 'cranes return', 'festival', 'copy.example', 'article/1', 'english.news', 'xh-1', 'xh-11', 'linfeng', 'nothing like this',
  '岚山河', '大桥合龙', '果园丰收', '港口', '岚山', '河', 'a', 'xh', '%', '_', '100%', 'snow_line', '"quoted"', '"', 'a%20b', 'the', ' ',
];

async function fill(store: ReportStore, rs: ReportInput[], from = 0) {
  const token = (await store.findToken('word-search-token')) ?? (await store.createToken('word search', false, 'word-search-token'));
  for (let i = 0; i < rs.length; i++) await store.insertReport(token.id, `w${from + i}`, reportHash(rs[i]!), rs[i]!, `2026-11-2${(from + i) % 10}T00:00:00.000Z`);
}

/** The cases the scan gives (no index), for comparison. */
async function scan(store: ReportStore, f: CaseFilter) {
  const saved = store.db.wordIndex;
  store.db.wordIndex = null;
  try {
    return (await listCases(store.db, f)).map((c) => c.id);
  } finally {
    store.db.wordIndex = saved;
  }
}

/** Every query, with and without filters and pages, through the index (windows 0: the index alone; 2; the default) against the scan. */
async function expectSameAsScan(store: ReportStore) {
  const top = Number((await store.db.read.get('SELECT MAX(id) AS m FROM cases'))!.m);
  let nonEmpty = 0;
  for (const q of QUERIES)
    for (const f of [
      { search: q, limit: 50 },
      { search: q, limit: 3 },
      { search: q, limit: 5, status: 'open' as const },
      { search: q, limit: 4, platform: 'weibo', before: Math.ceil(top / 2) + 1 },
    ]) {
      const expected = await scan(store, f);
      if (expected.length) nonEmpty++;
      for (const window of [0, 2, undefined]) expect((await listCases(store.db, f, window)).map((c) => c.id), `${JSON.stringify(f)} window ${window}`).toEqual(expected);
    }
  expect(nonEmpty).toBeGreaterThan(QUERIES.length * 2); // the comparison is not between empty answers
}

describe.each(BACKENDS)('search by words on %s', (kind) => {
  let backend: Backend;
  let store: ReportStore;
  beforeAll(async () => {
    backend = await makeBackend(kind, cluster);
    store = await backend.open();
    await fill(store, reports());
  });
  afterAll(async () => {
    await store?.close();
    await backend?.cleanup();
  });

  it('has its index, and says which words it answers', () => {
    expect(store.db.wordIndex?.kind).toBe(kind === 'sqlite' ? 'fts5' : 'pg_trgm');
    expect(wordSearchPath(store.db, 'harbour')).toBe('index');
    expect(wordSearchPath(store.db, 'xh')).toBe('scan'); // fewer than 3 characters: no trigram
    expect(wordSearchPath(store.db, 'a-b')).toBe(kind === 'sqlite' ? 'index' : 'scan'); // pg_trgm: no 3 letters or digits in a row
    // The test cluster is made with --locale=C: there pg_trgm makes no trigram of Chinese, so Chinese words are scanned.
    expect(wordSearchPath(store.db, '岚山河')).toBe(kind === 'sqlite' ? 'index' : 'scan');
    expect(wordSearchPath(store.db, '岚山')).toBe('scan');
  });

  it('finds what the scan finds, in the same order, English and Chinese, with filters and pages', async () => {
    const titles = async (q: string) => (await listCases(store.db, { search: q, limit: 50 }, 0)).map((c) => c.title);
    expect(await titles('harbour cranes')).toEqual(['Harbour cranes return to work 20', 'Harbour cranes return to work 10', 'Harbour cranes return to work 0']);
    expect(await titles('大桥合龙')).toEqual(['岚山河大桥合龙仪式举行 21', '岚山河大桥合龙仪式举行 11', '岚山河大桥合龙仪式举行 1']);
    expect(await titles('"quoted"')).toEqual(['The "quoted" ferry timetable 15', 'The "quoted" ferry timetable 5']); // 25 joined case 13
    expect(await titles('article/25')).toEqual(['临风县果园丰收 产量翻番 13']);
    // A copy's address only (stored as the URL parser writes it: 港口 percent-encoded, so not found as 港口).
    expect(await titles('_A%20B')).toEqual(['Rail line opens to the coast 24', 'Harbour lights festival 17', 'Harbour cranes return to work 10', '临风县果园丰收 产量翻番 3']);
    expect(await titles('港口')).toEqual([]);
    await expectSameAsScan(store);
  });

  it('keeps the index in step: new cases and copies, an original learned later, merges and splits', async () => {
    // Case 5 (i = 4) had no original: a later report about the same page gives it one.
    await fill(
      store,
      [
        makeReport(4, { title: 'whatever', url: 'https://copy.example/article/4', originalUrl: 'https://english.news.cn/zephyr-99.htm', originalId: 'zephyr-99' }),
        makeReport(100, { title: '青木雪线后退 新报道', url: 'https://copy.example/zephyr/one', originalUrl: 'https://english.news.cn/200.htm', originalId: 'xh-200' }),
        makeReport(101, { title: 'A new copy', url: 'https://copy.example/zephyr/two', originalUrl: 'https://english.news.cn/200.htm', originalId: 'xh-200' }),
      ],
      100,
    );
    const ids = async (q: string) => (await listCases(store.db, { search: q, limit: 50 }, 0)).map((c) => c.id);
    const [zephyrCase] = await ids('zephyr/one');
    expect(await ids('zephyr-99')).toHaveLength(1);
    expect(await ids('青木雪线后退')).toEqual([zephyrCase]);
    expect(await ids('zephyr/two')).toEqual([zephyrCase]);
    // Split the second copy out, then merge a harbour case into it: the copies follow their cases.
    const split = await splitCopy(store.db, zephyrCase!, 'https://copy.example/zephyr/two', 'tester');
    expect(await ids('zephyr/two')).toEqual([split.id]);
    const [harbour] = await ids('cranes return to work 20');
    await mergeCases(store.db, split.id, harbour!, 'tester', 2);
    expect(await ids('cranes return to work 20')).toEqual([]); // the merged case's title stays with it (merged cases are left out)
    expect(await ids('article/20')).toEqual([split.id]); // its copy moved
    await expectSameAsScan(store);
    if (kind === 'sqlite') {
      const n = async (s: string) => Number((await store.db.read.get(s))!.n);
      expect(await n('SELECT COUNT(*) AS n FROM case_words')).toBe(await n('SELECT COUNT(*) AS n FROM cases'));
      expect(await n('SELECT COUNT(*) AS n FROM copy_words')).toBe(await n('SELECT COUNT(*) AS n FROM case_copies'));
      // A copy removed (no route does it; the trigger keeps the table right if one ever does).
      await store.db.tx(async (sql) => {
        await sql.run('DELETE FROM case_reports WHERE copy_url = ?', ['https://copy.example/zephyr/one']);
        await sql.run('DELETE FROM case_copies WHERE url = ?', ['https://copy.example/zephyr/one']);
      });
      expect(await ids('zephyr/one')).toEqual([]);
      expect(await n('SELECT COUNT(*) AS n FROM copy_words')).toBe(await n('SELECT COUNT(*) AS n FROM case_copies'));
    }
  });
});

/** Turns a database of this version back into one of schema version 2 (the word index is all version 3 added). */
async function toVersion2(store: ReportStore) {
  await store.db.tx(async (sql) => {
    if (store.kind === 'sqlite') {
      for (const t of ['case_words_insert', 'case_words_update', 'case_words_delete', 'copy_words_insert', 'copy_words_update', 'copy_words_delete']) await sql.run(`DROP TRIGGER ${t}`);
      await sql.run('DROP TABLE case_words');
      await sql.run('DROP TABLE copy_words');
    } else await sql.run('DROP EXTENSION pg_trgm CASCADE'); // and its indexes
    await sql.run("UPDATE meta SET value = '2' WHERE key = 'schema'");
  });
}

describe.each(BACKENDS)('upgrade of a version-2 database on %s', (kind) => {
  it('builds the word index from the rows it holds, and keeps it from then on', async () => {
    const backend = await makeBackend(kind, cluster);
    try {
      let store = await backend.open();
      await fill(store, reports());
      await toVersion2(store);
      await store.close();
      store = await backend.open();
      try {
        expect(await schemaVersion(store.db.read)).toBe(SCHEMA_VERSION);
        if (kind === 'sqlite') expect(Number((await store.db.read.get('SELECT COUNT(*) AS n FROM copy_words'))!.n)).toBe(30);
        else expect(Number((await store.db.read.get("SELECT COUNT(*) AS n FROM pg_indexes WHERE indexname LIKE '%_trgm'"))!.n)).toBe(4);
        await fill(store, [makeReport(200, { title: 'Upgraded harbour report' })], 200);
        expect((await listCases(store.db, { search: 'upgraded harbour', limit: 50 }, 0)).map((c) => c.title)).toEqual(['Upgraded harbour report']);
        await expectSameAsScan(store);
      } finally {
        await store.close();
      }
    } finally {
      await backend.cleanup();
    }
  });
});

describe('PostgreSQL without pg_trgm', () => {
  it('says so once and answers by the scan, with the same results', async () => {
    const backend = await makeBackend('postgres', cluster);
    const admin = new pg.Client({ connectionString: backend.databaseUrl });
    await admin.connect();
    // A role that may make tables but not extensions (no CREATE on the database): CREATE EXTENSION fails.
    const role = `nosearch_${process.pid}`;
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`GRANT CREATE ON SCHEMA public TO ${role}`);
    await admin.end();
    const url = backend.databaseUrl.replace('postgres://postgres@', `postgres://${role}@`);
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    let store: ReportStore;
    try {
      store = await openStore({ dataDir: backend.dataDir, databaseUrl: url });
    } finally {
      spy.mockRestore();
    }
    try {
      expect(lines.filter((l) => l.includes('search by words without an index'))).toHaveLength(1);
      expect(lines.join('')).toMatch(/pg_trgm extension or its indexes could not be created or used \(permission denied to create extension "pg_trgm"/);
      expect(store.db.wordIndex).toBeNull();
      expect(wordSearchPath(store.db, 'harbour')).toBe('scan');
      await fill(store, reports());
      expect((await listCases(store.db, { search: 'harbour cranes', limit: 50 }, 0)).map((c) => c.title)).toEqual([
        'Harbour cranes return to work 20',
        'Harbour cranes return to work 10',
        'Harbour cranes return to work 0',
      ]);
      expect(await schemaVersion(store.db.read)).toBe(SCHEMA_VERSION);
    } finally {
      await store.close();
      await backend.cleanup();
    }
  });
});
