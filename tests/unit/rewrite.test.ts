import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { encodeShard, decodeShard } from '../../lib/feed/format';
import { IndexBuilder } from '../../lib/index/build-index';
import { decodeIndex, encodeIndex } from '../../lib/index/index-codec';
import { sliceIndex } from '../../lib/index/memory-index';
import { alignSentences, orderKept } from '../../lib/rewrite/align-sentences';
import { DEFAULT_REWRITE_PARAMS, distinctGrams, gramRank, sketchGrams, termGrams } from '../../lib/rewrite/grams';
import { contentTerms, isHardWrapped, quotedSpans, splitSentences, TERM_NAME, TERM_NUMBER, TERM_QUOTED } from '../../lib/rewrite/terms';
import { DexieIndexReader, IndexDb, importIndex } from '../../lib/store/index-db';
import { loadFixtures } from '../support/make-pages';

const termsOf = (text: string) => {
  const t = contentTerms(text);
  return Array.from({ length: t.length }, (_, i) => text.slice(t.starts[i], t.ends[i]));
};

describe('content terms', () => {
  it('keeps content words, numbers and Chinese character bigrams, without function words', () => {
    expect(termsOf('The committee approved the new plan on Tuesday after a 3-hour debate.')).toEqual(['committee', 'approved', 'new', 'plan', 'Tuesday', '3', 'hour', 'debate']);
    expect(termsOf('委员会批准了这项计划')).toEqual(['委员', '员会', '会批', '批准', '项计', '计划']);
  });
  it('gives one term to every inflection of a word (Porter stems) and to both Chinese scripts', () => {
    const a = contentTerms('officials announced agreements');
    const b = contentTerms('official announces agreement');
    expect(Array.from(a.hashes.subarray(0, a.length))).toEqual(Array.from(b.hashes.subarray(0, b.length)));
    const s = contentTerms('环球时报发布报告');
    const t = contentTerms('環球時報發布報告');
    expect(Array.from(t.hashes.subarray(0, t.length))).toEqual(Array.from(s.hashes.subarray(0, s.length)));
  });
  it('flags numbers with their units of measure, names and quoted words', () => {
    const text = 'Engineer Wen Lisha said 46 units were sold to cooperatives, five hours after the launch. "Most drones were designed for plains," she said. 共转移1.3万余人。';
    const t = contentTerms(text);
    const flag = (w: string) => t.flags[termsOf(text).indexOf(w)]!;
    expect(flag('Wen') & TERM_NAME).toBeTruthy();
    expect(flag('Engineer') & TERM_NAME).toBeFalsy(); // first word of the sentence
    for (const w of ['46', 'units', 'five', 'hours', '万余', '余人']) expect(flag(w) & TERM_NUMBER, w).toBeTruthy();
    expect(flag('drones') & TERM_QUOTED).toBeTruthy();
    for (const w of ['sold', 'cooperatives', 'launch', '转移']) expect(flag(w) & (TERM_NAME | TERM_NUMBER | TERM_QUOTED), w).toBe(0);
  });
  it('splits sentences at full stops, Chinese end marks and line breaks, not inside numbers or after abbreviations', () => {
    const text = 'Mr. Pan paid 4.2 million yuan. The U.S. firm agreed! 他说：“好。”随后离开。\nNext line';
    expect(splitSentences(text).map(([a, b]) => text.slice(a, b))).toEqual(['Mr. Pan paid 4.2 million yuan.', 'The U.S. firm agreed!', '他说：“好。”', '随后离开。', 'Next line']);
  });
  it('reads hard-wrapped text (lines broken at a fixed width, blank lines between paragraphs) by its sentences, not its lines', () => {
    const text = [
      'The harbour authority said on Monday that the new container berth',
      'would open in March, two months ahead of the schedule set when the',
      'project began, and that "every crane on the quay has passed its',
      'load tests" before the first ship was due.',
      '',
      'Dock workers welcomed the news. Their union asked for more night',
      'shifts to be paid at the higher rate agreed last year for the old',
      'berths on the south side of the port.',
    ].join('\n');
    expect(isHardWrapped(text)).toBe(true);
    expect(splitSentences(text).map(([a, b]) => text.slice(a, b).replace(/\s+/g, ' '))).toEqual([
      'The harbour authority said on Monday that the new container berth would open in March, two months ahead of the schedule set when the project began, and that "every crane on the quay has passed its load tests" before the first ship was due.',
      'Dock workers welcomed the news.',
      'Their union asked for more night shifts to be paid at the higher rate agreed last year for the old berths on the south side of the port.',
    ]);
    // A quotation broken across lines is still one quotation.
    expect(quotedSpans(text).map(([a, b]) => text.slice(a, b).replace(/\s+/g, ' '))).toEqual(['"every crane on the quay has passed its load tests"']);
    // Chinese wrapped at a fixed number of characters: the bigram across the break is kept.
    const zh = '港务局周一表示，新建集装箱泊位将于三月投入使用，比\n项目开工时确定的工期提前两个月，岸边每台起重机均\n已通过负荷试验，首艘船舶预计下旬靠泊作业，届时将\n同步开通夜间通关服务，方便货主办理手续和查验，港\n务局还将在码头设立咨询窗口，解答企业的问题。';
    expect(isHardWrapped(zh)).toBe(true);
    expect(splitSentences(zh)).toHaveLength(1);
    expect(termsOf(zh)).toContain('比\n项');
    // One paragraph per line (what page extraction gives), headings included, is not wrapped text.
    const paragraphs = 'Harbour berth opens early\nThe harbour authority said the berth would open in March.\nDock workers welcomed the news, and their union asked for more night shifts.\nCranes passed their tests.\nFirst ship due next week';
    expect(isHardWrapped(paragraphs)).toBe(false);
    expect(splitSentences(paragraphs)).toHaveLength(5);
  });
  it('finds quoted passages in English and Chinese quotation marks', () => {
    const text = 'He said "we will build it" and 她说“明年完工”，「再說」。';
    expect(quotedSpans(text).map(([a, b]) => text.slice(a, b))).toEqual(['"we will build it"', '“明年完工”', '「再說」']);
  });
});

