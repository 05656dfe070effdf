/** Loads a platform fixture page as the scan CLI does (address from the saved-from note, rendered part only). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitHidden } from '../../lib/extract/hidden-elements';
import { parseHtmlDocument, savedPageUrl } from '../../lib/extract/parse-html';
import { extractUnits, type PlatformPage } from '../../lib/platforms/index';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'platforms');
export const NOW = '2026-12-01T08:00:00.000Z';

export function fixtureDoc(name: string): { doc: Document; url: string | undefined } {
  const html = readFileSync(join(FIXTURES, name), 'utf8');
  const doc = parseHtmlDocument(html);
  return { doc: splitHidden(doc).doc, url: savedPageUrl(doc, html) };
}

export function fixtureUnits(name: string, url?: string): PlatformPage | undefined {
  const f = fixtureDoc(name);
  return extractUnits(f.doc, { url: url ?? f.url, now: NOW });
}
