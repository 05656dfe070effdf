/** Link targets as link marks compare them (lib/link-key.ts). */
import { describe, expect, it } from 'vitest';
import { fnv1a, linkKey } from '../../lib/link-key';

describe('linkKey', () => {
  it('treats http and https, www., fragments, trailing slashes and tracking parameters alike', () => {
    const k = 'globaltimes.cn/page/202601/1318842.shtml';
    for (const u of [
      'https://www.globaltimes.cn/page/202601/1318842.shtml',
      'http://globaltimes.cn/page/202601/1318842.shtml/',
      'https://WWW.GlobalTimes.cn/page/202601/1318842.shtml?utm_source=feed&spm=a.b#top',
    ])
      expect([u, linkKey(u)]).toEqual([u, k]);
  });
  it('keeps other parameters (sorted), ports and paths apart', () => {
    expect(linkKey('https://a.test/p?b=2&a=1')).toBe('a.test/p?a=1&b=2');
    expect(linkKey('http://copycat.test:8080/x')).toBe('copycat.test:8080/x');
    expect(linkKey('https://a.test/p?id=1')).not.toBe(linkKey('https://a.test/p?id=2'));
    expect(linkKey('https://a.test/p')).not.toBe(linkKey('https://a.test/q'));
  });
  it('refuses anything but http(s)', () => {
    for (const u of ['javascript:alert(1)', 'mailto:a@b.test', 'ftp://a.test/x', 'not a url']) expect(linkKey(u)).toBeUndefined();
  });
  it('hashes to 32 bits', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
  });
});
