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

/**
 * Address of a saved page: the saved-from comment that the browser wrote
 * (where the page was), else its canonical link or og:url (what the page
 * claims: `fromMetadata`, a weak signal for credit).
 */
export function savedPageAddress(doc: Document, html: string): { url: string; fromMetadata: boolean } | undefined {
  const canon = doc.querySelector('link[rel="canonical"]')?.getAttribute('href');
  const og = doc.querySelector('meta[property="og:url"]')?.getAttribute('content');
  for (const [u, fromMetadata] of [[savedFromUrl(html), false], [canon, true], [og, true]] as const) {
    if (!u) continue;
    try {
      const url = new URL(u);
      if (url.protocol === 'http:' || url.protocol === 'https:') return { url: url.href, fromMetadata };
    } catch {
      /* not absolute */
    }
  }
  return undefined;
}

/** Address of a saved page (see savedPageAddress). */
export function savedPageUrl(doc: Document, html: string): string | undefined {
  return savedPageAddress(doc, html)?.url;
}

export interface SavedPage extends ExtractedPage {
  encoding: string;
}

/** Decodes, parses and extracts a saved HTML page. */
export function extractSavedPage(bytes: Uint8Array): SavedPage {
  const { text: html, encoding } = decodeHtmlBytes(bytes);
  const doc = parseHtmlDocument(html);
  const address = savedPageAddress(doc, html);
  return { ...extractArticle(doc, address?.url), encoding, ...(address?.fromMetadata ? { urlFromMetadata: true } : {}) };
}
