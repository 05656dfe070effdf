/**
 * Article extraction from a Document (browser or linkedom): title, text with
 * paragraph breaks, bylines, links, canonical address and platform. WeChat
 * public-account pages get dedicated handling (title, account, body, publish
 * time); other pages go through @mozilla/readability, with a block-text
 * fallback when it finds no article. Only what a reader would see counts
 * (lib/extract/hidden-elements.ts): hidden texts and links come apart, and
 * names from meta tags are metadata, apart from the bylines shown on the page.
 */
import { Readability } from '@mozilla/readability';
import { blockText } from './block-text';
import { splitHidden } from './hidden-elements';
import { absolute, bodyFallback, canonicalOf, collectLinks, extractWeChat, isWeChat, meta, platformOf, sourceFields, type ExtractedPage } from './page-meta';

export { platformOf, type ExtractedPage, type Platform } from './page-meta';

export interface ExtractOptions {
  /** Skip Readability for documents with more elements than this (block text instead). */
  maxElementsForReadability?: number;
}

/** Extracts the article of a document. Does not modify `doc`. */
export function extractArticle(source: Document, url?: string, options: ExtractOptions = {}): ExtractedPage {
  const pageUrl = url ?? (source.location?.href && source.location.href !== 'about:blank' ? source.location.href : undefined);
  const split = splitHidden(source);
  const doc = split.doc;
  const hidden = {
    hiddenText: split.hiddenText,
    hiddenLinks: split.hiddenLinks.map((h) => absolute(h, pageUrl)).filter((u): u is string => !!u && /^https?:/i.test(u)),
  };
  if (isWeChat(doc, pageUrl)) return { ...extractWeChat(doc, pageUrl), ...hidden };

  const metaBylines = [meta(doc, 'author', 'article:author', 'byl', 'dc.creator'), meta(doc, 'og:site_name', 'application-name'), meta(doc, 'source', 'article:source', 'dc.source')].filter(
    (x): x is string => !!x,
  );
  const bylines = sourceFields(doc);
  const base: Omit<ExtractedPage, 'title' | 'text' | 'links' | 'via'> = {
    url: pageUrl,
    canonical: canonicalOf(doc, pageUrl),
    bylines,
    metaBylines,
    ...hidden,
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
        // Readability's byline may come from the page or from its meta tags; its site name from meta tags.
        if (article.byline) (blockText(doc.body ?? doc).includes(article.byline.trim()) ? bylines : metaBylines).unshift(article.byline);
        if (article.siteName && !metaBylines.includes(article.siteName)) metaBylines.push(article.siteName);
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
