/**
 * Synthetic originals with text, for `index build` at any size (bench:build)
 * and the streaming builder's tests: invented English-like words made of
 * syllables and invented Chinese words of random CJK characters, drawn with
 * Zipf-like frequencies into sentences and paragraphs of news-article length
 * (English 150–450 words, Chinese 400–1,200 characters; about the starter
 * originals' mean). Some originals are near-copies of an earlier one (another
 * outlet, a sentence changed, one dropped: syndication), and some end with an
 * outlet's fixed closing line (boilerplate, which becomes stop-hashes). Outlets, addresses and
 * dates are synthetic-meta.ts's (real outlets' address patterns, a year in order). Every
 * original is a function of its number and the seed, so a file of any size is
 * generated as a stream.
 */
import type { OriginalInput } from '../../lib/index/types';
import { rng } from './make-pages';
import { syntheticMeta } from './synthetic-meta';

const SYLLABLES = ['lan', 'feng', 'mor', 'ta', 'ki', 'ven', 'do', 'sa', 'rul', 'pe', 'qin', 'ho', 'mi', 'zar', 'tu', 'bel', 'no', 'cas', 'ri', 'len', 'gu', 'wan', 'os', 'te', 'pra', 'di', 'shu', 'ma', 'lo', 'ber'];

let enWords: string[] | undefined;
let zhWords: string[] | undefined;

function vocabulary(lang: 'en' | 'zh'): string[] {
  if (lang === 'en' && enWords) return enWords;
  if (lang === 'zh' && zhWords) return zhWords;
  const r = rng(lang === 'en' ? 4242 : 2424);
  const words = new Set<string>();
  while (words.size < 30_000) {
    if (lang === 'en') {
      // 1–4 syllables (three give fewer than 30,000 words).
      const n = 1 + Math.floor(r() * 4);
      let w = '';
      for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
      words.add(w);
    } else {
      const n = 1 + Math.floor(r() * 3);
      let w = '';
      for (let i = 0; i < n; i++) w += String.fromCharCode(0x4e00 + Math.floor(r() * 0x51a5));
      words.add(w);
    }
  }
  const list = [...words];
  if (lang === 'en') enWords = list;
  else zhWords = list;
  return list;
}

const CLOSINGS = {
  en: ['(Reporting by the synthetic desk; editing by an invented editor)', 'Follow the made-up herald for more invented news.'],
  zh: ['（本文由虚构编辑部整理，仅供测试）', '更多虚构新闻请关注本站。'],
};

function paragraphs(i: number, seed: number): { lang: 'en' | 'zh'; paras: string[][] } {
  const r = rng(seed * 1_000_003 + i);
  const lang = r() < 0.35 ? 'zh' : 'en';
  const words = vocabulary(lang);
  const target = lang === 'en' ? 150 + Math.floor(r() * 300) : 200 + Math.floor(r() * 450);
  const paras: string[][] = [];
  let total = 0;
  while (total < target) {
    const para: string[] = [];
    const sentences = 2 + Math.floor(r() * 4);
    for (let s = 0; s < sentences && total < target; s++) {
      const n = 8 + Math.floor(r() * 18);
      const ws: string[] = [];
      // Zipf-like, flattened at the top for Chinese (its units are characters: eight of them are two or three words).
      const low = lang === 'zh' ? 0.45 : 0.2;
      for (let k = 0; k < n; k++) ws.push(words[Math.floor(Math.pow(words.length, low + (1 - low) * r())) - 1]!);
      total += n;
      if (lang === 'en') {
        const cut = Math.floor(n / 2);
        const first = ws[0]!;
        ws[0] = first[0]!.toUpperCase() + first.slice(1);
        para.push(ws.slice(0, cut).join(' ') + ', ' + ws.slice(cut).join(' ') + '.');
      } else para.push(ws.slice(0, Math.floor(n / 2)).join('') + '，' + ws.slice(Math.floor(n / 2)).join('') + '。');
    }
    paras.push(para);
  }
  return { lang, paras };
}

/** Original number i (0-based) of the stream with this seed. */
export function syntheticOriginal(i: number, seed = 7): OriginalInput {
  const r = rng(seed * 7_000_009 + i * 13 + 5);
  const back = 1 + Math.floor(r() * 1000);
  const copyOf = r() < 0.04 && i >= back ? i - back : -1;
  const { lang, paras } = paragraphs(copyOf >= 0 ? copyOf : i, seed);
  if (copyOf >= 0) {
    // Syndication: the same story, a sentence dropped and one replaced.
    const own = paragraphs(i, seed + 1);
    const p = paras[Math.floor(r() * paras.length)]!;
    if (p.length > 1) p.splice(Math.floor(r() * p.length), 1);
    const q = paras[Math.floor(r() * paras.length)]!;
    if (own.lang === lang) q[Math.floor(r() * q.length)] = own.paras[0]![0]!;
  }
  if (r() < 0.1) paras.push([CLOSINGS[lang][i % 2]!]);
  const text = paras.map((p) => p.join(lang === 'en' ? ' ' : '')).join('\n\n');
  // Outlet, address and date shaped like real output (synthetic-meta.ts); the headline from the lead.
  const m = syntheticMeta(i, seed, lang);
  const lead = paras[0]![0]!;
  const title = lang === 'en' ? lead.split(' ').slice(0, 6 + (i % 7)).join(' ').replace(/[,.]$/, '') : lead.slice(0, 12 + (i % 9)).replace(/[，。]$/, '');
  return { id: `syn-${seed}-${i}`, outlet: m.outlet, url: m.url, title, published: m.published, lang: m.lang, text };
}

/** JSONL lines of originals from … from+n−1 (one string per call, for writing in chunks). */
export function syntheticLines(from: number, n: number, seed = 7): string {
  let out = '';
  for (let i = from; i < from + n; i++) out += JSON.stringify(syntheticOriginal(i, seed)) + '\n';
  return out;
}