describe('rewrite-tier grams', () => {
  it('are pairs of terms inside one sentence; pairs of names, numbers or quoted words only are weak', () => {
    const g = termGrams(contentTerms('Engineer Wen Lisha unveiled drones. Farmers cheered.'), 2);
    expect(g.length).toBe(5); // Engineer-Wen, Wen-Lisha, Lisha-unveiled, unveiled-drones, Farmers-cheered; none across the full stop
    expect(Array.from(g.weak.subarray(0, g.length))).toEqual([0, 1, 0, 0, 0]);
  });
  it('keep the same sketch as choosing each share by sorting its grams by rank (every fixture original, both languages)', () => {
    const fx = loadFixtures();
    const p = { terms: 2, k: 2, sketch: 32 };
    let checked = 0;
    for (const o of [...fx.originals.en, ...fx.originals.zh]) {
      const t = contentTerms(o.text);
      const g = termGrams(t, 2);
      const kind = new Map<number, number>();
      const firstAt = new Map<number, number>();
      for (let i = g.length - 1; i >= 0; i--) {
        if (g.weak[i] === 3) continue;
        kind.set(g.hashes[i]!, g.weak[i]!);
        firstAt.set(g.hashes[i]!, g.first[i]!);
      }
      const all = [...firstAt.keys()].reverse();
      if (all.length <= p.sketch) continue;
      const byRank = (a: number, b: number) => gramRank(a) - gramRank(b) || a - b;
      const chosen = new Set<number>();
      const take = (pool: number[], n: number) => {
        for (const h of pool.sort(byRank)) if (chosen.size < n) chosen.add(h);
      };
      take(all.filter((h) => kind.get(h) === 1), 4);
      take(all.filter((h) => kind.get(h) === 2), chosen.size + 6);
      take(all.filter((h) => kind.get(h) === 0 && firstAt.get(h)! < t.length / 3), chosen.size + 10);
      take(all.filter((h) => kind.get(h) === 0), 32);
      take(all, 32);
      expect(Array.from(sketchGrams(t, p).sketch).sort(), o.id).toEqual([...chosen].sort());
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });
  it('keep a sketch: 4 name pairs, 6 topic pairs, 10 of the lede’s wording, the rest wording; all grams of a short text', () => {
    const long = loadFixtures().originals.en[0]!.text;
    const t = contentTerms(long);
    const all = distinctGrams(t, 2);
    const p = { terms: 2, k: 2, sketch: 32 };
    const { sketch, grams } = sketchGrams(t, p);
    expect(grams).toBe(all.length);
    expect(sketch.length).toBe(32);
    const g = termGrams(t, 2);
    const kind = new Map<number, number>();
    const firstAt = new Map<number, number>();
    for (let i = g.length - 1; i >= 0; i--) {
      kind.set(g.hashes[i]!, g.weak[i]!);
      firstAt.set(g.hashes[i]!, g.first[i]!);
    }
    const byRank = (a: number, b: number) => gramRank(a) - gramRank(b) || a - b;
    const of = (k: number, lede = false) => Array.from(all).filter((h) => kind.get(h) === k && (!lede || firstAt.get(h)! < t.length / 3)).sort(byRank);
    const names = of(1).slice(0, 4);
    const topic = of(2).slice(0, 6);
    expect(names.length).toBe(4);
    expect(topic.length).toBe(6);
    const lede = of(0, true).slice(0, 10);
    const rest = of(0).filter((h) => !lede.includes(h)).slice(0, 12);
    expect(Array.from(sketch).sort()).toEqual([...names, ...topic, ...lede, ...rest].sort());
    const short = contentTerms('The ferry lost power off the coast. All passengers were rescued by two tugboats.');
    expect(sketchGrams(short, p).sketch.length).toBe(distinctGrams(short, 2).length);
  });
});

describe('sentence alignment', () => {
  const original =
    'The Kelvar-Ostrin railway entered commercial service on Monday, cutting travel time between the two largest cities to under two hours. ' +
    'The 412-kilometer line has seven stations and 38 tunnels. ' +
    'Ostravel Rail will initially run 46 trains a day in each direction. ' +
    'A second-class ticket costs 39 crowns, about one third less than a domestic flight.';
  it('pairs a rewritten sentence with its source, split and merged sentences included, and marks the shared words', () => {
    const page =
      'Travel time between the two largest cities fell to under two hours on Monday, when the Kelvar-Ostrin railway began commercial service. ' +
      'Ostravel Rail plans 46 trains a day in each direction at first, and a second-class ticket will cost 39 crowns. ' +
      'Local bakers say business is slow this winter.';
    const a = alignSentences(contentTerms(page), contentTerms(original));
    expect(a.pairs.map((p) => [p.page, p.origFirst, p.origLast])).toEqual([
      [0, 0, 0],
      [1, 2, 3],
    ]);
    expect(a.pageCoverage).toBeGreaterThan(0.6);
    expect(a.pageCoverage).toBeLessThan(0.95);
    const marked = a.pairs[0]!.pageMarks.map(([s, e]) => page.slice(s, e));
    expect(marked).toEqual(expect.arrayContaining(['Travel', 'time', 'cities', 'hours', 'railway', 'commercial', 'service']));
    expect(a.order).toBe(1);
  });
  it('does not pair unrelated sentences', () => {
    const a = alignSentences(contentTerms('Local bakers say business is slow this winter. Flour prices rose again.'), contentTerms(original));
    expect(a.pairs).toEqual([]);
    expect(a.pageCoverage).toBe(0);
  });
  it('measures how much of the original order the pairs keep', () => {
    expect(orderKept([0, 1, 2, 3])).toBe(1);
    expect(orderKept([3, 2, 1, 0])).toBe(0.25);
    expect(orderKept([0, 2, 1, 3])).toBe(0.75);
  });
});

describe('the rewrite tier in the index', () => {
  const fx = loadFixtures();
  const build = () => {
    const b = new IndexBuilder({ created: '2026-01-01T00:00:00Z' });
    for (const o of [...fx.originals.en.slice(0, 6), ...fx.originals.zh.slice(0, 6)]) b.add(o);
    return b.finish();
  };
  it('round-trips through the index files and feed shards (and a four-section shard still reads)', () => {
    const ix = build();
    expect(ix.header.rewrite).toMatchObject({ k: 2, sketch: 32 });
    expect(ix.metas.every((m) => m.fps2! > 0 && m.grams! >= m.fps2!)).toBe(true);
    const back = decodeIndex(encodeIndex(ix));
    expect(Array.from(back.postings('rewrite').hashes)).toEqual(Array.from(ix.postings('rewrite').hashes));
    expect(Array.from(back.postings('rewrite').docs)).toEqual(Array.from(ix.postings('rewrite').docs));
    const head = { format: 'provenance-shard' as const, feed: 'f', version: 1, kind: 'full' as const, part: 0, parts: 1, docBase: 0, segmentOriginals: ix.metas.length, header: ix.header };
    const shard = decodeShard(encodeShard(head, sliceIndex(ix, 0, ix.metas.length, 'whole'), false), 'x');
    expect(Array.from(shard.index.postings('rewrite').docs)).toEqual(Array.from(ix.postings('rewrite').docs));
    const { rewrite: _r, ...old } = ix.header;
    const oldShard = decodeShard(encodeShard({ ...head, header: old }, sliceIndex(ix, 0, ix.metas.length, 'whole'), false), 'x');
    expect(oldShard.index.header.rewrite).toBeUndefined();
    expect(oldShard.index.postings('rewrite').hashes.length).toBe(0);
    expect(() => decodeIndex({ ...encodeIndex(ix), rewrite: undefined })).toThrow(/postings-rewrite.bin: missing/);
  });
  it('IndexedDB finds exactly the rewrite postings of the in-memory index', async () => {
    const ix = build();
    const db = new IndexDb('rewrite-tier-test');
    await importIndex(db, ix);
    const reader = (await DexieIndexReader.open(db))!;
    expect(reader.rewrite).toEqual(DEFAULT_REWRITE_PARAMS);
    const r = ix.postings('rewrite');
    const probe = new Uint32Array([...r.hashes.slice(0, 100), 7, 8, ...ix.hashes.slice(0, 20)]);
    expect((await reader.lookup(probe, 'rewrite')).map((l) => Array.from(l))).toEqual(ix.lookupSync(probe, 'rewrite').map((l) => Array.from(l)));
    expect((await reader.lookup(probe)).map((l) => Array.from(l))).toEqual(ix.lookupSync(probe).map((l) => Array.from(l)));
    db.close();
  });
});

describe('common grams', () => {
  it('are the wording pairs that many originals use; they do not count as shared wording', async () => {
    const { GramCounter, commonThreshold } = await import('../../lib/rewrite/common-grams');
    // Twenty court stories that share the genre's formulas and nothing else.
    const names = ['Adler', 'Brook', 'Carver', 'Dunne', 'Ellis', 'Frost', 'Grant', 'Hale', 'Irwin', 'Jarvis', 'Keane', 'Lowe', 'Marsh', 'Nash', 'Oakes', 'Pryce', 'Quinn', 'Royce', 'Shaw', 'Tate'];
    const crimes = ['burglary', 'arson', 'fraud', 'theft', 'assault', 'forgery', 'smuggling', 'bribery', 'poaching', 'vandalism'];
    const story = (i: number) =>
      `A man accused of ${crimes[i % 10]} at a ${['bakery', 'garage', 'chapel', 'marina', 'library'][i % 5]} pleaded guilty at crown court on Monday. ` +
      `${names[i]} was remanded in custody and will be sentenced next month, the judge said. Prosecutors told the jury about ${['ladders', 'receipts', 'lorries', 'gloves'][i % 4]} found nearby.`;
    const b = new IndexBuilder({ created: '2026-01-01T00:00:00Z' });
    names.forEach((_, i) => b.add({ id: `court-${i}`, outlet: 'pa', url: `https://news.test/${i}`, title: `Case ${i}`, published: '2026-01-01', lang: 'en', text: story(i) }));
    const ix = b.finish();
    const common = new Set(ix.header.rewrite!.common);
    const grams = (text: string) => Array.from(distinctGrams(contentTerms(text), 2, true));
    const formula = [...grams('pleaded guilty at crown court on Monday'), ...grams('remanded in custody and will be sentenced next month')];
    expect(formula.length).toBeGreaterThan(3);
    expect(formula.every((g) => common.has(g))).toBe(true);
    expect(grams('ladders found nearby at the bakery').some((g) => !common.has(g))).toBe(true);
    expect(commonThreshold(48)).toBe(8);
    expect(commonThreshold(100_000)).toBe(1000);
    // Counting stays bounded: a gram counted once by every original of a large index is found, a rare one is not kept.
    const c = new GramCounter();
    for (let i = 0; i < 2000; i++) c.add([7, 1000 + i, 999_999 * (i % 3)]);
    expect(c.common()).toEqual([0, 7, 999_999, 1_999_998]);
  });
});

describe('content terms across scripts and numbers', () => {
  it('gives Traditional and Simplified the same terms and flags, function characters and numerals included', () => {
    const s = contentTerms('他们对这个计划表示支持，预计投资两万亿元，一直到年底。');
    const t = contentTerms('他們對這個計劃表示支持，預計投資兩萬億元，一直到年底。');
    expect(Array.from(t.hashes.subarray(0, t.length))).toEqual(Array.from(s.hashes.subarray(0, s.length)));
    expect(Array.from(t.flags.subarray(0, t.length))).toEqual(Array.from(s.flags.subarray(0, s.length)));
    const text = '预计投资两万亿元，一直到年底。';
    const terms = contentTerms(text);
    const flag = (w: string) => terms.flags[Array.from({ length: terms.length }, (_, i) => text.slice(terms.starts[i], terms.ends[i])).indexOf(w)]!;
    expect(flag('两万') & TERM_NUMBER).toBeTruthy();
    expect(flag('一直') & TERM_NUMBER).toBeFalsy();
  });
  it('carries a number to the word right after it only, not across a sentence end', () => {
    const text = 'The plant opened in 2024.\nOfficials welcomed 39 crowns of savings.';
    const t = contentTerms(text);
    const flag = (w: string) => t.flags[Array.from({ length: t.length }, (_, i) => text.slice(t.starts[i], t.ends[i])).indexOf(w)]!;
    expect(flag('Officials') & TERM_NUMBER).toBeFalsy();
    expect(flag('crowns') & TERM_NUMBER).toBeTruthy();
  });
});
