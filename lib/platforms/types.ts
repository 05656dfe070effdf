/**
 * The units of text on a platform page (a WeChat article, each Weibo post of
 * a timeline, a Douyin or Bilibili video's caption and subtitles…), who
 * posted them, when, and their engagement figures as the page shows them.
 *
 * Platform modules are pure functions over a Document (the live DOM in the
 * content script, linkedom's in Node): no Node-only imports, no network, no
 * eval. Each module keeps its selectors and data paths in one table at its
 * top, so that when a platform changes its markup one file changes.
 */

export type PlatformId = 'wechat' | 'weibo' | 'douyin' | 'xigua' | 'bilibili' | 'toutiao' | 'x';

export type UnitKind = 'article' | 'post' | 'video';

export interface Account {
  name: string;
  /** The account's address on the platform (absolute http(s)). */
  url?: string;
}

export interface PostedAt {
  /** As the page shows it ("2026-01-21 09:30", "3小时前", "Jan 21"), or as its data holds it. */
  shown: string;
  /** ISO 8601, when the shown text or the page's data gives a full date. */
  iso?: string;
}

export interface Count {
  /** As shown ("1.2万", "3,402", "2.1K"). */
  shown: string;
  /** The number, when the shown text parses ("1.2万" → 12000). */
  value?: number;
}

export interface Engagement {
  reposts?: Count;
  comments?: Count;
  likes?: Count;
  views?: Count;
  /** When the figures were read (ISO 8601). */
  readAt: string;
}

/** WeChat's 原创 mark, a 转载自 / 来源 line, a Bilibili 转载 flag: what the page says about where the text comes from. */
export interface Mark {
  kind: 'original' | 'reprint' | 'source';
  /** The text of the mark as shown ("原创", "转载自 某某日报", "来源：新华社"). */
  text: string;
}

export interface Subtitle {
  /** Language code or label, when known. */
  lang?: string;
  text: string;
  /** Where the page held it: its player state (a script) or a <track> the page carries. */
  from: 'state' | 'track';
}

export interface PlatformUnit {
  platform: PlatformId;
  kind: UnitKind;
  /** The unit's own text (article body, post text, video caption/description), paragraphs separated by blank lines. */
  text: string;
  title?: string;
  author: Account;
  /** An author line shown besides the account (WeChat's 作者, a reporter's name). */
  byline?: string;
  postedAt?: PostedAt;
  engagement: Engagement;
  /** Who reposted it on the way from the original, as the text names them (Weibo's "//@name:" chain), nearest first. */
  repostChain?: string[];
  /** The post this one reposts or quotes, as shown inside it. */
  repostOf?: { author: Account; text: string; postedAt?: PostedAt };
  marks: Mark[];
  hashtags?: string[];
  /** The platform's category of the video (Xigua's tag), when its data gives one. */
  category?: string;
  /** Subtitle or on-screen text the page already holds (never fetched). */
  subtitles?: Subtitle[];
  /** Subtitle files the page names but does not hold (not fetched: that needs the reader's action). */
  subtitleSources?: string[];
  /** The unit's own address (a post's permalink), when the page shows one. */
  url?: string;
  /** Absolute http(s) links inside the unit. */
  links: string[];
  /** The element that holds the unit on the page, for highlighting (absent when the unit comes from script data the page did not render). */
  element?: Element;
  /** A CSS selector for `element` in its document. */
  selector?: string;
}

/** The page a platform module recognised. */
export interface PlatformPage {
  platform: PlatformId;
  /** article: one article; post: one post; timeline: several posts; video: a video page. */
  shape: 'article' | 'post' | 'timeline' | 'video';
  units: PlatformUnit[];
}

export interface ExtractContext {
  /** The page's address (the browser's, or a saved page's). */
  url?: string;
  /** When the figures are read: ISO 8601 (default: now). */
  now?: string;
}

export interface PlatformModule {
  id: PlatformId;
  /** Hosts this module reads (the host itself or any subdomain). */
  hosts: readonly string[];
  /** Whether the page has this platform's shape even on another address (a saved page, a mirror). */
  looksLike(doc: Document): boolean;
  /** The units, or undefined when the page is not one this module knows (the caller falls back to the generic extractor). */
  extract(doc: Document, ctx: Required<Pick<ExtractContext, 'now'>> & ExtractContext): PlatformPage | undefined;
}
