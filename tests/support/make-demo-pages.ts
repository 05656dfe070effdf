/**
 * Writes the demo pages (public/demo/*.html + expected.json) and the
 * page-per-folder fixtures (tests/fixtures/pages/<slug>/{page.html,expected.json})
 * from the fictional fixtures. Deterministic: run `npm run demo:pages` after
 * changing fixtures. Site names and domains of copier sites are fictional (.test).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OriginalInput } from '../../lib/index/types';
import { loadFixtures, paragraphs, rng, stripSourceTag, toTraditional } from './make-pages';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const fx = loadFixtures();
const byId = (id: string): OriginalInput => [...fx.originals.en, ...fx.originals.zh].find((o) => o.id === id)!;
const neg = (id: string) => [...fx.negatives.en, ...fx.negatives.zh].find((o) => o.id === id)!;
const names: Record<string, Record<string, string>> = Object.fromEntries(
  (JSON.parse(readFileSync(join(ROOT, 'public/outlets.json'), 'utf8')).outlets as Array<{ id: string; names: Record<string, string> }>).map((o) => [o.id, o.names]),
);

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const ps = (text: string) => paragraphs(text).map((p) => `<p>${esc(p)}</p>`).join('\n');

interface Expected {
  verdict: 'uncredited' | 'credited' | 'partial' | 'none';
  originalId: string | null;
  outlet: string | null;
  what: string;
  /** The browser demo serves this page from this host (mapped to 127.0.0.1): the original on its own site shows no badge. */
  servedFrom?: string;
}
const copyOf = (o: OriginalInput, verdict: Expected['verdict'], what: string): Expected => ({ verdict, originalId: o.id, outlet: o.outlet, what });
const none = (what: string): Expected => ({ verdict: 'none', originalId: null, outlet: null, what });

function news(opts: { site: string; canonical?: string; title: string; body: string; lang?: string; head?: string; charset?: string; byline?: string }): string {
  return `<!DOCTYPE html>
<html lang="${opts.lang ?? 'en'}">
<head>
<meta charset="${opts.charset ?? 'utf-8'}">
<title>${esc(opts.title)} | ${esc(opts.site)}</title>
${opts.canonical ? `<link rel="canonical" href="${esc(opts.canonical)}">` : ''}
<meta property="og:title" content="${esc(opts.title)}">
<meta property="og:site_name" content="${esc(opts.site)}">
${opts.head ?? ''}
<style>
body{margin:0;font:17px/1.65 Georgia,'Noto Serif CJK SC',serif;color:#222;background:#fafafa}
header{background:#1f2d3d;color:#fff;padding:12px 24px}header a{color:#cfd8e3;margin-right:14px;text-decoration:none;font:14px system-ui,sans-serif}
.brand{font:700 20px system-ui,sans-serif;margin-right:24px;color:#fff}
.wrap{display:flex;gap:32px;max-width:1080px;margin:0 auto;padding:24px}
article{flex:1;background:#fff;padding:24px 32px;border-radius:6px}
article h1{font:700 30px/1.25 system-ui,sans-serif;margin:0 0 8px}
.byline{color:#777;font:14px system-ui,sans-serif;margin-bottom:20px}
aside{width:260px;font:14px/1.5 system-ui,sans-serif}aside h3{font-size:13px;text-transform:uppercase;color:#777}aside li{margin:6px 0}
footer{text-align:center;color:#888;font:13px system-ui,sans-serif;padding:24px}
</style>
</head>
<body>
<header><span class="brand">${esc(opts.site)}</span><nav><a href="#">World</a><a href="#">Business</a><a href="#">Tech</a><a href="#">Opinion</a></nav></header>
<div class="wrap">
<article>
<h1>${esc(opts.title)}</h1>
<div class="byline">${esc(opts.byline ?? 'By the editors')}</div>
${opts.body}
</article>
<aside><h3>Most read</h3><ul><li><a href="#">City council approves new bus routes</a></li><li><a href="#">Weekend weather: rain clears by Sunday</a></li><li><a href="#">Local bakery wins regional award</a></li></ul></aside>
</div>
<footer>© ${esc(opts.site)} — a fictional site for the Provenance Badges demo</footer>
</body>
</html>
`;
}

