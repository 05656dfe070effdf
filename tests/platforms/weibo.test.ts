import { describe, expect, it } from 'vitest';
import type { PlatformUnit } from '../../lib/platforms/types';
import { unitBylines, unitText } from '../../lib/platforms/index';
import { fixtureUnits, NOW } from './load';

describe('Weibo desktop timeline (weibo.com)', () => {
  const page = fixtureUnits('weibo-timeline.html')!;

  it('has one unit per post, each with its element', () => {
    expect(page.platform).toBe('weibo');
    expect(page.shape).toBe('timeline');
    expect(page.units.map((u) => u.author.name)).toEqual(['海湾时事速递', '小渔村的阿海', '临澜生活观察']);
    expect(page.units.every((u) => u.kind === 'post' && u.element?.tagName === 'ARTICLE')).toBe(true);
    expect(page.units.map((u) => u.selector)).toEqual([
      '#scroller > div:nth-of-type(1) > article',
      '#scroller > div:nth-of-type(2) > article',
      '#scroller > div:nth-of-type(3) > article',
    ]);
  });

  it('reads author address, time (shown, and the full date of its title), figures, permalink and hashtags', () => {
    const u = page.units[0]!;
    expect(u.author).toEqual({ name: '海湾时事速递', url: 'https://weibo.com/u/7301200456' });
    expect(u.postedAt).toEqual({ shown: '5-20 21:06', iso: '2026-05-20T21:06:00+08:00' });
    expect(u.engagement).toEqual({ reposts: { shown: '1.2万', value: 12000 }, comments: { shown: '3,402', value: 3402 }, likes: { shown: '5.6万', value: 56000 }, readAt: NOW });
    expect(u.url).toBe('https://weibo.com/7301200456/PqA1bC2dE');
    expect(u.hashtags).toEqual(['海洋渔业合作']);
    expect(u.repostOf).toBeUndefined();
  });

  it('a bare label ("转发", "评论") is no figure', () => {
    expect(page.units[1]!.engagement).toEqual({ comments: { shown: '12', value: 12 }, likes: { shown: '86', value: 86 }, readAt: NOW });
    expect(page.units[2]!.engagement).toEqual({ reposts: { shown: '5', value: 5 }, likes: { shown: '23', value: 23 }, readAt: NOW });
    expect(page.units[1]!.postedAt).toEqual({ shown: '今天 07:42', iso: '2026-05-21T07:42:00+08:00' });
  });

  it('a repost: own comment apart from the reposted post, whose author is named', () => {
    const u = page.units[2]!;
    expect(u.text).toBe('转发一下，渔民朋友们可以关注。');
    expect(u.repostOf?.author.name).toBe('环球时报');
    expect(u.repostOf?.text.startsWith('【中方愿同维瑞迪亚继续推进海洋渔业合作磋商】')).toBe(true);
    expect(unitText(u)).toContain('转发一下');
    expect(unitText(u)).toContain('北部渔港一期工程');
    expect(unitBylines(u)).toEqual(['临澜生活观察', '环球时报']);
  });
});

describe('m.weibo.cn post page (app-style, the post in $render_data)', () => {
  const page = fixtureUnits('weibo-mobile-status.html')!;

  it('reads the post from the page data: HTML text as text, author, time, figures, permalink', () => {
    expect(page.shape).toBe('post');
    expect(page.units).toHaveLength(1);
    const u = page.units[0]!;
    expect(u.text).toBe('终于通车了！以后回家方便多了 //@柏杉小站:坐过了，真的快 //@澜州出行:转发微博');
    // The chain of reposters between this post and the original, nearest first.
    expect(u.repostChain).toEqual(['柏杉小站', '澜州出行']);
    expect(u.author).toEqual({ name: '柏杉乡的小林', url: 'https://m.weibo.cn/u/6021334455?uid=6021334455' });
    expect(u.postedAt).toEqual({ shown: 'Mon Jan 19 20:12:05 +0800 2026', iso: '2026-01-19T20:12:05+08:00' });
    expect(u.engagement).toEqual({ reposts: { shown: '3', value: 3 }, comments: { shown: '17', value: 17 }, likes: { shown: '102', value: 102 }, readAt: NOW });
    expect(u.url).toBe('https://m.weibo.cn/status/PrD4kT9vQ');
    expect(u.element).toBeUndefined();
  });

  it('the repost chain: the retweeted post, its author, time and text (line breaks kept, tags dropped)', () => {
    const r = page.units[0]!.repostOf!;
    expect(r.author).toEqual({ name: '青岚本地宝', url: 'https://m.weibo.cn/u/3390011223?uid=3390011223' });
    expect(r.postedAt).toEqual({ shown: 'Sun Jan 18 11:03:40 +0800 2026', iso: '2026-01-18T11:03:40+08:00' });
    expect(r.text.split('\n')).toHaveLength(2);
    expect(r.text).toContain('全长86.4公里的青岚至云溪城际铁路正式开通运营');
    expect(r.text).not.toContain('<');
  });
});

