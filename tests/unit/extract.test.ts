import { describe, expect, it } from 'vitest';
import { decodeHtmlBytes, declaredCharset } from '../../lib/extract/decode-html';
import { extractArticle, platformOf } from '../../lib/extract/extract-article';
import { extractSavedPage, parseHtmlDocument, savedFromUrl } from '../../lib/extract/parse-html';
import { blockText } from '../../lib/extract/block-text';

const zh = '青岚县今年夏粮收购工作已全面结束，全县共收购小麦十二万三千吨，比去年同期增长百分之八点五。';
const zhHant = '澄岬海水淡化廠第一期工程昨日正式投產，日供淡水十五萬立方米。';

describe('decodeHtmlBytes', () => {
  it('decodes GBK pages that declare their charset', () => {
    const bytes = new Uint8Array(Buffer.from(iconv(`<html><head><meta charset="gbk"></head><body><p>${zh}</p></body></html>`, 'gbk')));
    const d = decodeHtmlBytes(bytes);
    expect(d.by).toBe('declared');
    expect(d.text).toContain(zh);
  });
  it('detects GB18030 and Big5 pages that declare nothing', () => {
    for (const enc of ['gb18030', 'big5'] as const) {
      const text = enc === 'big5' ? zhHant.repeat(6) : zh.repeat(6);
      const d = decodeHtmlBytes(new Uint8Array(iconv(`<html><body><p>${text}</p></body></html>`, enc)));
      expect(d.by).toBe('detected');
      expect(d.text).toContain(text);
    }
  });
  it('honours a byte-order mark and trusts valid UTF-8 over a wrong declaration', () => {
    const utf8 = Buffer.from(`<meta charset="gb2312"><p>${zh}</p>`);
    expect(decodeHtmlBytes(new Uint8Array(utf8)).text).toContain(zh);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(zh)]);
    expect(decodeHtmlBytes(new Uint8Array(bom))).toMatchObject({ text: zh, by: 'bom' });
  });
  it('reads http-equiv and XML declarations', () => {
    expect(declaredCharset(new Uint8Array(Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=big5">')))).toBe('big5');
    expect(declaredCharset(new Uint8Array(Buffer.from('<?xml version="1.0" encoding="GB2312"?>')))).toBe('GB2312');
  });
});

/** Encodes with the WHATWG encoder tables Node ships (TextDecoder only decodes; build the map once). */
function iconv(s: string, enc: 'gbk' | 'gb18030' | 'big5'): Uint8Array {
  const dec = new TextDecoder(enc);
  const table = new Map<string, number[]>();
  // Two-byte sequences cover every character used in these tests.
  for (let a = 0x81; a <= 0xfe; a++)
    for (let b = 0x40; b <= 0xfe; b++) {
      const ch = dec.decode(Uint8Array.from([a, b]));
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, [a, b]);
    }
  const out: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else {
      const seq = table.get(ch);
      if (!seq) throw new Error(`cannot encode ${ch} in ${enc}`);
      out.push(...seq);
    }
  }
  return Uint8Array.from(out);
}

describe('blockText', () => {
  it('keeps paragraphs, skips scripts and hidden elements', () => {
    const doc = parseHtmlDocument('<body><h1>Title</h1><p>One <b>two</b>\n three.</p><script>evil()</script><div hidden>secret</div><p style="display:none">gone</p><ul><li>a</li><li>b</li></ul>x<br>y</body>');
    expect(blockText(doc.body)).toBe('Title\n\nOne two three.\n\na\n\nb\n\nx\ny');
  });
});

describe('extractArticle', () => {
  it('reads a WeChat article page: title, account, body and publish time', () => {
    const html = `<html><head><meta property="og:title" content="og"></head><body>
      <h1 class="rich_media_title" id="activity-name"> 青岚县夏粮收购结束 </h1>
      <a id="js_name">澜州观察</a><em id="publish_time">2026-03-14 08:00</em>
      <div class="rich_media_content" id="js_content"><section><p>小编说两句：值得一读。</p></section><p>${zh}</p><p>来源：新华社</p></div>
      <script>var ct = "1773456000"; var nickname = "澜州观察";</script></body></html>`;
    const page = extractArticle(parseHtmlDocument(html), 'https://mp.weixin.qq.com/s/AbCdEf');
    expect(page.via).toBe('wechat');
    expect(page.platform).toBe('wechat');
    expect(page.title).toBe('青岚县夏粮收购结束');
    expect(page.bylines).toContain('澜州观察');
    expect(page.published).toBe(new Date(1773456000 * 1000).toISOString());
    expect(page.text).toBe(`小编说两句：值得一读。\n\n${zh}\n\n来源：新华社`);
  });
  it('uses Readability for news pages and keeps article links and metadata', () => {
    const paras = Array.from({ length: 6 }, (_, i) => `<p>Paragraph ${i} of a fictional story about the Lanmere port, which handled more containers than ever before this year, officials said on Tuesday.</p>`).join('');
    const html = `<html lang="en"><head><title>Port story</title><link rel="canonical" href="https://copy.test/port"><meta name="author" content="Jo Bloggs"></head>
      <body><nav><a href="/">Home</a><a href="/world">World</a></nav><article><h1>Port story</h1>${paras}<p>Read <a href="https://www.globaltimes.cn/page/1.html">the original</a>.</p></article><footer>© copy.test</footer></body></html>`;
    const page = extractArticle(parseHtmlDocument(html), 'https://copy.test/port');
    expect(page.via).toBe('readability');
    expect(page.text).toContain('Paragraph 0 of a fictional story');
    expect(page.text).not.toContain('World');
    expect(page.canonical).toBe('https://copy.test/port');
    expect(page.links).toContain('https://www.globaltimes.cn/page/1.html');
    // A name only in a meta tag is metadata, not a byline a reader sees.
    expect(page.metaBylines).toContain('Jo Bloggs');
    expect(page.bylines).not.toContain('Jo Bloggs');
    expect(page.lang).toBe('en');
  });
  it('falls back to the page text when there is no article', () => {
    const page = extractArticle(parseHtmlDocument('<body><p>Just one short line.</p></body>'), undefined);
    expect(page.text).toBe('Just one short line.');
  });
  it('finds a saved page’s address from the saved-from comment', () => {
    const html = '<!-- saved from url=(0044)https://copycat-news.test/story/ferry.html -->\n<html><body><p>x</p></body></html>';
    expect(savedFromUrl(html)).toBe('https://copycat-news.test/story/ferry.html');
    expect(extractSavedPage(new Uint8Array(Buffer.from(html))).url).toBe('https://copycat-news.test/story/ferry.html');
  });
  it('knows the platforms', () => {
    expect(platformOf('https://mp.weixin.qq.com/s/x')).toBe('wechat');
    expect(platformOf('https://weibo.com/123/abc')).toBe('weibo');
    expect(platformOf('https://www.bilibili.com/video/x')).toBe('bilibili');
    expect(platformOf('https://news.example.test/a')).toBe('news');
    expect(platformOf(undefined)).toBe('other');
  });
});
