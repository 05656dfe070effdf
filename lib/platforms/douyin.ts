/**
 * Douyin video pages (www.douyin.com/video/…, the app-style share page
 * m.douyin.com / www.iesdouyin.com/share/video/…): one video unit — caption,
 * hashtags, author, time, likes, comments, shares and plays as the page holds
 * them, and subtitle text where the page already carries it (a <track> inside
 * the page or loaded by its player; subtitle files the data only names are
 * listed, not fetched).
 *
 * The desktop page carries its state in <script id="RENDER_DATA"> (URI-encoded
 * JSON, camelCase fields); the share page in `window._ROUTER_DATA` (snake_case,
 * the app API's fields). Without either, the rendered page's data-e2e marked
 * elements are read.
 */
import type { Engagement, PlatformModule, PlatformPage, PlatformUnit, Subtitle } from './types';
import { absUrl, atFirst, clean, count, cssPath, findObjects, hashtagsOf, joinParts, lineOf, linksIn, pick, postedAt, scriptJsonById, scriptValue, shownCount, shownTime, str, trackSubtitles } from './util';

/** Data paths and selectors: the one place to change when Douyin changes its pages. */
export const DOUYIN = {
  hosts: ['douyin.com', 'iesdouyin.com'],
  stateScripts: { byId: ['RENDER_DATA'], byName: ['_ROUTER_DATA', '_SSR_DATA'] },
  /** An object is a video when it has a caption and an author and figures. */
  video: {
    id: ['awemeId', 'aweme_id'],
    caption: ['desc', 'caption'],
    author: ['authorInfo.nickname', 'author.nickname'],
    authorId: ['authorInfo.secUid', 'author.sec_uid', 'authorInfo.sec_uid'],
    time: ['createTime', 'create_time'],
    likes: ['stats.diggCount', 'statistics.digg_count'],
    comments: ['stats.commentCount', 'statistics.comment_count'],
    shares: ['stats.shareCount', 'statistics.share_count'],
    plays: ['stats.playCount', 'statistics.play_count'],
    hashtags: { list: ['textExtra', 'text_extra'], name: ['hashtagName', 'hashtag_name'] },
    subtitleFiles: { list: ['video.subtitleInfos', 'video.subtitle_infos'], url: ['Url', 'url'], lang: ['LanguageCodeName', 'language_code_name', 'lang'] },
  },
  profile: (secUid: string) => `https://www.douyin.com/user/${encodeURIComponent(secUid)}`,
  permalink: (id: string) => `https://www.douyin.com/video/${encodeURIComponent(id)}`,
  idFromUrl: /\/(?:video|note|share\/video)\/(\d{6,})/,
  dom: {
    root: ['[data-e2e="detail-video-info"]', '[data-e2e="video-detail"]', 'main'],
    caption: ['[data-e2e="video-desc"]', '[data-e2e="detail-video-info"] h1', 'h1'],
    author: ['[data-e2e="video-author-title"]', '[data-e2e="user-info"] a[href*="/user/"]', 'a[href*="/user/"]'],
    time: ['[data-e2e="detail-video-publish-time"]', '[data-e2e="video-publish-time"]'],
    likes: ['[data-e2e="video-player-digg"]', '[data-e2e="detail-video-digg"]'],
    comments: ['[data-e2e="feed-comment-icon"]', '[data-e2e="video-player-comment"]'],
    shares: ['[data-e2e="video-player-share"]'],
    player: ['[data-e2e="video-player"]', 'xg-video-container', 'video'],
  },
} as const;

type Obj = Record<string, unknown>;

const V = DOUYIN.video;
const isVideo = (o: Obj) => typeof atFirst(o, V.caption) === 'string' && !!atFirst(o, V.author) && (atFirst(o, V.likes) !== undefined || atFirst(o, V.time) !== undefined);

