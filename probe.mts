import { readFileSync } from 'node:fs';
import { parseHtmlDocument, savedPageUrl } from './lib/extract/parse-html';
import { splitHidden } from './lib/extract/hidden-elements';
import { extractUnits, unitText } from './lib/platforms/index';
for (const f of process.argv.slice(2)) {
  const html = readFileSync(f, 'utf8');
  const doc = parseHtmlDocument(html);
  const url = savedPageUrl(doc, html);
  const vis = splitHidden(doc).doc;
  const p = extractUnits(vis, { url, now: '2026-12-01T00:00:00.000Z' });
  console.log('==', f, url, p?.platform, p?.shape, p?.units.length);
  for (const u of p?.units ?? []) { const { element, ...rest } = u; console.log(JSON.stringify(rest, null, 1).slice(0, 1800)); }
}
