/**
 * Article extraction from a Document (browser or linkedom): title, text with
 * paragraph breaks, bylines, links, canonical address and platform. WeChat
 * public-account pages get dedicated handling (title, account, body, publish
 * time); other pages go through @mozilla/readability, with a block-text
 * fallback when it finds no article.
 */
import { Readability } from '@mozilla/readability';
import { blockText } from './block-text';

export type Platform = 'wechat' | 'weibo' | 'douyin' | 'bilibili' | 'xigua' | 'news' | 'other';

export interface ExtractedPage {
  url?: string;
  title: string;
  text: string;
  canonical?: string;
  /** Absolute hrefs in the article, then links whose text names a source. */
  links: string[];
  /** Byline, author, account and site names, source fields. */
  bylines: string[];
  published?: string;
  lang?: string;
  platform: Platform;
  /** Which extractor produced the text. */
  via: 'wechat' | 'readability' | 'body';
}

export function platformOf(url: string | undefined): Platform {
  let host = '';
  try {
    host = url ? new URL(url).hostname.toLowerCase() : '';
  } catch {
    host = '';
  }
  const on = (d: string) => host === d || host.endsWith('.' + d);
  if (on('mp.weixin.qq.com') || on('weixin.qq.com')) return 'wechat';
  if (on('weibo.com') || on('weibo.cn')) return 'weibo';
  if (on('douyin.com') || on('iesdouyin.com')) return 'douyin';
  if (on('bilibili.com') || on('b23.tv')) return 'bilibili';
  if (on('ixigua.com')) return 'xigua';
  if (!host) return 'other';
  return 'news';
}

function meta(doc: Document, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const el = doc.querySelector(`meta[property="${k}"], meta[name="${k}"], meta[itemprop="${k}"]`);
    const v = el?.getAttribute('content')?.trim();
    if (v) return v;
  }
  return undefined;
}

function absolute(href: string | null | undefined, base: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    return new URL(href, base).href;
  } catch {
    return undefined;
  }
}

const SOURCE_LINK_TEXT = /source|via|original|credit|来源|來源|原文|出处|出處|转自|轉自|阅读原文|閱讀原文/i;

function collectLinks(root: ParentNode | null, doc: Document, base: string | undefined): string[] {
  const out: string[] = [];
  const add = (a: Element) => {
    const u = absolute(a.getAttribute('href'), base);
    if (u && /^https?:/i.test(u) && !out.includes(u)) out.push(u);
  };
  root?.querySelectorAll('a[href]').forEach(add);
  doc.querySelectorAll('a[href]').forEach((a) => {
    const around = `${a.textContent ?? ''} ${a.parentElement?.textContent?.slice(0, 80) ?? ''}`;
    if (SOURCE_LINK_TEXT.test(around)) add(a);
  });
  return out;
}

function isWeChat(doc: Document, url: string | undefined): boolean {
  return platformOf(url) === 'wechat' || !!doc.querySelector('#js_content, .rich_media_content');
}

