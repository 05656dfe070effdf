/**
 * The verbatim tier's lookups in two steps (lib/match/match-text.ts, verbatimLookups): a store that
 * knows which hashes it may hold reads a sample first, verifies the sample's best originals from
 * their texts and leaves their fingerprints' rows unread. The matches must be those of reading
 * every row; a copy page must read fewer rows.
 */
import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_INDEX } from '../../lib/cli/cli-support';
import { readIndexDir } from '../../lib/index/index-dir';
import type { MemoryIndex } from '../../lib/index/memory-index';
import { matchText, type TextMatch } from '../../lib/match/match-text';
import { DexieIndexReader, IndexDb, importIndex } from '../../lib/store/index-db';
import { loadFixtures, makeCopy, paragraphs, rng, type Lang } from '../support/make-pages';
import { DEFAULT_PARAMS, kgramHashes } from '../../lib/fingerprint';
import { segment } from '../../lib/text/normalize';

/** A page's k-grams (what the matcher looks up, before its distinct ones are taken). */
function segmentGrams(text: string): Uint32Array {
  const seg = segment(text);
  return kgramHashes(seg.units, seg.length, DEFAULT_PARAMS.k);
}

const fx = loadFixtures();
let mem: MemoryIndex;
let reader: DexieIndexReader;
beforeAll(async () => {
  mem = await readIndexDir(BUNDLED_INDEX);
  const db = new IndexDb('staged-lookup');
  await importIndex(db, mem);
  reader = (await DexieIndexReader.open(db))!;
  await reader.loadFilters();
});

/**
 * The reader, counting the verbatim hashes it is asked for that its filter admits; `staged: false`
 * takes its `mayHold` away (the matcher then reads every row at once, as for the in-memory index);
 * `noise` makes the filter also admit one hash in 25 that the index does not hold (a large index's
 * filter passes a few percent of absent hashes).
 */
function counting(staged: boolean, noise = false): { index: DexieIndexReader; asked: () => number } {
  let n = 0;
  const index = Object.create(reader) as DexieIndexReader;
  const admits = (hashes: Uint32Array, doc?: number) => {
    const may = reader.mayHold(hashes, doc)!;
    if (noise) for (let i = 0; i < hashes.length; i++) if (hashes[i]! % 25 === 7) may[i] = 1;
    return may;
  };
  (index as { mayHold?: unknown }).mayHold = staged ? admits : undefined;
  index.lookup = (hashes, tier, opts) => {
    if ((tier ?? 'verbatim') === 'verbatim') n += admits(hashes).reduce((s, b) => s + b, 0);
    return reader.lookup(hashes, tier, opts);
  };
  return { index, asked: () => n };
}

const summary = (m: TextMatch) =>
  m.candidates.map((c) => ({
    id: c.original.id,
    pageCoverage: c.pageCoverage,
    originalCoverage: c.originalCoverage,
    matchedUnits: c.matchedUnits,
    reuse: c.reuse,
    passages: c.passages,
    alsoIn: c.alsoIn.map((a) => a.id).sort(),
  }));

function pages(lang: Lang): Array<{ name: string; text: string; copy: boolean }> {
  const o = fx.originals[lang];
  const r = rng(lang === 'en' ? 7 : 8);
  const out: Array<{ name: string; text: string; copy: boolean }> = [];
  for (const i of [0, 5, 9, 14]) {
    out.push({ name: `full ${o[i]!.id}`, text: makeCopy(r, fx, o[i]!, lang, 'verbatim', 1).text, copy: true });
    out.push({ name: `commentary ${o[i]!.id}`, text: makeCopy(r, fx, o[i]!, lang, 'commentary', 1).text, copy: true });
    out.push({ name: `30% ${o[i]!.id}`, text: makeCopy(r, fx, o[i]!, lang, 'verbatim', 0.3).text, copy: false });
  }
  // Two originals' halves on one page, and a page of one original with a paragraph of another.
  const a = paragraphs(o[2]!.text);
  const b = paragraphs(o[11]!.text);
  out.push({ name: 'two halves', text: [...a.slice(0, a.length >> 1), ...b.slice(b.length >> 1)].join('\n\n'), copy: false });
  out.push({ name: 'one and a paragraph', text: [...a, b[1]!].join('\n\n'), copy: true });
  // A short paragraph of another original inside the copy, and one sentence of it.
  out.push({ name: 'a paragraph inside', text: [...a.slice(0, 2), b[1]!, ...a.slice(2)].join('\n\n'), copy: true });
  const sentence = b[2]!.split(lang === 'en' ? /(?<=\.) / : /(?<=。)/)[0]!;
  out.push({ name: 'a sentence inside', text: [...a.slice(0, 2), sentence, ...a.slice(2)].join('\n\n'), copy: true });
  for (const n of fx.negatives[lang].slice(0, 3)) out.push({ name: `negative ${n.id}`, text: n.text, copy: false });
  return out;
}

