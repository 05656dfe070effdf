import { describe, expect, it } from 'vitest';
import { unitText } from '../../lib/platforms/index';
import { fixtureUnits, NOW } from './load';

describe('Douyin video page (desktop: RENDER_DATA)', () => {
  const page = fixtureUnits('douyin-video.html')!;
  const u = page.units[0]!;

  it('is the page’s own video, not the related one its data also holds', () => {
    expect(page.platform).toBe('douyin');
    expect(page.shape).toBe('video');
    expect(page.units).toHaveLength(1);
    expect(u.kind).toBe('video');
    expect(u.text).toBe('东礁海上风电首批16台机组并网发电！每年可提供清洁电能约28亿千瓦时 #海上风电 #清洁能源');
    expect(u.url).toBe('https://www.douyin.com/video/7380012345678901234');
  });

  it('author, hashtags, time and figures: shown as rendered, numbers and instant from the data', () => {
    expect(u.author).toEqual({ name: '海滨快报', url: 'https://www.douyin.com/user/MS4wLjABAAAA-haibin-kuaibao' });
    expect(u.hashtags).toEqual(['海上风电', '清洁能源']);
    expect(u.postedAt).toEqual({ shown: '2026-06-18 18:00', iso: '2026-06-18T10:00:00.000Z' });
    // Plays: the web data holds 0 for plays it does not disclose, so none.
    expect(u.engagement).toEqual({ likes: { shown: '1.8万', value: 18342 }, comments: { shown: '906', value: 906 }, reposts: { shown: '1275', value: 1275 }, readAt: NOW });
  });

  it('subtitles: the track the page carries; subtitle files only named in the data are listed, not fetched', () => {
    expect(u.subtitles).toHaveLength(1);
    expect(u.subtitles![0]!.from).toBe('track');
    expect(u.subtitles![0]!.lang).toBe('zh');
    expect(u.subtitles![0]!.text.split('\n')).toHaveLength(5);
    expect(u.subtitles![0]!.text).toContain('首批16台风电机组成功并网发电');
    expect(u.subtitleSources).toEqual(['https://v26-web.douyinvod.com/subtitle/7380012345678901234.webvtt']);
    expect(unitText(u)).toContain('减少二氧化碳排放约230万吨');
  });
});

describe('Douyin share page (app-style: _ROUTER_DATA, snake_case)', () => {
  it('reads caption, author, time, figures and hashtags from the app fields', () => {
    const u = fixtureUnits('douyin-share-mobile.html')!.units[0]!;
    expect(u.text).toBe('周末带娃去赶海，捡到一只小螃蟹，孩子开心了一下午 #赶海 #亲子时光');
    expect(u.author).toEqual({ name: '临澜宝妈日记', url: 'https://www.douyin.com/user/MS4wLjABAAAA-linlan-baoma' });
    expect(u.postedAt).toEqual({ shown: '2026-06-20 22:00', iso: '2026-06-20T14:00:00.000Z' });
    expect(u.engagement).toEqual({ likes: { shown: '2301', value: 2301 }, comments: { shown: '88', value: 88 }, reposts: { shown: '41', value: 41 }, readAt: NOW });
    expect(u.hashtags).toEqual(['赶海', '亲子时光']);
    expect(u.subtitles).toBeUndefined();
    expect(u.element).toBeUndefined();
  });
});

describe('Xigua video page (SSR_HYDRATED_DATA, a JavaScript literal)', () => {
  it('reads title, description, uploader, time, likes and plays despite undefined values', () => {
    const page = fixtureUnits('xigua-video.html')!;
    const u = page.units[0]!;
    expect(page.platform).toBe('xigua');
    expect(u.title).toBe('银滩马拉松鸣枪 两万多名跑手沿海岸线开跑');
    expect(u.text).toBe('清晨的海边，跑手们挤满了起点。现场拍到的一些画面，配乐是自己剪的。');
    expect(u.author).toEqual({ name: '跑步的老陈', url: 'https://www.ixigua.com/home/61200999' });
    expect(u.postedAt).toEqual({ shown: '2026-01-05 08:00', iso: '2026-01-05T00:00:00.000Z' });
    expect(u.engagement).toEqual({ likes: { shown: '4210', value: 4210 }, views: { shown: '188000', value: 188000 }, readAt: NOW });
    expect(u.category).toBe('video_sports');
    expect(u.subtitleSources).toBeUndefined();
  });
});

describe('Bilibili video page (__INITIAL_STATE__)', () => {
  const page = fixtureUnits('bilibili-video.html')!;
  const u = page.units[0]!;

  it('title, description, uploader, time and figures (views as shown, the number from the state)', () => {
    expect(page.platform).toBe('bilibili');
    expect(u.title).toBe('“海澜号”深海科考归来：冷泉区发现疑似新物种');
    expect(u.text).toBe('转自网络，侵删。科考船返航画面，配了AI字幕。');
    expect(u.author).toEqual({ name: '深蓝搬运站', url: 'https://space.bilibili.com/402211987' });
    expect(u.postedAt).toEqual({ shown: '2026-04-22 13:00:00', iso: '2026-04-22T05:00:00.000Z' });
    expect(u.engagement).toEqual({
      views: { shown: '25.6万', value: 256031 },
      likes: { shown: '9876', value: 9876 },
      comments: { shown: '388', value: 388 },
      reposts: { shown: '517', value: 517 },
      readAt: NOW,
    });
    expect(u.url).toBe('https://www.bilibili.com/video/BV1Hx4y1c7Lq');
  });

  it('the 转载 flag of the state and the page’s reprint line are marks', () => {
    expect(u.marks).toEqual([
      { kind: 'reprint', text: '转载' },
      { kind: 'reprint', text: '未经作者授权，禁止转载' },
    ]);
  });

  it('AI subtitles whose cues the state holds are text; the files it only names are listed', () => {
    expect(u.subtitles).toEqual([{ lang: '中文（自动生成）', text: expect.stringContaining('圆满完成为期58天的东澜海深部生态系统综合调查任务'), from: 'state' }]);
    expect(u.subtitles![0]!.text.split('\n')).toHaveLength(7);
    expect(u.subtitleSources).toEqual([
      'https://aisubtitle.hdslb.com/bfs/ai_subtitle/prod/115033445512345.json',
      'https://aisubtitle.hdslb.com/bfs/subtitle/115033445512346.json',
    ]);
  });
});
