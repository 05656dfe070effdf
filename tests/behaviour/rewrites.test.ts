/**
 * Behaviour of the rewrite tier against the bundled starter index, on the
 * hand-written corpus (tests/fixtures/rewrites/) and seeded mechanical
 * rewrites. The benchmark (npm run bench -- --only rewrites) measures the
 * corpus as a whole; these tests pin the promises a reader relies on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_INDEX, loadRegistry } from '../../lib/cli/cli-support';
import { readIndexDir } from '../../lib/index/index-dir';
import type { MemoryIndex } from '../../lib/index/memory-index';
import { americanStem } from '../../lib/rewrite/spelling';
import { scanPage } from '../../lib/scan-page';
import { stemmer } from 'stemmer';
import { loadFixtures, type Lang } from '../support/make-pages';
import { britishSpelling, embedInPage, hardWrap, loadRewriteCorpus, mechanicalRewrites } from '../support/rewrite-generator';
import { HOLDOUT_DEV, holdoutSet, loadHoldout } from '../bench/holdout';
import { fixtureIndex } from '../bench/rewrites';
import { DEFAULT_THRESHOLDS, levelOf, thresholdsFor } from '../../lib/match/judge';
import { matchText } from '../../lib/match/match-text';

const fx = loadFixtures();
const reg = loadRegistry();
const corpus = loadRewriteCorpus();
let index: MemoryIndex;
beforeAll(async () => {
  index = await readIndexDir(BUNDLED_INDEX);
});
const scan = (text: string) => scanPage({ text }, index, reg);
const source = (v: Awaited<ReturnType<typeof scan>>) => v.finding?.candidate.original.id;

describe('rewritten copies', () => {
  it('independent reports of the same events (names, figures and officials’ quotes shared, wording their own) are never copies', async () => {
    const independent = corpus.filter((p) => p.group === 'independent');
    expect(independent.length).toBeGreaterThanOrEqual(48);
    for (const p of independent) expect((await scan(p.text)).verdict, p.id).toBe('none');
  });

  it('finds fact-for-fact paraphrases (every sentence reworded) as rewritten copies of their originals', async () => {
    const paraphrases = corpus.filter((p) => p.id.startsWith('pp-'));
    let found = 0;
    for (const p of paraphrases) {
      const v = await scan(p.text);
      if (v.verdict === 'uncredited' && source(v) === p.source) {
        found++;
        expect(v.finding!.candidate.reuse, p.id).not.toBe('verbatim');
      }
    }
    expect(found / paraphrases.length).toBeGreaterThanOrEqual(0.8);
  });

  it('finds news briefs condensed from an original, also those that hit a single gram of its sketch', async () => {
    const briefs = corpus.filter((p) => p.kind === 'short-item' && p.label === 'wholly' && p.lang === 'en');
    expect(briefs.length).toBeGreaterThanOrEqual(12);
    let found = 0;
    for (const p of briefs) if (source(await scan(p.text)) === p.source) found++;
    // 10 of 13 on 2026-12-01 (8 of 13 when a candidate needed two sketch hits); the rest share only names and figures.
    expect(found / briefs.length).toBeGreaterThanOrEqual(0.75);
    // A 75-word post whose only sketch hit is one gram of its source: short pages need one hit, ranked by rarity.
    const post = corpus.find((x) => x.id === 'rw2-en-010')!;
    expect(post.text.split(/\s+/).length).toBeLessThan(90);
    expect(source(await scan(post.text))).toBe(post.source);
  });

  it('finds a rewritten story inside a page three times longer (a live blog, a portal page, comments around it) as partial reuse', async () => {
    // Its wording is measured where it tells the original's story, not diluted by the page around it.
    const rewrites = corpus.filter((p) => p.label === 'wholly' && p.kind !== 'short-item' && p.group !== 'same-facts');
    expect(rewrites.length).toBeGreaterThanOrEqual(60);
    let found = 0;
    for (const [i, p] of rewrites.entries()) {
      const v = await scan(embedInPage(p, fx.filler[p.lang], i).text);
      if (source(v) === p.source) found++;
    }
    // 2026-12-01: 82 of 90 (39 of 90 when the wording share was taken over the whole page).
    expect(found / rewrites.length).toBeGreaterThanOrEqual(0.85);
    for (const [i, p] of corpus.filter((x) => x.group === 'independent').entries())
      expect((await scan(embedInPage(p, fx.filler[p.lang], i).text)).verdict, p.id).toBe('none');
  });

  it('judges a rewritten copy the same when its text is hard-wrapped (plain-text files, wire copy, e-mail)', async () => {
    const pages = corpus.filter((p) => p.kind !== 'short-item' && p.group !== 'same-facts').filter((_, i) => i % 3 === 0);
    expect(pages.length).toBeGreaterThanOrEqual(50);
    for (const p of pages) {
      const flat = await scan(p.text);
      const wrapped = await scan(hardWrap(p.text, p.lang));
      expect([wrapped.verdict, source(wrapped), wrapped.finding?.level], p.id).toEqual([flat.verdict, source(flat), flat.finding?.level]);
    }
  });

  it('judges a rewritten copy the same when it is respelled the British way (colour, centre, organisation, programme …)', async () => {
    const english = corpus.filter((p) => p.lang === 'en' && p.group !== 'same-facts');
    const respelled = english.map((p) => ({ p, text: britishSpelling(p.text) })).filter(({ p, text }) => text !== p.text);
    expect(respelled.length).toBeGreaterThanOrEqual(60);
    for (const { p, text } of respelled.filter((_, i) => i % 2 === 0)) {
      const flat = await scan(p.text);
      const british = await scan(text);
      expect([british.verdict, source(british), british.finding?.level], p.id).toEqual([flat.verdict, source(flat), flat.finding?.level]);
    }
  });

  it('credits a rewrite that names its source in its own words ("according to Xinhua", "据新华社报道")', async () => {
    for (const p of corpus.filter((x) => x.credited)) {
      const v = await scan(p.text);
      if (v.verdict === 'none') continue; // a heavy rewrite may be missed; a found one must be credited
      expect(v.verdict, p.id).toBe('credited');
      expect(source(v)).toBe(p.source);
    }
  });

  it('does not take the outlet named inside a rewritten sentence ("told the Global Times") as credit', async () => {
    const p = corpus.find((x) => x.id === 'rw-en-001')!;
    const o = fx.originals.en.find((x) => x.id === p.source)!;
    expect(o.outlet).toBe('global-times');
    const first = p.text.split('\n\n')[0]!;
    const text = p.text.replace(first, first.replace(/\.$/, ', its chief engineer told the Global Times.'));
    const v = await scan(text);
    expect(v.verdict).toBe('uncredited');
    expect(source(v)).toBe(p.source);
  });

  it('pairs each rewritten page sentence with the original sentence it says the same as, shared words marked', async () => {
    const p = corpus.find((x) => x.id === 'pp-en-004')!;
    const v = await scan(p.text);
    expect(source(v)).toBe(p.source);
    const original = fx.originals.en.find((x) => x.id === p.source)!.text;
    const rewritten = v.finding!.candidate.passages.filter((q) => q.kind === 'rewritten');
    expect(rewritten.length).toBeGreaterThan(5);
    for (const q of rewritten) {
      const marked = q.pageMarks!.map(([a, b]) => p.text.slice(a, b).toLowerCase());
      const inOriginal = original.slice(q.origStart, q.origEnd).toLowerCase();
      expect(marked.length).toBeGreaterThan(0);
      // The same word in the original (in its American spelling when the page spells it the British way: metres, meters).
      for (const w of marked) {
        const american = americanStem(stemmer(w));
        const found = inOriginal.includes(w.slice(0, 4)) || (american !== stemmer(w) && inOriginal.includes(american.slice(0, 4)));
        expect(found, `${w} in ${inOriginal}`).toBe(true);
      }
    }
  });

  it.each(['en', 'zh'] as Lang[])('finds mechanical rewrites (%s) at every strength', async (lang) => {
    const pages = mechanicalRewrites(fx.originals[lang].slice(0, 8), fx.filler[lang], 7, () => lang);
    for (const strength of ['light', 'medium', 'heavy']) {
      const some = pages.filter((p) => p.label === 'wholly' && p.strength === strength);
      let found = 0;
      for (const p of some) if (source(await scan(p.text)) === p.source) found++;
      expect(found / some.length, strength).toBeGreaterThanOrEqual(0.85);
    }
  });
});

describe('a heavy rewrite that mirrors its original', () => {
  // The held-out corpus's dev half (tests/fixtures/holdout/, sets en-b and zh-a): wire stories and newspaper pages
  // written by sessions that never saw the thresholds. Its heavy rewrites reword almost every sentence (8-word runs
  // shared: 0–4%) but keep the original's sentences, facts and order.
  const ho = loadHoldout();
  const dev = (p: { id: string }) => HOLDOUT_DEV.has(holdoutSet(p.id));
  let hoIndex: MemoryIndex;
  beforeAll(() => {
    hoIndex = fixtureIndex([...ho.originals.filter(dev), ...fx.originals.en, ...fx.originals.zh], true);
  });

  it('is a copy of its original even with little wording left: most of the page derived, in the original’s order, most of the original retold', async () => {
    const heavy = ho.pages.filter((p) => dev(p) && p.kind === 'wholly-heavy');
    expect(heavy.length).toBe(12);
    for (const p of heavy) {
      const v = await scanPage({ text: p.text }, hoIndex, reg);
      expect(v.verdict, p.id).toBe('uncredited');
      expect(v.finding!.candidate.original.id, p.id).toBe(p.source);
    }
  });

  it('makes no independent report of an event a copy or more reuse than without it, at any sensitivity (the rewrite corpus’s independent and same-facts reports, the held-out dev half’s same-event reports)', async () => {
    const negatives = [...corpus.filter((p) => p.label === 'none'), ...ho.pages.filter((p) => dev(p) && p.kind === 'same-event')];
    expect(negatives.length).toBeGreaterThanOrEqual(78);
    const order = { copy: 2, partial: 1 } as const;
    for (const sensitivity of ['low', 'normal', 'high'] as const) {
      const t = thresholdsFor(sensitivity);
      const off = { ...t, rewriteMirrorOrder: 2 };
      for (const p of negatives) {
        const m = await matchText(p.text, hoIndex);
        for (const c of m.candidates) {
          const got = levelOf(c, t);
          expect(got, `${p.id} (${sensitivity})`).toBe(levelOf(c, off));
          if (sensitivity === 'normal') expect(order[got as 'copy'] ?? 0, p.id).toBeLessThan(2);
        }
      }
    }
  });

  it('needs the mirrored structure for the lower wording bar: out of order, or less of the page derived, it is not reuse', async () => {
    const heavy = ho.pages.find((p) => p.id === 'ho-en-b-2-wh')!;
    const m = await matchText(heavy.text, hoIndex);
    const c = m.candidates.find((x) => x.original.id === heavy.source)!;
    // Below the wording bar of a page that does not mirror its original (what makes it a test of the rule).
    expect(c.rewrite!.regionGrams).toBeLessThan(DEFAULT_THRESHOLDS.rewriteMinWording);
    expect(levelOf(c, DEFAULT_THRESHOLDS)).toBe('copy');
    expect(levelOf({ ...c, rewrite: { ...c.rewrite!, order: 0.8 } }, DEFAULT_THRESHOLDS)).toBeUndefined();
    expect(levelOf({ ...c, pageCoverage: 0.6 }, DEFAULT_THRESHOLDS)).toBeUndefined();
    expect(levelOf({ ...c, originalCoverage: 0.5 }, DEFAULT_THRESHOLDS)).toBeUndefined();
    expect(levelOf({ ...c, rewrite: { ...c.rewrite!, regionGrams: 0.02 } }, DEFAULT_THRESHOLDS)).toBeUndefined();
  });
});
