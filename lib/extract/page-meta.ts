/**
 * Page metadata from a Document, shared by the Node extractor and the
 * content script (no Readability here, so the content script stays small):
 * platform, meta tags, canonical address, links, WeChat fields, bylines.
 */
import { blockText } from './block-text';

export type Platform = 'wechat' | 'weibo' | 'douyin' | 'bilibili' | 'xigua' | 'toutiao' | 'x' | 'news' | 'other';
export const PLATFORMS: readonly Platform[] = ['wechat', 'weibo', 'douyin', 'bilibili', 'xigua', 'toutiao', 'x', 'news', 'other'];

export interface ExtractedPage {
  url?: string;
  title: string;
  text: string;
  canonical?: string;
  /** Absolute hrefs in the article, then links whose text names a source (links a reader can see). */
  links: string[];
  /** Byline, author, account names and source fields a reader can see. */
  bylines: string[];
  /** Author, source and site names from meta tags (metadata). */
  metaBylines?: string[];
  /** Absolute hrefs of links that are not rendered. */
  hiddenLinks?: string[];
  /** Short texts of elements that are not rendered. */
  hiddenText?: string[];
  /** The address is known only from the canonical link or og:url, not from the browser (saved pages). */
  urlFromMetadata?: boolean;
  published?: string;
  lang?: string;
  platform: Platform;
  /** Which extractor produced the text. */
  via: 'wechat' | 'readability' | 'body';
}

export function platformOf(url: string | undefined): Platform {
  let host = '';
  try {
    const u = url ? new URL(url) : undefined;
    // Only web pages have a platform; file:, data:, browser pages are "other".
    host = u && (u.protocol === 'http:' || u.protocol === 'https:') ? u.hostname.toLowerCase() : '';
  } catch {
    host = '';
  }
  const on = (d: string) => host === d || host.endsWith('.' + d);
  if (on('mp.weixin.qq.com') || on('weixin.qq.com')) return 'wechat';
  if (on('weibo.com') || on('weibo.cn')) return 'weibo';
  if (on('douyin.com') || on('iesdouyin.com')) return 'douyin';
  if (on('bilibili.com') || on('b23.tv')) return 'bilibili';
  if (on('ixigua.com') || on('xigua.com')) return 'xigua';
  if (on('toutiao.com')) return 'toutiao';
  if (on('x.com') || on('twitter.com')) return 'x';
  if (!host) return 'other';
  return 'news';
}

export function meta(doc: Document, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const el = doc.querySelector(`meta[property="${k}"], meta[name="${k}"], meta[itemprop="${k}"]`);
    const v = el?.getAttribute('content')?.trim();
    if (v) return v;
  }
  return undefined;
}

export function absolute(href: string | null | undefined, base: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    return new URL(href, base).href;
  } catch {
    return undefined;
  }
}

const SOURCE_LINK_TEXT = /source|via|original|credit|来源|來源|原文|出处|出處|转自|轉自|阅读原文|閱讀原文/i;

/**
 * Absolute http(s) links of the article (`root`), then links elsewhere whose
 * text names a source; `accept` keeps only some (those a reader can see).
 */
export function collectLinks(root: ParentNode | null, doc: Document, base: string | undefined, accept?: (a: Element) => boolean): string[] {
  const out: string[] = [];
  const add = (a: Element) => {
    if (accept && !accept(a)) return;
    const u = absolute(a.getAttribute('href'), base);
    if (u && /^https?:/i.test(u) && !out.includes(u)) out.push(u);
  };
  root?.querySelectorAll('a[href]').forEach(add);
  // Elsewhere on the page, links whose text (or their small parent's) names a source.
  const anchors = doc.querySelectorAll('a[href]');
  for (let i = 0; i < Math.min(anchors.length, 1000); i++) {
    const a = anchors[i]!;
    const parent = a.parentElement;
    const around = `${a.textContent ?? ''} ${parent && parent.childElementCount <= 20 ? (parent.textContent ?? '').slice(0, 120) : ''}`;
    if (SOURCE_LINK_TEXT.test(around)) add(a);
  }
  return out;
}