function scriptVar(doc: Document, name: string): string | undefined {
  for (const s of Array.from(doc.querySelectorAll('script'))) {
    const m = new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`).exec(s.textContent ?? '');
    if (m) return m[1];
  }
  return undefined;
}

function weChatTime(doc: Document): string | undefined {
  const ct = scriptVar(doc, 'ct') ?? scriptVar(doc, 'create_time');
  if (ct && /^\d{9,11}$/.test(ct)) return new Date(Number(ct) * 1000).toISOString();
  const shown = doc.querySelector('#publish_time')?.textContent?.trim();
  return shown || meta(doc, 'article:published_time');
}

function extractWeChat(doc: Document, url: string | undefined): ExtractedPage {
  const body = doc.querySelector('#js_content, .rich_media_content');
  const title =
    doc.querySelector('#activity-name, .rich_media_title')?.textContent?.trim() ??
    meta(doc, 'og:title') ??
    scriptVar(doc, 'msg_title') ??
    doc.title;
  const account = doc.querySelector('#js_name, .rich_media_meta_nickname')?.textContent?.trim() ?? scriptVar(doc, 'nickname');
  const author = doc.querySelector('#js_author_name, .rich_media_meta_text')?.textContent?.trim() ?? meta(doc, 'author');
  const bylines = [account, author, meta(doc, 'og:site_name')].filter((x): x is string => !!x);
  return {
    url,
    title: title.trim(),
    text: body ? blockText(body) : '',
    canonical: canonicalOf(doc, url),
    links: collectLinks(body, doc, url),
    bylines,
    published: weChatTime(doc),
    lang: doc.documentElement?.getAttribute('lang') ?? undefined,
    platform: 'wechat',
    via: 'wechat',
  };
}

function canonicalOf(doc: Document, base: string | undefined): string | undefined {
  return absolute(doc.querySelector('link[rel="canonical"]')?.getAttribute('href'), base) ?? absolute(meta(doc, 'og:url'), base);
}

const NOT_ARTICLE = /(?:^|[\s_-])(?:nav|menu|footer|header|sidebar|comment|comments|share|related|recommend|advert|ads?|promo|breadcrumb|cookie)(?:$|[\s_-])/i;

function bodyFallback(doc: Document): string {
  const root = doc.querySelector('article, main, [role="main"]') ?? doc.body;
  if (!root) return '';
  return blockText(root, (el) => {
    const tag = el.tagName.toUpperCase();
    if (tag === 'NAV' || tag === 'FOOTER' || tag === 'ASIDE') return true;
    return NOT_ARTICLE.test(`${el.getAttribute('class') ?? ''} ${el.id ?? ''}`);
  });
}

function sourceFields(doc: Document): string[] {
  const out: string[] = [];
  for (const el of Array.from(doc.querySelectorAll('[class*="source" i], [id*="source" i], [class*="byline" i], [class*="author" i], [rel="author"]')).slice(0, 20)) {
    const t = el.textContent?.replace(/\s+/g, ' ').trim();
    if (t && t.length <= 200 && !out.includes(t)) out.push(t);
  }
  return out;
}

export interface ExtractOptions {
  /** Skip Readability for documents with more elements than this (block text instead). */
  maxElementsForReadability?: number;
}

/** Extracts the article of a document. Does not modify `doc`. */
export function extractArticle(doc: Document, url?: string, options: ExtractOptions = {}): ExtractedPage {
  const pageUrl = url ?? (doc.location?.href && doc.location.href !== 'about:blank' ? doc.location.href : undefined);
  if (isWeChat(doc, pageUrl)) return extractWeChat(doc, pageUrl);

  const bylines = [meta(doc, 'author', 'article:author', 'byl', 'dc.creator'), meta(doc, 'og:site_name', 'application-name'), meta(doc, 'source', 'article:source', 'dc.source')]
    .filter((x): x is string => !!x)
    .concat(sourceFields(doc));
  const base: Omit<ExtractedPage, 'title' | 'text' | 'links' | 'via'> = {
    url: pageUrl,
    canonical: canonicalOf(doc, pageUrl),
    bylines,
    published: meta(doc, 'article:published_time', 'datePublished', 'pubdate', 'publishdate', 'date'),
    lang: doc.documentElement?.getAttribute('lang') ?? undefined,
    platform: platformOf(pageUrl),
  };
  const maxEls = options.maxElementsForReadability ?? 30000;
  const count = doc.getElementsByTagName('*').length;
  if (count <= maxEls) {
    const clone = doc.cloneNode(true) as Document;
    const article = new Readability(clone, { charThreshold: 200 }).parse();
    if (article?.content) {
      const holder = doc.createElement('div');
      holder.innerHTML = article.content;
      const text = blockText(holder);
      const fallback = bodyFallback(doc);
      // Readability may keep only a fragment of a page with commentary between blocks.
      if (text.length >= 0.5 * fallback.length || text.length > 2000) {
        if (article.byline) bylines.unshift(article.byline);
        if (article.siteName && !bylines.includes(article.siteName)) bylines.push(article.siteName);
        return {
          ...base,
          title: (article.title ?? doc.title ?? '').trim(),
          text,
          links: collectLinks(holder, doc, pageUrl),
          published: base.published ?? article.publishedTime ?? undefined,
          via: 'readability',
        };
      }
    }
  }
  const root = doc.querySelector('article, main, [role="main"]') ?? doc.body;
  return { ...base, title: (meta(doc, 'og:title') ?? doc.title ?? '').trim(), text: bodyFallback(doc), links: collectLinks(root, doc, pageUrl), via: 'body' };
}
