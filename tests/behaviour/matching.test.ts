/**
 * Behaviour of the whole engine (match + judge) on copies made the ways real
 * pages make them, in English and Chinese, against the bundled starter index.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_INDEX, loadRegistry } from '../../lib/cli/cli-support';
import { readIndexDir } from '../../lib/index/index-dir';
import type { MemoryIndex } from '../../lib/index/memory-index';
import { scanPage } from '../../lib/scan-page';
import {
  creditLine, loadFixtures, makeCopy, OBFUSCATIONS, paragraphs, rng, stripSourceTag, toTraditional, type Lang,
} from '../support/make-pages';
import { rewriteParagraphs } from '../support/rewrite-generator';

const fx = loadFixtures();
const reg = loadRegistry();
let index: MemoryIndex;
beforeAll(async () => {
  index = await readIndexDir(BUNDLED_INDEX);
});
const scan = (text: string, extra: Record<string, unknown> = {}) => scanPage({ text, ...extra }, index, reg);
const names = Object.fromEntries(reg.outlets.map((o) => [o.id, o.names]));

describe.each(['en', 'zh'] as Lang[])('copies of %s originals', (lang) => {
  const originals = fx.originals[lang];
  const classes = OBFUSCATIONS.filter((o) => !(lang === 'en' && o === 'traditional'));
  it.each(classes)('finds the original of a full copy with %s, uncredited', async (ob) => {
    const r = rng(ob.length * 31 + lang.length);
    for (const o of [originals[1]!, originals[6]!, originals[13]!]) {
      const page = makeCopy(r, fx, o, lang, ob, 1);
      const v = await scan(page.text);
      expect(v.verdict, `${o.id} ${ob}`).toBe('uncredited');
      expect(v.finding!.candidate.original.id).toBe(o.id);
      expect(v.finding!.candidate.original.outlet).toBe(o.outlet);
      // Commentary and reworded sentences are not shared text, so they lower the page's coverage.
      const floor = ob === 'combined' ? 0.35 : ob === 'commentary' || ob === 'mixed-language' ? 0.5 : ob === 'reworded-every-5th' ? 0.55 : 0.7;
      expect(v.finding!.candidate.pageCoverage).toBeGreaterThan(floor);
    }
  });
  it('finds a copy of 30% of an original as reuse of that original', async () => {
    const r = rng(30);
    for (const o of originals.slice(0, 8)) {
      const page = makeCopy(r, fx, o, lang, 'verbatim', 0.3);
      const v = await scan(page.text);
      expect(['uncredited', 'partial'], o.id).toContain(v.verdict);
      expect(v.finding!.candidate.original.id).toBe(o.id);
      expect(v.finding!.candidate.originalCoverage).toBeLessThan(0.6);
    }
  });
  it('marks a copy that names its source as credited', async () => {
    const r = rng(5);
    for (const o of originals.slice(2, 8)) {
      const page = makeCopy(r, fx, o, lang, 'commentary', 1);
      const v = await scan(`${page.text}\n\n${creditLine(o, lang, names, r)}`);
      expect(v.verdict, o.id).toBe('credited');
      expect(v.finding!.candidate.original.id).toBe(o.id);
    }
  });
  it('gives evidence: passages with page offsets and aligned offsets in the original', async () => {
    const o = originals[4]!;
    const text = [fx.commentary[lang][0], stripSourceTag(o.text)].join('\n\n');
    const v = await scan(text);
    const c = v.finding!.candidate;
    expect(c.passages.length).toBeGreaterThan(0);
    const origText = (await index.text(c.original.doc))!;
    for (const p of c.passages) {
      expect(p.pageEnd).toBeGreaterThan(p.pageStart);
      const pageSlice = text.slice(p.pageStart, p.pageEnd);
      const origSlice = origText.slice(p.origStart!, p.origEnd!);
      expect(origSlice.length).toBeGreaterThan(10);
      // A verbatim passage reads the same on the page and in the original.
      expect(pageSlice).toBe(origSlice);
    }
  });
  it('leaves independent articles on the same event alone (hard negatives)', async () => {
    for (const n of fx.negatives[lang]) {
      const v = await scan(n.text);
      expect(v.verdict, n.id).toBe('none');
    }
  });
  it('leaves unrelated text alone', async () => {
    const v = await scan(fx.filler[lang].join('\n\n'));
    expect(v.verdict).toBe('none');
    expect(v.match.candidates).toEqual([]);
  });
});

describe('special cases', () => {
  it('does not flag a page whose only overlap is an official statement many outlets quote', async () => {
    for (const id of ['en-neg-011', 'en-neg-012']) expect((await scan(fx.negatives.en.find((n) => n.id === id)!.text)).verdict).toBe('none');
    for (const id of ['zh-neg-011', 'zh-neg-012']) expect((await scan(fx.negatives.zh.find((n) => n.id === id)!.text)).verdict).toBe('none');
  });
  it('credits the original on its own domain and a syndication partner', async () => {
    const o = fx.originals.en.find((x) => x.outlet === 'xinhua')!;
    const own = await scan(o.text, { url: o.url });
    expect(own.verdict).toBe('credited');
    expect(own.finding!.credit!.kind).toBe('own-site');
    const partner = await scan(o.text, { url: 'https://world.people.com.cn/n1/2026/0101/c1002-1.html' });
    expect(partner.verdict).toBe('credited');
    expect(partner.finding!.credit!.kind).toBe('partner');
  });
  it('credits a Traditional-script source line for a Simplified original', async () => {
    const o = fx.originals.zh.find((x) => x.outlet === 'global-times')!;
    const v = await scan(`${toTraditional(stripSourceTag(o.text))}\n\n來源：環球時報`);
    expect(v.verdict).toBe('credited');
  });
  it('finds an English original copied inside a Chinese page', async () => {
    const o = fx.originals.en[9]!;
    const v = await scan(`${fx.commentary.zh[3]}\n\n${o.text}\n\n${fx.commentary.zh[8]}`);
    expect(v.verdict).toBe('uncredited');
    expect(v.finding!.candidate.original.id).toBe(o.id);
  });
  it('finds a copy with paragraphs shuffled and every 5th sentence reworded', async () => {
    const o = fx.originals.zh[10]!;
    const r = rng(11);
    const reworded = makeCopy(r, fx, o, 'zh', 'reworded-every-5th', 1).text;
    const shuffled = paragraphs(reworded).reverse().join('\n\n');
    const v = await scan(shuffled);
    expect(v.finding!.candidate.original.id).toBe(o.id);
    expect(v.verdict).toBe('uncredited');
  });
  it('looks no rewrite-tier grams up for a page one original explains word for word: its reworded sentences come from aligning that original; without the text the tier is asked', async () => {
    for (const lang of ['en', 'zh'] as Lang[]) {
      const o = fx.originals[lang][lang === 'en' ? 3 : 10]!;
      // Its first paragraphs word for word, the rest rewritten.
      const paras = paragraphs(o.text);
      const cut = Math.ceil(paras.length * 0.6);
      const page = [...paras.slice(0, cut), ...rewriteParagraphs(rng(12), paras.slice(cut), lang, 'heavy')].join('\n\n');
      const issued: string[] = [];
      const counting = Object.create(index) as MemoryIndex;
      counting.lookup = (hashes, tier, opts) => (issued.push(tier ?? 'verbatim'), index.lookup(hashes, tier, opts));
      const v = await scanPage({ text: page }, counting, reg);
      expect(v.finding!.candidate.original.id, lang).toBe(o.id);
      expect(issued, lang).toEqual(['verbatim']);
      const c = v.finding!.candidate;
      expect(c.rewrite?.aligned, lang).toBe(true);
      expect(c.passages.some((q) => q.kind === 'rewritten'), lang).toBe(true);
      expect(c.pageCoverage, lang).toBeGreaterThan(c.verbatimPageCoverage);
      // An index without texts: the rewrite evidence is the sketch estimate, from the tier's lookups.
      issued.length = 0;
      const textless = Object.create(counting) as MemoryIndex;
      textless.text = async () => undefined;
      const w = await scanPage({ text: page }, textless, reg);
      expect(w.finding!.candidate.original.id, lang).toBe(o.id);
      expect(issued, lang).toEqual(['verbatim', 'rewrite']);
      expect(w.finding!.candidate.rewrite?.aligned, lang).toBe(false);
      expect(w.finding!.candidate.rewrite!.hits, lang).toBeGreaterThan(0);
    }
  });
  it('counts text once where two passages split by a gap in the hits both extend into it: a copy with another original\'s paragraph gets the rest of the page, not all of it', async () => {
    for (const lang of ['en', 'zh'] as Lang[]) {
      const a = paragraphs(fx.originals[lang][2]!.text);
      const b = paragraphs(fx.originals[lang][11]!.text);
      const v = await scan([...a, b[1]!].join('\n\n'));
      const [first, second] = v.match.candidates;
      expect(first!.original.id, lang).toBe(fx.originals[lang][2]!.id);
      expect(second!.original.id, lang).toBe(fx.originals[lang][11]!.id);
      // The page's units are one original's or the other's: the shares add up to the page at most.
      expect(first!.pageCoverage + second!.pageCoverage, lang).toBeLessThanOrEqual(1.001);
      const spans = first!.passages.map((q) => [q.pageStart, q.pageEnd] as const).sort((x, y) => x[0] - y[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0], lang).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    }
  });
  it('returns none for empty and tiny pages', async () => {
    for (const t of ['', '   ', '据新华社报道', 'The spokesperson said on Tuesday.', fx.originals.en[0]!.text.slice(0, 60)]) {
      const v = await scan(t);
      expect(v.verdict, JSON.stringify(t)).toBe('none');
    }
  });
  it('handles a 5 MB page: finds the copy inside it', async () => {
    const o = fx.originals.zh[7]!;
    const filler = fx.filler.en.join('\n\n');
    const parts: string[] = [];
    let size = 0;
    while (size < 5_000_000) {
      parts.push(filler);
      size += filler.length;
    }
    parts.splice(Math.floor(parts.length / 2), 0, stripSourceTag(o.text));
    const v = await scan(parts.join('\n\n'));
    expect(v.match.candidates[0]!.original.id).toBe(o.id);
    // A small copy on a huge page is partial reuse of the original, found all the same.
    expect(v.finding!.candidate.originalCoverage).toBeGreaterThan(0.9);
  });
});