export function isWeChat(doc: Document, url: string | undefined): boolean {
  return platformOf(url) === 'wechat' || !!doc.querySelector('#js_content, .rich_media_content');
}

export function scriptVar(doc: Document, name: string): string | undefined {
  for (const s of Array.from(doc.querySelectorAll('script'))) {
    const m = new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`).exec(s.textContent ?? '');
    if (m) return m[1];
  }
  return undefined;
}

export function weChatTime(doc: Document): string | undefined {
  const ct = scriptVar(doc, 'ct') ?? scriptVar(doc, 'create_time');
  if (ct && /^\d{9,11}$/.test(ct)) return new Date(Number(ct) * 1000).toISOString();
  const shown = doc.querySelector('#publish_time')?.textContent?.trim();
  return shown || meta(doc, 'article:published_time');
}

/** A WeChat page; `doc` is the rendered part (lib/extract/hidden-elements.ts), `meta` read from the whole. */
export function extractWeChat(doc: Document, url: string | undefined): ExtractedPage {
  const body = doc.querySelector('#js_content, .rich_media_content');
  const title =
    doc.querySelector('#activity-name, .rich_media_title')?.textContent?.trim() ??
    meta(doc, 'og:title') ??
    scriptVar(doc, 'msg_title') ??
    doc.title;
  const account = doc.querySelector('#js_name, .rich_media_meta_nickname')?.textContent?.trim();
  const author = doc.querySelector('#js_author_name, .rich_media_meta_text')?.textContent?.trim();
  const bylines = [account, author].filter((x): x is string => !!x);
  const metaBylines = [account ? undefined : scriptVar(doc, 'nickname'), author ? undefined : meta(doc, 'author'), meta(doc, 'og:site_name')].filter((x): x is string => !!x);
  return {
    url,
    title: title.trim(),
    text: body ? blockText(body) : '',
    canonical: canonicalOf(doc, url),
    links: collectLinks(body, doc, url),
    bylines,
    metaBylines,
    published: weChatTime(doc),
    lang: doc.documentElement?.getAttribute('lang') ?? undefined,
    platform: 'wechat',
    via: 'wechat',
  };
}

export function canonicalOf(doc: Document, base: string | undefined): string | undefined {
  return absolute(doc.querySelector('link[rel="canonical"]')?.getAttribute('href'), base) ?? absolute(meta(doc, 'og:url'), base);
}

export const NOT_ARTICLE = /(?:^|[\s_-])(?:nav|menu|footer|header|sidebar|comment|comments|share|related|recommend|advert|ads?|promo|breadcrumb|cookie)(?:$|[\s_-])/i;

export function bodyFallback(doc: Document): string {
  const root = doc.querySelector('article, main, [role="main"]') ?? doc.body;
  if (!root) return '';
  return blockText(root, (el) => {
    const tag = el.tagName.toUpperCase();
    if (tag === 'NAV' || tag === 'FOOTER' || tag === 'ASIDE') return true;
    return NOT_ARTICLE.test(`${el.getAttribute('class') ?? ''} ${el.id ?? ''}`);
  });
}

/** Source, byline and author elements within `scope` (the document, or an article's surroundings). */
export function sourceFieldElements(scope: ParentNode): Element[] {
  return Array.from(scope.querySelectorAll('[class*="source" i], [id*="source" i], [class*="byline" i], [class*="author" i], [rel="author"]'));
}

/** Short texts of source/byline/author elements within `scope` (the document, or an article's surroundings). */
export function sourceFields(scope: ParentNode): string[] {
  const out: string[] = [];
  for (const el of sourceFieldElements(scope).slice(0, 20)) {
    const t = el.textContent?.replace(/\s+/g, ' ').trim();
    if (t && t.length <= 200 && !out.includes(t)) out.push(t);
  }
  return out;
}

