/**
 * A saved page in Node with its platform units: the generic extraction (as
 * extractSavedPage gives it) and, when a platform module recognises the page,
 * its units read from the rendered part of the page (lib/platforms).
 */
import { extractUnits, moduleFor } from '../platforms/index';
import type { PlatformPage } from '../platforms/types';
import { decodeHtmlBytes } from './decode-html';
import { extractArticle } from './extract-article';
import { splitHidden } from './hidden-elements';
import { parseHtmlDocument, savedPageAddress, type SavedPage } from './parse-html';

export interface SavedUnits {
  page: SavedPage;
  /** Undefined: no platform module knows the page (the generic extraction stands alone). */
  platform?: PlatformPage;
}

/** Decodes, parses and extracts a saved page and its platform units. `now`: when its figures are read (default: now). */
export function extractSavedUnits(bytes: Uint8Array, now?: string): SavedUnits {
  const { text: html, encoding } = decodeHtmlBytes(bytes);
  const doc = parseHtmlDocument(html);
  const address = savedPageAddress(doc, html);
  const page: SavedPage = { ...extractArticle(doc, address?.url), encoding, ...(address?.fromMetadata ? { urlFromMetadata: true } : {}) };
  // Only a page some module may know is split again (splitting is the costly part).
  if (!moduleFor(address?.url, doc)) return { page };
  const platform = extractUnits(splitHidden(doc).doc, { url: address?.url, ...(now ? { now } : {}) });
  return platform ? { page, platform } : { page };
}
