import { describe, expect, it } from 'vitest';
import { fixtureUnits, NOW } from './load';

describe('WeChat article', () => {
  it('is one article unit: title, body, account with its profile address, author line, time, 原创 mark, figures', () => {
    const page = fixtureUnits('wechat-article.html')!;
    expect(page.platform).toBe('wechat');
    expect(page.shape).toBe('article');
    expect(page.units).toHaveLength(1);
    const u = page.units[0]!;
    expect(u.kind).toBe('article');
    expect(u.title).toBe('渔业合作又有新进展，这几点值得关注');
    expect(u.text.startsWith('编者按：最近几天')).toBe(true);
    expect(u.text).toContain('第三轮渔业合作磋商');
    expect(u.text.split('\n\n')).toHaveLength(5);
    expect(u.author).toEqual({ name: '澜江观察', url: 'https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=MzA5NzEwMTLanJiang#wechat_redirect' });
    expect(u.byline).toBe('周砚秋');
    // Shown as the page shows it; the instant from the page's `ct` (Unix seconds).
    expect(u.postedAt).toEqual({ shown: '2026年5月21日 08:15', iso: '2026-05-21T00:15:00.000Z' });
    expect(u.engagement).toEqual({ views: { shown: '2.3万', value: 23000 }, likes: { shown: '318', value: 318 }, readAt: NOW });
    expect(u.marks).toEqual([{ kind: 'original', text: '原创' }]);
    expect(u.url).toBe('https://mp.weixin.qq.com/s/Qx7LanJiangGuanCha01');
    expect(u.selector).toBe('#js_content');
    expect(u.element?.getAttribute('id')).toBe('js_content');
  });

  it('a shared article: the 以下文章来源于 card and the 转载自 line are reprint marks; recognised without an address by its shape', () => {
    const page = fixtureUnits('wechat-reprint.html')!;
    expect(page.platform).toBe('wechat');
    const u = page.units[0]!;
    expect(u.author).toEqual({ name: '溪口生活圈' });
    expect(u.postedAt).toEqual({ shown: '2026-03-02 19:40', iso: '2026-03-02T11:40:00.000Z' });
    expect(u.marks).toEqual([
      { kind: 'reprint', text: '以下文章来源于海风评论 ，作者林舟' },
      { kind: 'reprint', text: '转载自：海风评论' },
    ]);
    expect(u.engagement).toEqual({ readAt: NOW });
  });
});
