import { describe, expect, it } from 'vitest';
import { unitBylines } from '../../lib/platforms/index';
import { fixtureUnits, NOW } from './load';

describe('Toutiao article', () => {
  it('one article: title, body, account and its address, time, 原创 label and the 来源 line', () => {
    const page = fixtureUnits('toutiao-article.html')!;
    expect(page.platform).toBe('toutiao');
    expect(page.shape).toBe('article');
    const u = page.units[0]!;
    expect(u.title).toBe('云溪镇储能电池工厂投产 一年能产20GWh');
    expect(u.text.split('\n\n')).toHaveLength(4);
    expect(u.author).toEqual({ name: '云溪财经说', url: 'https://www.toutiao.com/c/user/token/MS4wLjABAAAA-yunxi-caijing/' });
    expect(u.postedAt).toEqual({ shown: '2026-05-08 16:20', iso: '2026-05-08T16:20:00+08:00' });
    expect(u.marks).toEqual([
      { kind: 'original', text: '原创' },
      { kind: 'source', text: '来源：中国日报' },
    ]);
    expect(u.engagement).toEqual({ comments: { shown: '76', value: 76 }, likes: { shown: '1,024', value: 1024 }, readAt: NOW });
    expect(unitBylines(u)).toEqual(['云溪财经说', '来源：中国日报']);
  });
});

describe('X timeline', () => {
  const page = fixtureUnits('x-timeline.html')!;

  it('one unit per post: display name and handle, profile address, time, permalink', () => {
    expect(page.platform).toBe('x');
    expect(page.shape).toBe('timeline');
    expect(page.units.map((u) => u.author)).toEqual([
      { name: 'Agri Gadget Daily (@agri_gadget_daily)', url: 'https://x.com/agri_gadget_daily' },
      { name: 'Mei on the Hill (@hillfarm_mei)', url: 'https://x.com/hillfarm_mei' },
      { name: 'Riverbend Notes (@riverbend_notes)', url: 'https://x.com/riverbend_notes' },
    ]);
    expect(page.units[0]!.postedAt).toEqual({ shown: 'Jan 21', iso: '2026-01-21T10:14:00.000Z' });
    expect(page.units[0]!.url).toBe('https://x.com/agri_gadget_daily/status/1921000000000000001');
  });

  it('figures as shown, numbers from the accessible labels', () => {
    expect(page.units[0]!.engagement).toEqual({
      comments: { shown: '14', value: 14 },
      reposts: { shown: '210', value: 210 },
      likes: { shown: '1.2K', value: 1290 },
      views: { shown: '88K', value: 88012 },
      readAt: NOW,
    });
    expect(page.units[1]!.engagement.reposts).toEqual({ shown: '0', value: 0 });
    // No analytics link: no view count (the buttons' numbers are not views).
    expect(page.units[1]!.engagement.views).toBeUndefined();
  });

  it('a quoted post is the repostOf of the post that quotes it, not its text; a repost line is a mark', () => {
    const q = page.units[1]!;
    expect(q.text).toBe('Our tea terraces are far too narrow for the big machines. Curious whether anyone here has actually flown one of these on a real slope.');
    expect(q.repostOf).toEqual({
      author: { name: 'Terrace Tech Watch (@terrace_watch)', url: 'https://x.com/terrace_watch' },
      text: 'Field trials ran for eight months in a village of about 900 households; two operators sprayed 310 hectares of tea in six days.',
      postedAt: { shown: 'Jan 21', iso: '2026-01-21T12:00:00.000Z' },
    });
    expect(page.units[2]!.marks).toEqual([{ kind: 'reprint', text: 'Valley Radio reposted' }]);
  });
});
