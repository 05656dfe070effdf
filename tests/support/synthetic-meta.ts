/**
 * Metadata shaped like a year of real state-media output, for the benchmarks'
 * synthetic originals: what the store keeps per original (id, outlet, address,
 * title, date, language, text hash) is most of its bytes once postings are
 * packed, and a compressor finds in metadata what repeats in it. Titles that
 * differ only by a number, one outlet and one address pattern would let any
 * compressor shrink them to almost nothing; these do not:
 *  - twelve outlets, each with its own host names and address pattern (dated
 *    paths, numeric or hexadecimal article ids, slugs of the title);
 *  - about 2,700 originals a day, so a year is a million, in publication order
 *    (consecutive originals share dates as a feed's do);
 *  - titles of 6–14 invented words (English) or 12–28 common Han characters
 *    (Chinese, Simplified or Traditional by outlet), drawn Zipf-like;
 *  - a 16-hex-digit text hash (as `index build` writes when texts are given).
 * Every field is a function of the original's number and the seed.
 */
import { rng } from './make-pages';

type Lang = 'en' | 'zh-Hans' | 'zh-Hant';
interface OutletShape {
  id: string;
  lang: Lang;
  url(d: { y: string; m: string; day: string; n: number; hex: string; slug: string }): string;
}

const OUTLETS: OutletShape[] = [
  { id: 'global-times', lang: 'en', url: (d) => `https://www.globaltimes.cn/page/${d.y}${d.m}/${1300000 + (d.n % 700000)}.shtml` },
  { id: 'global-times', lang: 'zh-Hans', url: (d) => `https://world.huanqiu.com/article/${d.hex.slice(0, 11)}` },
  { id: 'xinhua', lang: 'en', url: (d) => `https://english.news.cn/${d.y}${d.m}${d.day}/${d.hex}/c.html` },
  { id: 'xinhua', lang: 'zh-Hans', url: (d) => `http://www.news.cn/politics/${d.y}${d.m}${d.day}/${d.hex}/c.html` },
  { id: 'cgtn', lang: 'en', url: (d) => `https://news.cgtn.com/news/${d.y}-${d.m}-${d.day}/${d.slug}-${d.hex.slice(0, 10)}/index.html` },
  { id: 'peoples-daily', lang: 'en', url: (d) => `http://en.people.cn/n3/${d.y}/${d.m}${d.day}/c90000-${10000000 + (d.n % 9000000)}.html` },
  { id: 'peoples-daily', lang: 'zh-Hans', url: (d) => `http://politics.people.com.cn/n1/${d.y}/${d.m}${d.day}/c1001-${40000000 + (d.n % 9000000)}.html` },
  { id: 'china-daily', lang: 'en', url: (d) => `https://www.chinadaily.com.cn/a/${d.y}${d.m}/${d.day}/WS${d.hex.slice(0, 24)}.html` },
  { id: 'guancha', lang: 'zh-Hans', url: (d) => `https://www.guancha.cn/internation/${d.y}_${d.m}_${d.day}_${700000 + (d.n % 300000)}.shtml` },
  { id: 'chinanews', lang: 'zh-Hans', url: (d) => `https://www.chinanews.com.cn/gn/${d.y}/${d.m}-${d.day}/${10000000 + (d.n % 9000000)}.shtml` },
  { id: 'hkcd', lang: 'zh-Hant', url: (d) => `https://www.hkcd.com/hkcdweb/content/${d.y}/${d.m}/${d.day}/content_${8000000 + (d.n % 1000000)}.html` },
  { id: 'ta-kung-pao', lang: 'zh-Hant', url: (d) => `https://www.takungpao.com/news/232108/${d.y}/${d.m}${d.day}/${900000 + (d.n % 100000)}.html` },
];

const SYLLABLES = ['lan', 'feng', 'mor', 'ta', 'ki', 'ven', 'do', 'sa', 'rul', 'pe', 'qin', 'ho', 'mi', 'zar', 'tu', 'bel', 'no', 'cas', 'ri', 'len', 'gu', 'wan', 'os', 'te', 'pra', 'di', 'shu', 'ma', 'lo', 'ber'];
const EN_FUNCTION = ['to', 'in', 'of', 'for', 'on', 'as', 'with', 'and', 'at', 'after', 'over', 'amid'];
let enTitleWords: string[] | undefined;

function enWords(): string[] {
  if (enTitleWords) return enTitleWords;
  const r = rng(9191);
  const words = new Set<string>();
  while (words.size < 20_000) {
    const n = 1 + Math.floor(r() * 4);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
    words.add(w);
  }
  return (enTitleWords = [...words]);
}

/** Per day, about this many originals (a million a year). */
export const ORIGINALS_A_DAY = 2740;

export interface SyntheticMeta {
  id: string;
  outlet: string;
  url: string;
  title: string;
  published: string;
  lang: Lang;
  sha: string;
}

/** Metadata of synthetic original i (0-based) of the stream with this seed. */
export function syntheticMeta(i: number, seed = 7, lang?: 'en' | 'zh'): SyntheticMeta {
  const r = rng(seed * 9_000_011 + i * 31 + 3);
  const shapes = lang ? OUTLETS.filter((o) => (lang === 'en' ? o.lang === 'en' : o.lang !== 'en')) : OUTLETS;
  const o = shapes[Math.floor(r() * shapes.length)]!;
  const date = new Date(Date.UTC(2025, 11, 1) + Math.floor(i / ORIGINALS_A_DAY) * 86_400_000);
  const [y, m, day] = date.toISOString().slice(0, 10).split('-') as [string, string, string];
  let hex = '';
  for (let k = 0; k < 4; k++) hex += Math.floor(r() * 2 ** 32).toString(16).padStart(8, '0');
  let title: string;
  if (o.lang === 'en') {
    const words = enWords();
    const n = 6 + Math.floor(r() * 9);
    const ws: string[] = [];
    for (let k = 0; k < n; k++) ws.push(k > 1 && r() < 0.2 ? EN_FUNCTION[Math.floor(r() * EN_FUNCTION.length)]! : words[Math.floor(Math.pow(words.length, 0.25 + 0.75 * r())) - 1]!);
    title = ws.map((w, k) => (k === 0 || w.length > 4 ? w[0]!.toUpperCase() + w.slice(1) : w)).join(' ');
  } else {
    const n = 12 + Math.floor(r() * 17);
    title = '';
    // Common characters first (Zipf-like over the 3,500 most used code points of the block's start).
    for (let k = 0; k < n; k++) title += String.fromCharCode(0x4e00 + Math.floor(Math.pow(3500, r())) * 5);
    if (r() < 0.3) title = title.slice(0, n >> 1) + '：' + title.slice(n >> 1);
  }
  const slug = title.toLowerCase().replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'story';
  let sha = '';
  for (let k = 0; k < 2; k++) sha += Math.floor(r() * 2 ** 32).toString(16).padStart(8, '0');
  const url = o.url({ y, m, day, n: Math.floor(r() * 2 ** 31), hex, slug });
  return { id: `${o.id}-${y}${m}${day}-${i}`, outlet: o.id, url, title, published: `${y}-${m}-${day}`, lang: o.lang, sha };
}
