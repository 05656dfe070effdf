import { describe, expect, it } from 'vitest';
import { parseHtmlDocument } from '../../lib/extract/parse-html';
import { moduleFor } from '../../lib/platforms/index';
import { count, cueText, dataUrlText, hashtagsOf, htmlText, parseLenient, postedAt, scriptJsonById, scriptValue } from '../../lib/platforms/util';

describe('figures as shown', () => {
  it('reads Chinese and English abbreviations, separators, labels and "+"', () => {
    expect(count('1.2万')).toEqual({ shown: '1.2万', value: 12000 });
    expect(count('3,402')).toEqual({ shown: '3,402', value: 3402 });
    expect(count('转发 35')).toEqual({ shown: '35', value: 35 });
    expect(count('10万+')).toEqual({ shown: '10万+', value: 100000 });
    expect(count('2.5亿')).toEqual({ shown: '2.5亿', value: 250000000 });
    expect(count('88K')).toEqual({ shown: '88K', value: 88000 });
    expect(count('1.5M views')).toEqual({ shown: '1.5M', value: 1500000 });
    expect(count(0)).toEqual({ shown: '0', value: 0 });
  });
  it('a bare label or nothing is no figure', () => {
    for (const s of ['转发', '评论', '赞', '', undefined, null]) expect(count(s)).toBeUndefined();
  });
});

describe('post times', () => {
  it('full dates give ISO in the platform’s zone; data in Unix seconds or milliseconds', () => {
    expect(postedAt('2026-05-20 21:06')).toEqual({ shown: '2026-05-20 21:06', iso: '2026-05-20T21:06:00+08:00' });
    expect(postedAt('2026年1月5日 08:30')).toEqual({ shown: '2026年1月5日 08:30', iso: '2026-01-05T08:30:00+08:00' });
    expect(postedAt('2026/3/2')).toEqual({ shown: '2026/3/2', iso: '2026-03-02' });
    expect(postedAt('Tue Feb 23 12:28:47 +0800 2021')?.iso).toBe('2021-02-23T12:28:47+08:00');
    expect(postedAt('2026-01-21T10:14:00.000Z')).toEqual({ shown: '2026-01-21T10:14:00.000Z', iso: '2026-01-21T10:14:00.000Z' });
    expect(postedAt(1767571200)).toEqual({ shown: '2026-01-05 08:00', iso: '2026-01-05T00:00:00.000Z' });
    expect(postedAt('1767571200000')?.iso).toBe('2026-01-05T00:00:00.000Z');
  });
  it('relative times and dates without a year keep only the shown text; impossible dates get no ISO', () => {
    expect(postedAt('3小时前')).toEqual({ shown: '3小时前' });
    expect(postedAt('06月18日 20:31')).toEqual({ shown: '06月18日 20:31' });
    expect(postedAt('Jan 21')).toEqual({ shown: 'Jan 21' });
    expect(postedAt('2026-13-45 10:00')).toEqual({ shown: '2026-13-45 10:00', iso: undefined });
    expect(postedAt('')).toBeUndefined();
  });
});

describe('script data, never run', () => {
  const doc = parseHtmlDocument(`<html><body>
    <script>var a = 1; window.__STATE__={"s":"a } ] \\" quote","n":[1,{"x":undefined}],"f":!1,"t":!0};(function(){ alert(1) })();</script>
    <script>var $render_data = [{"status":{"id":"7"}}][0] || {};</script>
    <script id="ENC" type="application/json">%7B%22k%22%3A%22%E4%BD%A0%E5%A5%BD%22%7D</script>
  </body></html>`);
  it('reads a bracketed literal by matching brackets outside strings, with undefined, !0 and !1', () => {
    expect(scriptValue(doc, '__STATE__')).toEqual({ s: 'a } ] " quote', n: [1, { x: null }], f: false, t: true });
    expect(scriptValue(doc, '$render_data')).toEqual([{ status: { id: '7' } }]);
    expect(scriptValue(doc, 'missing')).toBeUndefined();
    expect(scriptJsonById(doc, 'ENC')).toEqual({ k: '你好' });
  });
  it('never evaluates code: a function in the literal is no JSON', () => {
    expect(parseLenient('{"a": (function(){ return 1 })()}')).toBeUndefined();
  });
  it('post HTML from data becomes text in an inert template (no element reaches the document)', () => {
    const before = doc.querySelectorAll('img').length;
    expect(htmlText(doc, 'line one<br />line <a href="/n/x">@x</a><img src="https://example.test/p.png" onerror="alert(1)">')).toBe('line one\nline @x');
    expect(doc.querySelectorAll('img').length).toBe(before);
  });
});

describe('subtitles and hashtags', () => {
  it('WebVTT cues as lines, timings and tags dropped, repeats kept once; data: URLs decoded', () => {
    const vtt = 'WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\n<c.yellow>第一句</c>\n\n2\n00:00:02.000 --> 00:00:04.000\n第一句\n\n00:00:04.000 --> 00:00:06.000\nSecond line\nwraps here';
    expect(cueText(vtt)).toBe('第一句\nSecond line wraps here');
    expect(dataUrlText(`data:text/vtt,${encodeURIComponent(vtt)}`)).toBe(vtt);
    expect(dataUrlText(`data:text/vtt;base64,${Buffer.from(vtt).toString('base64')}`)).toBe(vtt);
    expect(dataUrlText('https://example.test/a.vtt')).toBeUndefined();
  });
  it('Weibo (#…#) and Douyin (#word) hashtags', () => {
    expect(hashtagsOf('看这里 #海上风电# 和 #清洁能源 #AgTech')).toEqual(['海上风电', '清洁能源', 'AgTech']);
  });
});

describe('module choice', () => {
  const plain = parseHtmlDocument('<html><body><p>x</p></body></html>');
  it('by host (any subdomain), else by the page’s shape, else none', () => {
    expect(moduleFor('https://m.weibo.cn/status/1', plain)?.id).toBe('weibo');
    expect(moduleFor('https://www.bilibili.com/video/BV1', plain)?.id).toBe('bilibili');
    expect(moduleFor('https://mobile.twitter.com/a/status/1', plain)?.id).toBe('x');
    expect(moduleFor('https://notweibo.com/a', plain)).toBeUndefined();
    expect(moduleFor('https://news.example/a', plain)).toBeUndefined();
    const wechatShape = parseHtmlDocument('<html><body><h1 id="activity-name">t</h1><div id="js_content"><p>body</p></div></body></html>');
    expect(moduleFor(undefined, wechatShape)?.id).toBe('wechat');
  });
});