describe('verbatim lookups in two steps', () => {
  it.each([
    ['en', false],
    ['zh', false],
    ['en', true],
    ['zh', true],
  ] as Array<[Lang, boolean]>)('match %s pages as reading every row does (filter passing absent hashes: %s; without, exactly); a copy reads at most half of the hashes', async (lang, noise) => {
    let fewer = 0;
    for (const p of pages(lang)) {
      const staged = counting(true, noise);
      const all = counting(false, noise);
      const [s, a] = [await matchText(p.text, staged.index), await matchText(p.text, all.index)];
      if (!noise) expect(summary(s), p.name).toEqual(summary(a));
      else {
        // A filter that passes absent hashes may pass an original's stop-hash (dropped from the index:
        // text many originals share) among the fingerprints its text gives: one more hit inside text
        // the page shares with it, which can join its passages. The originals found are the same.
        const found = (m: TextMatch) => m.candidates.map((c) => [c.original.id, c.reuse, c.alsoIn.map((x) => x.id).sort()]);
        expect(found(s), p.name).toEqual(found(a));
      }
      expect(staged.asked(), p.name).toBeLessThanOrEqual(all.asked());
      // Pages with few hashes the index may hold (32 or fewer) read them all at once.
      if (p.copy && all.asked() > 32) {
        expect(s.candidates.length, p.name).toBeGreaterThan(0);
        expect(staged.asked(), p.name).toBeLessThanOrEqual(all.asked() / 2);
        fewer++;
      }
    }
    expect(fewer).toBeGreaterThanOrEqual(7);
  });

  it('reads in two steps while the filters are not read yet (the first page after the worker starts): the matches of the in-memory index, which reads every hash at once; a full copy reads at most half of the rows', async () => {
    const db = new IndexDb('staged-lookup-unfiltered');
    await importIndex(db, mem);
    const cold = (await DexieIndexReader.open(db))!;
    expect(cold.mayHold(new Uint32Array([1, 2, 3]))).toBeUndefined();
    let fewer = 0;
    for (const lang of ['en', 'zh'] as Lang[])
      for (const p of pages(lang)) {
        let asked = 0;
        const counted = Object.create(cold) as DexieIndexReader;
        // Its lookups load the filters once they pause: the matcher must not see them (the cold path throughout).
        counted.mayHold = () => undefined;
        counted.lookup = (hashes, tier, opts) => {
          if ((tier ?? 'verbatim') === 'verbatim') asked += hashes.length;
          return cold.lookup(hashes, tier, opts);
        };
        const m = await matchText(p.text, counted);
        const all = await matchText(p.text, mem);
        expect(summary(m), p.name).toEqual(summary(all));
        // Without filters every hash outside the copied text is read (3–4 in 5 on a page half commentary);
        // a page that is one original's copy reads its sample and its original's fingerprints: at most half.
        const distinct = new Set(segmentGrams(p.text)).size;
        if (p.copy) expect(asked, p.name).toBeLessThan(distinct * 0.85);
        if (p.name.startsWith('full ')) {
          expect(asked, p.name).toBeLessThanOrEqual(distinct / 2);
          fewer++;
        }
      }
    expect(fewer).toBe(8);
    db.close();
  });
});
