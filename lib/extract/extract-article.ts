/**
 * Article extraction from a Document (browser or linkedom): title, text with
 * paragraph breaks, bylines, links, canonical address and platform. WeChat
 * public-account pages get dedicated handling (title, account, body, publish
 * time); other pages go through @mozilla/readability, with a block-text
 * fallback when it finds no article.
 */
import { Readability } from '@mozilla/readability';
import { blockText } from './block-text';
import { bodyFallback, canonicalOf, collectLinks, extractWeChat, isWeChat, meta, platformOf, sourceFields, type ExtractedPage } from './page-meta';

export { platformOf, type ExtractedPage, type Platform } from './page-meta';

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