function weChat(opts: { title: string; account: string; body: string; canonical: string; time: string }): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(opts.title)}</title>
<link rel="canonical" href="${esc(opts.canonical)}">
<meta property="og:title" content="${esc(opts.title)}">
<style>
body{margin:0;background:#ededed;font:17px/1.75 -apple-system,'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif;color:#333}
.rich_media{max-width:677px;margin:0 auto;background:#fff;padding:20px 16px 40px}
.rich_media_title{font-size:22px;line-height:1.4;margin:0 0 14px}
.rich_media_meta_list{font-size:15px;color:#888;margin-bottom:22px}#js_name{color:#576b95;text-decoration:none;margin-right:10px}
#js_content p{margin:0 0 18px;text-align:justify}
.tip{color:#888;font-size:14px}
</style>
</head>
<body>
<div class="rich_media">
<h1 class="rich_media_title" id="activity-name">${esc(opts.title)}</h1>
<div class="rich_media_meta_list"><a id="js_name" href="javascript:void(0)">${esc(opts.account)}</a><em id="publish_time">${esc(opts.time)}</em></div>
<div class="rich_media_content" id="js_content">
${opts.body}
</div>
</div>
<script>var ct = "${Math.floor(Date.parse(opts.time.replace(' ', 'T') + ':00Z') / 1000)}"; var nickname = "${esc(opts.account)}";</script>
</body>
</html>
`;
}

function withComments(o: OriginalInput, lang: 'en' | 'zh', seed: number): string {
  const r = rng(seed);
  const c = fx.commentary[lang];
  const pick = () => c[Math.floor(r() * c.length)]!;
  const paras = paragraphs(stripSourceTag(o.text));
  const mid = Math.floor(paras.length / 2);
  return [pick(), pick(), ...paras.slice(0, mid), pick(), ...paras.slice(mid), pick()].map((p) => `<p>${esc(p)}</p>`).join('\n');
}

export function demoPages(): Record<string, { html: string; expected: Expected }> {
  const out: Record<string, { html: string; expected: Expected }> = {};
  const add = (file: string, html: string, expected: Expected) => (out[file] = { html, expected });

  const o1 = byId('en-002');
  add('en-copy-verbatim.html', news({ site: 'Daily Digest', canonical: 'https://daily-digest.test/2026/02/rail-line.html', title: 'New high-speed line halves travel time', body: ps(stripSourceTag(o1.text)) }), copyOf(o1, 'uncredited', 'A news aggregator republishes an English original word for word under its own title, no credit.'));

  const o2 = byId('en-006');
  add('en-copy-commentary.html', news({ site: 'The Plain Reader', canonical: 'https://plain-reader.test/posts/battery-plant', title: 'What the new battery plant means for us', body: withComments(o2, 'en', 2), byline: 'Posted by Sam' }), copyOf(o2, 'uncredited', 'A blog wraps the full original in commentary before, between and after its paragraphs.'));

  const o3 = byId('en-013');
  const part = paragraphs(stripSourceTag(o3.text)).slice(1, 4).map((p) => `<p>${esc(p)}</p>`).join('\n');
  const own = fx.filler.en.slice(0, 5).map((p) => `<p>${esc(p)}</p>`);
  add('en-copy-partial.html', news({ site: 'Weekend Notes', canonical: 'https://weekend-notes.test/week-32', title: 'Week in review: council, bakery, solar', body: [...own.slice(0, 3), part, ...own.slice(3)].join('\n') }), copyOf(o3, 'partial', "A long page of the blogger's own writing with three paragraphs of an original pasted in the middle."));

  const o4 = byId('en-024');
  add('en-credited-source.html', news({ site: 'Daily Digest', canonical: 'https://daily-digest.test/2026/06/dragon-boats.html', title: 'Dragon boat teams race on the Jinhe', body: `${ps(stripSourceTag(o4.text))}<p><em>Source: ${esc(names[o4.outlet]!.en!)}</em></p>` }), copyOf(o4, 'credited', 'A full copy with a visible "Source: Xinhua" line.'));

  const o5 = byId('en-017');
  add('en-credited-link.html', news({ site: 'Nature Bulletin', canonical: 'https://nature-bulletin.test/cranes', title: 'Cranes return to Heilu Lake', body: `${ps(stripSourceTag(o5.text))}<p><a href="${esc(o5.url)}">Read the original</a></p>` }), copyOf(o5, 'credited', 'A full copy with a "Read the original" link to the original.'));

  const o6 = byId('en-023');
  add('en-original-own-site.html', news({ site: names[o6.outlet]!.en!, canonical: o6.url, title: o6.title, body: ps(o6.text) }), { ...copyOf(o6, 'credited', "The original as published on its own outlet's site: no badge in the browser."), servedFrom: new URL(o6.url).hostname });

  add('en-unrelated.html', news({ site: 'Riverside Courier', canonical: 'https://riverside-courier.test/local', title: 'Around town this week', body: fx.filler.en.slice(10, 17).map((p) => `<p>${esc(p)}</p>`).join('\n') }), none('Unrelated local news.'));

  const n1 = neg('en-neg-004');
  add('en-hard-negative.html', news({ site: 'Valley Blog', canonical: 'https://valley-blog.test/flood', title: n1.title, body: ps(n1.text) }), none('An independently written article on the same flood as an original: same names and numbers, different words.'));

  const z1 = byId('zh-005');
  add('zh-wechat-copy.html', weChat({ title: '家门口的大工厂开工了！', account: '澜州生活圈', canonical: 'https://mp.weixin.qq.com/s/Xb3kQ9mLpR2tVw7yZc1aHd', time: '2026-05-09 08:30', body: withComments(z1, 'zh', 9) }), copyOf(z1, 'uncredited', 'A WeChat public-account article: commentary around a Chinese original copied in full, no source.'));

  const z2 = byId('zh-016');
  add('zh-wechat-credited.html', weChat({ title: '候鸟来了，快去芦汀湖看看', account: '湖畔随笔', canonical: 'https://mp.weixin.qq.com/s/Qm8rT2vYw4nP6sKd0eLx1b', time: '2026-11-02 19:05', body: `${withComments(z2, 'zh', 16)}<p class="tip">来源：${esc(names[z2.outlet]!['zh-Hans']!)}</p>` }), copyOf(z2, 'credited', 'A WeChat article copying an original, ending with "来源：<outlet>".'));

  const z3 = byId('zh-019');
  const half = paragraphs(stripSourceTag(z3.text)).slice(0, 3).map((p) => `<p>${esc(p)}</p>`).join('');
  add('zh-weibo-copy.html', `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>微博正文</title><link rel="canonical" href="https://weibo.com/5820013377/Pq1Zx9KcM"><style>body{background:#f2f2f5;font:15px/1.7 'PingFang SC','Noto Sans CJK SC',sans-serif}.card{max-width:600px;margin:20px auto;background:#fff;border-radius:8px;padding:16px}.name{color:#eb7350;font-weight:600}.time{color:#999;font-size:12px}</style></head><body><div class="card"><div class="name">财经小观察</div><div class="time">10-05 09:12 来自 微博 weibo.com</div><article class="weibo-text"><p>${esc(fx.commentary.zh[12]!)}</p>${half}</article></div></body></html>`, copyOf(z3, 'uncredited', 'A Weibo-style post: a short comment and the first half of a Chinese original.'));

  const z4 = byId('zh-014');
  add('zh-traditional-copy.html', news({ site: '港島論壇', canonical: 'https://hk-forum.test/thread/88231', title: toTraditional('山区学校新校区启用'), lang: 'zh-Hant', body: ps(toTraditional(stripSourceTag(z4.text))), byline: '樓主：海風' }), copyOf(z4, 'uncredited', 'A Hong Kong forum post copying a Simplified original converted to Traditional characters.'));

  const z5 = byId('zh-022');
  add('zh-news-credited-link.html', news({ site: '城市资讯网', canonical: 'https://city-info.test/news/0921.html', title: '老旧小区改造提速', lang: 'zh-CN', body: `${ps(stripSourceTag(z5.text))}<p><a href="${esc(z5.url)}">原文链接</a></p>` }), copyOf(z5, 'credited', 'A Chinese portal page with the full copy and a 原文链接 link to the original.'));

  const z6 = byId('zh-008');
  add('zh-original-own-site.html', news({ site: names[z6.outlet]!['zh-Hans']!, canonical: z6.url, title: z6.title, lang: 'zh-CN', body: ps(z6.text) }), { ...copyOf(z6, 'credited', "A Chinese original on its own outlet's site: no badge in the browser."), servedFrom: new URL(z6.url).hostname });

  add('zh-unrelated.html', news({ site: '社区快报', canonical: 'https://community-news.test/today', title: '社区一周', lang: 'zh-CN', body: fx.filler.zh.slice(5, 12).map((p) => `<p>${esc(p)}</p>`).join('\n') }), none('Unrelated Chinese local news.'));

  const n2 = neg('zh-neg-011');
  add('zh-statement-only.html', news({ site: '咖啡笔记', canonical: 'https://coffee-notes.test/veridia', title: n2.title, lang: 'zh-CN', body: ps(n2.text) }), none('An independent article whose only overlap with originals is an official statement several outlets quote.'));
  return out;
}

/** Encodes text with a legacy Chinese charset using the decoder tables Node ships. */
export function encodeLegacy(s: string, enc: 'gbk' | 'gb18030' | 'big5'): Uint8Array {
  const dec = new TextDecoder(enc);
  const table = new Map<string, number[]>();
  for (let a = 0x81; a <= 0xfe; a++)
    for (let b = 0x40; b <= 0xfe; b++) {
      const ch = dec.decode(Uint8Array.from([a, b]));
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, [a, b]);
    }
  const bytes: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) bytes.push(cp);
    else {
      const seq = table.get(ch);
      if (seq) bytes.push(...seq);
      else bytes.push(...Array.from(new TextEncoder().encode(`&#${cp};`)));
    }
  }
  return Uint8Array.from(bytes);
}

export function fixturePages(): Record<string, { html: string | Uint8Array; expected: Expected }> {
  const out: Record<string, { html: string | Uint8Array; expected: Expected }> = {};
  const add = (slug: string, html: string | Uint8Array, expected: Expected) => (out[slug] = { html, expected });

  const g = byId('zh-002');
  add('gbk-saved-page', encodeLegacy(news({ site: '农业资讯', canonical: 'https://farm-news.test/rice', title: '晚稻丰收', lang: 'zh-CN', charset: 'gbk', body: ps(stripSourceTag(g.text)) }), 'gbk'), copyOf(g, 'uncredited', 'A Chinese copy saved in GBK with <meta charset="gbk">.'));

  const g2 = byId('zh-010');
  add('gb18030-no-meta', encodeLegacy(news({ site: '低空快讯', canonical: 'https://drone-news.test/routes', title: '无人机航线', lang: 'zh-CN', body: ps(stripSourceTag(g2.text)) }).replace('<meta charset="utf-8">', ''), 'gb18030'), copyOf(g2, 'uncredited', 'A Chinese copy in GB18030 with no charset declaration (detected).'));

  const b = byId('zh-023');
  add('big5-saved-page', encodeLegacy(news({ site: '港聞速遞', canonical: 'https://hk-express.test/water', title: '海水淡化廠投產', lang: 'zh-Hant', head: '<meta http-equiv="Content-Type" content="text/html; charset=big5">', body: ps(stripSourceTag(b.text)) }).replace('<meta charset="utf-8">', ''), 'big5'), copyOf(b, 'uncredited', 'A Traditional Chinese copy saved in Big5 (http-equiv charset).'));

  const s = byId('en-021');
  add('saved-from-comment', `<!-- saved from url=(0044)https://copycat-news.test/story/ferry.html -->\n${news({ site: 'Copycat News', title: 'Everyone rescued from drifting ferry', body: ps(stripSourceTag(s.text)) })}`, copyOf(s, 'uncredited', 'An English copy whose address is given only by the saved-from comment.'));

  const zw = byId('en-005');
  const zwText = stripSourceTag(zw.text).replace(/(\w{3})(\w)/g, (_m, a: string, c: string) => `${a}\u200b${c}`).replace(/ the /g, ' th\u00ade ').replace(/\. /g, '.\u202e\u202c ');
  add('obfuscated-zero-width', news({ site: 'Ocean Daily', canonical: 'https://ocean-daily.test/sub', title: 'Submersible dives deep', body: ps(zwText) }), copyOf(zw, 'uncredited', 'An English copy with zero-width, soft-hyphen and bidi characters inside words.'));

  const hg = byId('en-010');
  const map: Record<string, string> = { a: 'а', e: 'е', o: 'о', p: 'р', c: 'с' };
  add('obfuscated-homoglyphs', news({ site: 'Snow Sports', canonical: 'https://snow-sports.test/marathon', title: 'Ski marathon report', body: ps(stripSourceTag(hg.text).replace(/[aeopc]/g, (ch) => map[ch]!)) }), copyOf(hg, 'uncredited', 'An English copy with Latin a, e, o, p, c replaced by Cyrillic look-alikes.'));

  const fw = byId('zh-011');
  const fwText = stripSourceTag(fw.text).replace(/[0-9A-Za-z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).replace(/(.)(.)/g, '$1\u200b$2');
  add('fullwidth-chinese', news({ site: '跑步圈', canonical: 'https://run-circle.test/m', title: '马拉松', lang: 'zh-CN', body: ps(fwText) }), copyOf(fw, 'uncredited', 'A Chinese copy with full-width digits and letters and zero-width spaces between characters.'));

  const mx = byId('en-019');
  add('mixed-en-zh', news({ site: '双语观察', canonical: 'https://bilingual.test/arctic', title: '北极科考站 Arctic station', lang: 'zh-CN', body: `<p>${esc(fx.commentary.zh[20]!)}</p>${ps(stripSourceTag(mx.text))}<p>${esc(fx.commentary.zh[21]!)}</p>` }), copyOf(mx, 'uncredited', 'A bilingual page: Chinese intro, an English original copied in full, Chinese closing line.'));

  const sy = byId('en-013');
  add('syndication-partner', news({ site: "People's Daily Online", canonical: 'https://en.people.cn/n3/2026/0601/c90000-20260601.html', title: sy.title, body: ps(stripSourceTag(sy.text)) }), copyOf(sy, 'credited', 'A Xinhua original republished in full on a syndication partner’s site.'));

  const cb = byId('zh-017');
  add('credited-byline-zh', news({ site: '冰雪资讯', canonical: 'https://snow-info.test/festival', title: '冰雪文化节开幕', lang: 'zh-CN', head: `<meta name="author" content="${esc(names[cb.outlet]!['zh-Hans']!)}">`, body: `<span class="source">來源：${esc(names[cb.outlet]!['zh-Hant']!)}</span>${ps(stripSourceTag(cb.text))}` }), copyOf(cb, 'credited', 'A Chinese copy with an author meta tag and a source byline naming the outlet.'));

  const h = byId('en-009');
  let nested = ps(stripSourceTag(h.text));
  for (let i = 0; i < 200; i++) nested = `<div class="n${i}">${nested}</div>`;
  add('hostile-markup', news({ site: 'Click\u202eRSS', canonical: 'https://clickbait.test/fish', title: 'Fishing season \u202eopens<script>alert(1)</script>', head: `<style>${'.x{color:red}'.repeat(5000)}</style><script>alert(1)</script>`, body: `<img src="x" onerror="alert(1)"><iframe src="javascript:alert(1)"></iframe>${nested}` }), copyOf(h, 'uncredited', 'An uncredited copy inside hostile markup: scripts, onerror handlers, an iframe, a huge style, 200 nested divs, U+202E in the title.'));

  add('tiny-page', '<!DOCTYPE html><html><head><title>Note</title></head><body><p>The spokesperson said the talks would continue.</p></body></html>', none('A title and one sentence.'));
  add('empty-page', '<html><body></body></html>', none('An empty page.'));
  add('no-article-nav-only', '<!DOCTYPE html><html><body><nav><a href="/">Home</a> <a href="/a">About</a> <a href="/c">Contact</a></nav><footer>© nobody</footer></body></html>', none('Only navigation and a footer.'));
  const ne = neg('en-neg-012');
  add('statement-only-en', news({ site: 'Coast Watch', canonical: 'https://coast-watch.test/drill', title: ne.title, body: ps(ne.text) }), none('An independent article that only quotes the shared official statement.'));
  const n2 = neg('en-neg-007');
  add('hard-negative-en-2', news({ site: 'Policy Desk', canonical: 'https://policy-desk.test/visit', title: n2.title, body: ps(n2.text) }), none('An independent article on the same visit as an original.'));
  const nz1 = neg('zh-neg-003');
  add('hard-negative-zh-1', news({ site: '海洋笔记', canonical: 'https://ocean-notes.test/ship', title: nz1.title, lang: 'zh-CN', body: ps(nz1.text) }), none('An independent Chinese article on the same research voyage.'));
  const nz2 = neg('zh-neg-008');
  add('hard-negative-zh-2', news({ site: '经贸观察', canonical: 'https://trade-watch.test/visit', title: nz2.title, lang: 'zh-CN', body: ps(nz2.text) }), none('An independent Chinese article on the same trade delegation.'));
  const ro = byId('en-015');
  const r = rng(15);
  const rparas = paragraphs(stripSourceTag(ro.text));
  const shuffled = rparas.map((p, i) => (i === 1 || i === 3 ? p.split(/(?<=[.!?]["”]?)\s+/).reverse().join(' ') : p)).sort(() => r() - 0.5);
  add('reordered-paragraphs', news({ site: 'Energy Wire', canonical: 'https://energy-wire.test/wind', title: 'Turbines turn offshore', body: shuffled.map((p) => `<p>${esc(p)}</p>`).join('\n') }), copyOf(ro, 'uncredited', 'An English original with its paragraphs shuffled and sentences reversed in two of them.'));
  const c30 = byId('zh-020');
  const t = stripSourceTag(c30.text);
  add('copy-30-percent-zh', news({ site: '亲子资讯', canonical: 'https://parents.test/hospital', title: '儿童医院开诊', lang: 'zh-CN', body: `<p>${esc(fx.commentary.zh[30]!)}</p>${ps(t.slice(0, Math.floor(t.length * 0.3)))}` }), copyOf(c30, 'uncredited', 'A short Chinese comment plus the first 30% of an original: most of the page is copied.'));
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const demoDir = join(ROOT, 'public/demo');
  rmSync(demoDir, { recursive: true, force: true });
  mkdirSync(demoDir, { recursive: true });
  const expected: Record<string, Expected> = {};
  for (const [file, { html, expected: e }] of Object.entries(demoPages())) {
    writeFileSync(join(demoDir, file), html);
    expected[file] = e;
  }
  writeFileSync(join(demoDir, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
  const pagesDir = join(ROOT, 'tests/fixtures/pages');
  rmSync(pagesDir, { recursive: true, force: true });
  for (const [slug, { html, expected: e }] of Object.entries(fixturePages())) {
    mkdirSync(join(pagesDir, slug), { recursive: true });
    writeFileSync(join(pagesDir, slug, 'page.html'), html);
    writeFileSync(join(pagesDir, slug, 'expected.json'), JSON.stringify(e, null, 2) + '\n');
  }
  console.log(`wrote ${Object.keys(expected).length} demo pages and ${Object.keys(fixturePages()).length} fixture pages`);
}
