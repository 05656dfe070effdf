/** Parses saved HTML in Node (linkedom) and finds the page's own address. */
import { parseHTML } from 'linkedom';
import { decodeHtmlBytes } from './decode-html';
import { extractArticle, type ExtractedPage } from './extract-article';

export function parseHtmlDocument(html: string): Document {
  // linkedom builds a broken tree for documents without an <html> element: wrap fragments.
  if (!/<html[\s>]/i.test(html)) html = `<!DOCTYPE html><html>${/<body[\s>]/i.test(html) ? html : `<body>${html}</body>`}</html>`;
  return parseHTML(html).document as unknown as Document;
}

/** The "saved from url=(NNNN)…" comment that browsers write into saved pages. */
export function savedFromUrl(html: string): string | undefined {
  const m = /<!--\s*saved from url=\(\d+\)(\S+?)\s*-->/i.exec(html.slice(0, 4096));
  return m?.[1];
}

/** Address of a saved page: canonical link, og:url, or the saved-from comment. */
export function savedPageUrl(doc: Document, html: string): string | undefined {
  const canon = doc.querySelector('link[rel="canonical"]')?.getAttribute('href');
  const og = doc.querySelector('meta[property="og:url"]')?.getAttribute('content');
  for (const u of [canon, og, savedFromUrl(html)]) {
    if (!u) continue;
    try {
      const url = new URL(u);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
    } catch {
      /* not absolute */
    }
  }
  return undefined;
}

export interface SavedPage extends ExtractedPage {
  encoding: string;
}

/** Decodes, parses and extracts a saved HTML page. */
export function extractSavedPage(bytes: Uint8Array): SavedPage {
  const { text: html, encoding } = decodeHtmlBytes(bytes);
  const doc = parseHtmlDocument(html);
  const url = savedPageUrl(doc, html);
  return { ...extractArticle(doc, url), encoding };
}