function stateOf(doc: Document): unknown[] {
  const out: unknown[] = [];
  for (const id of DOUYIN.stateScripts.byId) {
    const v = scriptJsonById(doc, id);
    if (v !== undefined) out.push(v);
  }
  for (const name of DOUYIN.stateScripts.byName) {
    const v = scriptValue(doc, name);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** Subtitles the page holds: its <track>s (inline or loaded); names of subtitle files in its data (not fetched). */
export function pageSubtitles(doc: Document): Subtitle[] {
  return trackSubtitles(doc).map((t) => ({ ...t, from: 'track' as const }));
}

function fromData(doc: Document, v: Obj, ctx: { url?: string; now: string }): PlatformUnit {
  const caption = str(atFirst(v, V.caption)) ?? '';
  const secUid = str(atFirst(v, V.authorId));
  const name = clean(str(atFirst(v, V.author)));
  const id = str(atFirst(v, V.id));
  // Shown on the page where it renders them; the data gives full dates and unrounded numbers.
  const D = DOUYIN.dom;
  const when = shownTime(lineOf(pick(doc, D.time)).replace(/^发布时间[:：]\s*/, ''), postedAt(atFirst(v, V.time) as number | string | undefined));
  const eng: Engagement = { readAt: ctx.now };
  const likes = shownCount(count(lineOf(pick(doc, D.likes))), count(atFirst(v, V.likes) as number | undefined));
  const comments = shownCount(count(lineOf(pick(doc, D.comments))), count(atFirst(v, V.comments) as number | undefined));
  const shares = shownCount(count(lineOf(pick(doc, D.shares))), count(atFirst(v, V.shares) as number | undefined));
  const plays = count(atFirst(v, V.plays) as number | undefined);
  if (likes) eng.likes = likes;
  if (comments) eng.comments = comments;
  if (shares) eng.reposts = shares;
  if (plays && plays.value) eng.views = plays; // the web data holds 0 for plays it does not disclose
  const tagList = atFirst(v, V.hashtags.list);
  const tags = Array.isArray(tagList) ? tagList.map((t) => clean(str(atFirst(t, V.hashtags.name)))).filter(Boolean) : [];
  const files = atFirst(v, V.subtitleFiles.list);
  const sources = Array.isArray(files) ? files.map((f) => absUrl(str(atFirst(f, V.subtitleFiles.url)), ctx.url)).filter((u): u is string => !!u) : [];
  const subtitles = pageSubtitles(doc);
  const element = pick(doc, DOUYIN.dom.root);
  return {
    platform: 'douyin',
    kind: 'video',
    text: joinParts(caption),
    author: secUid ? { name, url: DOUYIN.profile(secUid) } : { name },
    ...(when ? { postedAt: when } : {}),
    engagement: eng,
    marks: [],
    hashtags: tags.length ? tags : hashtagsOf(caption),
    ...(subtitles.length ? { subtitles } : {}),
    ...(sources.length ? { subtitleSources: sources } : {}),
    ...(id ? { url: DOUYIN.permalink(id) } : ctx.url ? { url: ctx.url } : {}),
    links: [],
    ...(element ? { element, selector: cssPath(element) } : {}),
  };
}

function fromDom(doc: Document, ctx: { url?: string; now: string }): PlatformUnit | undefined {
  const D = DOUYIN.dom;
  const captionEl = pick(doc, D.caption);
  const authorEl = pick(doc, D.author);
  if (!captionEl || !authorEl) return undefined;
  const caption = lineOf(captionEl);
  const shownTime = lineOf(pick(doc, D.time)).replace(/^发布时间[:：]\s*/, '');
  const when = postedAt(shownTime);
  const eng: Engagement = { readAt: ctx.now };
  const likes = count(lineOf(pick(doc, D.likes)));
  const comments = count(lineOf(pick(doc, D.comments)));
  const shares = count(lineOf(pick(doc, D.shares)));
  if (likes) eng.likes = likes;
  if (comments) eng.comments = comments;
  if (shares) eng.reposts = shares;
  const subtitles = pageSubtitles(doc);
  const root = pick(doc, D.root) ?? captionEl;
  const profile = absUrl(authorEl.closest('a')?.getAttribute('href') ?? authorEl.querySelector('a')?.getAttribute('href'), ctx.url);
  return {
    platform: 'douyin',
    kind: 'video',
    text: caption,
    author: profile ? { name: lineOf(authorEl), url: profile } : { name: lineOf(authorEl) },
    ...(when ? { postedAt: when } : {}),
    engagement: eng,
    marks: [],
    hashtags: hashtagsOf(caption),
    ...(subtitles.length ? { subtitles } : {}),
    ...(ctx.url ? { url: ctx.url } : {}),
    links: linksIn(root, ctx.url),
    element: root,
    selector: cssPath(root),
  };
}

export const douyin: PlatformModule = {
  id: 'douyin',
  hosts: DOUYIN.hosts,
  looksLike: (doc) => stateOf(doc).some((s) => findObjects(s, isVideo, 1).length > 0) || !!pick(doc, ['[data-e2e="video-desc"]']),
  extract(doc, ctx): PlatformPage | undefined {
    const videos = stateOf(doc).flatMap((s) => findObjects(s, isVideo, 100));
    if (videos.length) {
      // The page's own video, not the related ones its data also lists.
      const id = ctx.url ? DOUYIN.idFromUrl.exec(ctx.url)?.[1] : undefined;
      const main = (id && videos.find((v) => str(atFirst(v, V.id)) === id)) || videos[0]!;
      return { platform: 'douyin', shape: 'video', units: [fromData(doc, main, ctx)] };
    }
    const unit = fromDom(doc, ctx);
    return unit ? { platform: 'douyin', shape: 'video', units: [unit] } : undefined;
  },
};
