/**
 * Bilibili video pages (www.bilibili.com/video/BV…, m.bilibili.com/video/…):
 * one video unit — title, description, uploader, time, views, likes, replies,
 * shares, the 自制/转载 flag, and CC/AI subtitles where the page's player
 * data already holds their text. The state is `window.__INITIAL_STATE__`
 * (videoData); its subtitle list names subtitle files (listed, not fetched)
 * and, when the player has put them in the state, carries their cues
 * (`body: [{from, to, content}]`, the format of Bilibili's subtitle files).
 * Without the state, the rendered page is read.
 */
import type { Engagement, Mark, PlatformModule, PlatformPage, Subtitle } from './types';
import { absUrl, at, atFirst, clean, count, cssPath, joinParts, lineOf, pick, postedAt, scriptValue, shownCount, shownTime, str, textOf, trackSubtitles } from './util';

/** Data paths and selectors: the one place to change when Bilibili changes its pages. */
export const BILIBILI = {
  hosts: ['bilibili.com', 'b23.tv'],
  state: '__INITIAL_STATE__',
  video: ['videoData', 'videoInfo', 'video.viewInfo'],
  fields: {
    id: ['bvid', 'aid'],
    title: ['title'],
    description: ['desc', 'desc_v2.0.raw_text'],
    author: ['owner.name', 'upData.name'],
    authorId: ['owner.mid', 'upData.mid'],
    time: ['pubdate', 'ctime'],
    views: ['stat.view'],
    likes: ['stat.like'],
    comments: ['stat.reply'],
    shares: ['stat.share'],
    /** 1: 自制 (made by the uploader), 2: 转载 (reposted from elsewhere). */
    copyright: ['copyright'],
    subtitles: { list: 'subtitle.list', lang: ['lan_doc', 'lan'], url: 'subtitle_url', cues: 'body', text: 'content' },
  },
  profile: (mid: string) => `https://space.bilibili.com/${encodeURIComponent(mid)}`,
  permalink: (bvid: string) => `https://www.bilibili.com/video/${encodeURIComponent(bvid)}`,
  dom: {
    root: ['#viewbox_report', '.video-info-container', '#app'],
    title: ['h1.video-title', '.video-title', 'h1'],
    description: ['.desc-info-text', '.basic-desc-info', '#v_desc'],
    author: ['.up-name', '.up-info__name', 'a.username'],
    time: ['.pubdate-text', '.pubdate-ip-text', '.pudate-text'],
    views: ['.view-text', '.view.item'],
    likes: ['.video-like-info', '.video-like .video-toolbar-item-text'],
    reprint: ['.copyright', '.video-copyright'],
  },
} as const;

export const bilibili: PlatformModule = {
  id: 'bilibili',
  hosts: BILIBILI.hosts,
  looksLike: (doc) => at(scriptValue(doc, BILIBILI.state), 'videoData') !== undefined,
  extract(doc, ctx): PlatformPage | undefined {
    const F = BILIBILI.fields;
    const D = BILIBILI.dom;
    const state = scriptValue(doc, BILIBILI.state);
    const v = atFirst(state, BILIBILI.video) as Record<string, unknown> | undefined;
    const domTitle = lineOf(pick(doc, D.title));
    if (!v && !domTitle) return undefined;
    const get = (paths: readonly string[]) => (v ? atFirst(v, paths) : undefined);
    const title = clean(str(get(F.title))) || domTitle;
    const description = str(get(F.description)) ?? textOf(pick(doc, D.description));
    const authorEl = pick(doc, D.author);
    const name = clean(str(get(F.author))) || lineOf(authorEl);
    const mid = str(get(F.authorId)) ?? (v ? undefined : str(at(state, 'upData.mid')));
    const authorUrl = mid ? BILIBILI.profile(mid) : absUrl(authorEl?.closest('a')?.getAttribute('href'), ctx.url);
    const eng: Engagement = { readAt: ctx.now };
    // Shown on the page where it renders them; the data gives unrounded numbers.
    const num = (paths: readonly string[], dom?: readonly string[]) => shownCount(dom ? count(lineOf(pick(doc, dom))) : undefined, count(get(paths) as number | undefined));
    const views = num(F.views, D.views);
    const likes = num(F.likes, D.likes);
    const comments = num(F.comments);
    const shares = num(F.shares);
    if (views) eng.views = views;
    if (likes) eng.likes = likes;
    if (comments) eng.comments = comments;
    if (shares) eng.reposts = shares;
    const when = shownTime(lineOf(pick(doc, D.time)), postedAt(get(F.time) as number | undefined));
    const marks: Mark[] = [];
    const copyright = get(F.copyright);
    if (copyright === 2 || copyright === '2') marks.push({ kind: 'reprint', text: '转载' });
    else if (copyright === 1 || copyright === '1') marks.push({ kind: 'original', text: '自制' });
    const reprintLine = lineOf(pick(doc, D.reprint));
    if (reprintLine) marks.push({ kind: /转载|未经作者授权/.test(reprintLine) ? 'reprint' : 'source', text: reprintLine.slice(0, 200) });
    // Subtitles: cues in the state, then <track>s; files only named are listed.
    const subtitles: Subtitle[] = [];
    const sources: string[] = [];
    const list = v ? at(v, F.subtitles.list) : undefined;
    if (Array.isArray(list)) {
      for (const s of list) {
        const cues = at(s, F.subtitles.cues);
        const lang = str(atFirst(s, F.subtitles.lang));
        if (Array.isArray(cues)) {
          const lines: string[] = [];
          for (const c of cues) {
            const t = clean(str(at(c, F.subtitles.text)));
            if (t && lines[lines.length - 1] !== t) lines.push(t);
          }
          if (lines.length) subtitles.push({ ...(lang ? { lang } : {}), text: lines.join('\n'), from: 'state' });
        }
        const url = absUrl(str(at(s, F.subtitles.url)), 'https://www.bilibili.com/');
        if (url && !sources.includes(url)) sources.push(url);
      }
    }
    subtitles.push(...trackSubtitles(doc).map((t) => ({ ...t, from: 'track' as const })));
    const bvid = str(get(['bvid']));
    const element = pick(doc, D.root);
    return {
      platform: 'bilibili',
      shape: 'video',
      units: [
        {
          platform: 'bilibili',
          kind: 'video',
          title,
          text: joinParts(description),
          author: authorUrl ? { name, url: authorUrl } : { name },
          ...(when ? { postedAt: when } : {}),
          engagement: eng,
          marks,
          ...(subtitles.length ? { subtitles } : {}),
          ...(sources.length ? { subtitleSources: sources } : {}),
          ...(bvid ? { url: BILIBILI.permalink(bvid) } : ctx.url ? { url: ctx.url } : {}),
          links: [],
          ...(element ? { element, selector: cssPath(element) } : {}),
        },
      ],
    };
  },
};
