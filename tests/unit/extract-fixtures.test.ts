/**
 * The scan CLI's extraction on the extraction fixture pages
 * (tests/fixtures/extract): each page's article is found — its first and
 * last paragraphs, none of its teasers, comments, rails or hidden text.
 * (tests/e2e/extract.spec.ts checks that the content script finds the same.)
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { extractSavedPage } from '../../lib/extract/parse-html';

const DIR = resolve('tests/fixtures/extract');
const specs: Array<{ file: string; kind: string; holds: string[]; notArticle: string[] }> = JSON.parse(readFileSync(join(DIR, 'pages.json'), 'utf8'));
const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('CLI extraction of the fixture pages', () => {
  test('there are at least 12 pages, English and Chinese', () => {
    expect(specs.length).toBeGreaterThanOrEqual(12);
    expect(new Set(specs.map((s) => s.file.slice(0, 2)))).toEqual(new Set(['en', 'zh']));
  });
  for (const spec of specs)
    test(`${spec.file}: ${spec.kind}`, () => {
      const page = extractSavedPage(readFileSync(join(DIR, spec.file)));
      expect(page.via).toBe('readability');
      for (const s of spec.holds) expect(flat(page.text)).toContain(flat(s));
      for (const s of spec.notArticle) expect(flat(page.text)).not.toContain(flat(s));
    });
});