describe('s.weibo.com search results', () => {
  const page = fixtureUnits('weibo-search.html')!;

  it('one unit per result card; "转发 4", "评论 9" and a bare number read as figures', () => {
    expect(page.units.map((u) => u.author.name)).toEqual(['东礁渔港志愿者', '新能源小课堂']);
    const u = page.units[0]!;
    expect(u.author.url).toBe('https://weibo.com/2210998877?refer_flag=1001030103_');
    expect(u.engagement).toEqual({ reposts: { shown: '4', value: 4 }, comments: { shown: '9', value: 9 }, likes: { shown: '57', value: 57 }, readAt: NOW });
    // No year shown: no full date.
    expect(u.postedAt).toEqual({ shown: '06月18日 20:31' });
  });

  it('the reposted post inside a card is not the card’s own text', () => {
    const u = page.units[1]!;
    expect(u.text).toBe('科普时间：为什么海上风电要离岸那么远？看看这个项目就知道了。');
    expect(u.repostOf?.author.name).toBe('澜州海事生活');
    expect(u.repostOf?.text).toContain('项目场址距离海岸线约45公里');
    expect(u.engagement.likes).toEqual({ shown: '1.1万', value: 11000 });
    expect(u.engagement.reposts).toBeUndefined();
    expect(u.postedAt).toEqual({ shown: '2026-06-19 10:05', iso: '2026-06-19T10:05:00+08:00' });
  });
});

describe('a Weibo address that holds no post', () => {
  it('is left to the generic extractor (no units)', () => {
    expect(fixtureUnits('not-a-post.html')).toBeUndefined();
  });
});

describe('the earlier weibo.com design (the demo page public/demo/zh-weibo-copy.html)', () => {
  it('one post; figures found by their labels (转发 318, 评论 96, 赞 1204)', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { parseHtmlDocument } = await import('../../lib/extract/parse-html');
    const { extractUnits } = await import('../../lib/platforms/index');
    const html = readFileSync(join(import.meta.dirname, '../../public/demo/zh-weibo-copy.html'), 'utf8');
    const page = extractUnits(parseHtmlDocument(html), { url: 'https://weibo.com/1234567890/PqZ3kR8xT', now: NOW })!;
    expect(page.shape).toBe('post');
    const u = page.units[0]!;
    expect(u.author.name).toBe('财经小观察');
    expect(u.postedAt?.shown).toBe('7-25 16:42');
    expect(u.engagement).toEqual({ reposts: { shown: '318', value: 318 }, comments: { shown: '96', value: 96 }, likes: { shown: '1204', value: 1204 }, readAt: NOW });
    // The comments under the post are not its text.
    expect(u.text).not.toContain('露营椅');
  });
});

describe('m.weibo.cn timeline as rendered (app-style cards)', () => {
  const page = fixtureUnits('weibo-mobile-timeline.html')!;
  it('one unit per card: author and profile, time, figures, the reposted post', () => {
    expect(page.shape).toBe('timeline');
    expect(page.units).toHaveLength(2);
    const [a, b] = page.units as [PlatformUnit, PlatformUnit];
    expect(a.author).toEqual({ name: '临澜生活观察', url: 'https://m.weibo.cn/profile/5512907733' });
    expect(a.postedAt).toEqual({ shown: '05-21' });
    expect(a.engagement).toEqual({ comments: { shown: '7', value: 7 }, likes: { shown: '64', value: 64 }, readAt: NOW });
    expect(b.text).toBe('这个要转给做水产的朋友看看。');
    expect(b.postedAt).toEqual({ shown: '2026-05-19', iso: '2026-05-19' });
    expect(b.engagement.likes).toEqual({ shown: '1.5万', value: 15000 });
    expect(b.repostOf?.author.name).toBe('维拉卡塔观察');
    expect(b.repostOf?.text).toBe('维瑞迪亚位于西南大洋沿岸，海岸线长约2100公里，渔业是该国重要的传统产业，约有12万人从事捕捞和水产加工。');
  });
});
