/**
 * Xigua video pages (www.ixigua.com/…): one video unit — title, description,
 * uploader, time, likes and plays from the state the page carries in
 * <script id="SSR_HYDRATED_DATA"> (`window._SSR_HYDRATED_DATA = {…}`, a
 * JavaScript literal with `undefined` values), subtitle text from the page's
 * <track>s; subtitle files the data only names are listed, not fetched.
 */
import type { Engagement, PlatformModule, PlatformPage } from './types';
import { absUrl, at, atFirst, clean, count, cssPath, hashtagsOf, joinParts, lineOf, pick, postedAt, scriptJsonById, scriptValue, str, trackSubtitles } from './util';

/** Data paths and selectors: the one place to change when Xigua changes its pages. */
export const XIGUA = {
  hosts: ['ixigua.com', 'xigua.com'],
  stateScript: { id: 'SSR_HYDRATED_DATA', name: '_SSR_HYDRATED_DATA' },
  video: 'anyVideo.gidInformation.packerData.video',
  fields: {
    id: ['vid', 'group_id', 'item_id'],
    title: ['title'],
    description: ['video_abstract', 'description'],
    author: ['user_info.name', 'creator_info.name'],
    authorId: ['user_info.user_id', 'creator_info.user_id'],
    time: ['video_publish_time', 'publish_time'],
    likes: ['video_like_count', 'digg_count'],
    views: ['video_watch_count', 'play_count'],
    comments: ['video_comment_count', 'comment_count'],
    tag: ['tag'],
    subtitleFiles: { list: 'subtitle_info.subtitles', url: 'url' },
  },
  profile: (id: string) => `https://www.ixigua.com/home/${encodeURIComponent(id)}`,
  dom: {
    root: ['.videoDesc', '.teleplayPage__Description', 'main'],
    title: ['.videoDesc__title', 'h1'],
    author: ['.author__userName', '.author_info__name', 'a[href*="/home/"]'],
  },
} as const;

export const xigua: PlatformModule = {
  id: 'xigua',
  hosts: XIGUA.hosts,
  looksLike: (doc) => !!doc.getElementById(XIGUA.stateScript.id),
  extract(doc, ctx): PlatformPage | undefined {
    const state = scriptJsonById(doc, XIGUA.stateScript.id) ?? scriptValue(doc, XIGUA.stateScript.name);
    const v = at(state, XIGUA.video) as Record<string, unknown> | undefined;
    const F = XIGUA.fields;
    const domTitle = lineOf(pick(doc, XIGUA.dom.title));
    if (!v && !domTitle) return undefined;
    const title = clean(str(v && atFirst(v, F.title))) || domTitle;
    const description = str(v && atFirst(v, F.description)) ?? '';
    const name = clean(str(v && atFirst(v, F.author))) || lineOf(pick(doc, XIGUA.dom.author));
    const authorId = str(v && atFirst(v, F.authorId));
    const eng: Engagement = { readAt: ctx.now };
    const likes = count(v && (atFirst(v, F.likes) as number | undefined));
    const views = count(v && (atFirst(v, F.views) as number | undefined));
    const comments = count(v && (atFirst(v, F.comments) as number | undefined));
    if (likes) eng.likes = likes;
    if (views) eng.views = views;
    if (comments) eng.comments = comments;
    const when = postedAt(v && (atFirst(v, F.time) as number | undefined));
    const files = v && at(v, F.subtitleFiles.list);
    const sources = Array.isArray(files) ? files.map((f) => absUrl(str(at(f, F.subtitleFiles.url)), ctx.url)).filter((u): u is string => !!u) : [];
    const subtitles = trackSubtitles(doc).map((t) => ({ ...t, from: 'track' as const }));
    const tag = str(v && atFirst(v, F.tag));
    const element = pick(doc, XIGUA.dom.root);
    return {
      platform: 'xigua',
      shape: 'video',
      units: [
        {
          platform: 'xigua',
          kind: 'video',
          title,
          text: joinParts(description),
          author: authorId ? { name, url: XIGUA.profile(authorId) } : { name },
          ...(when ? { postedAt: when } : {}),
          engagement: eng,
          marks: [],
          hashtags: hashtagsOf(description),
          ...(tag ? { category: tag } : {}),
          ...(subtitles.length ? { subtitles } : {}),
          ...(sources.length ? { subtitleSources: sources } : {}),
          ...(ctx.url ? { url: ctx.url } : {}),
          links: [],
          ...(element ? { element, selector: cssPath(element) } : {}),
        },
      ],
    };
  },
};
