/**
 * The generic content script's signs of a platform page (lib/platforms/signs.ts)
 * are a superset of the modules' own looksLike: on every platform fixture and
 * demo page a module would read, a sign shows (the page is handed to the
 * platform script); on the demo's article pages of other sites, none does.
 * The hosts the modules claim are the platform script's match patterns.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/cli/cli-support';
import { parseHtmlDocument } from '../../lib/extract/parse-html';
import { MODULES } from '../../lib/platforms/index';
import { PLATFORM_HOSTS, PLATFORM_MATCHES, platformSigns } from '../../lib/platforms/signs';

const dirs = ['tests/fixtures/platforms', 'public/demo'];
const pages = dirs.flatMap((d) =>
  readdirSync(join(PROJECT_ROOT, d))
    .filter((f) => f.endsWith('.html'))
    .map((f) => ({ name: `${d}/${f}`, doc: parseHtmlDocument(readFileSync(join(PROJECT_ROOT, d, f), 'utf8')) })),
);

describe('platform signs', () => {
  it('show on every page a module recognises by its shape', () => {
    const read = pages.filter((p) => MODULES.some((m) => m.looksLike(p.doc)));
    expect(read.length).toBeGreaterThanOrEqual(15);
    for (const p of read) expect([p.name, platformSigns(p.doc)]).toEqual([p.name, true]);
  });
  it('do not show on the demo’s news and blog pages', () => {
    const plain = pages.filter((p) => /public\/demo\/(en-|zh-news|zh-original|zh-statement|zh-traditional|zh-unrelated)/.test(p.name));
    expect(plain.length).toBeGreaterThanOrEqual(10);
    for (const p of plain) expect([p.name, platformSigns(p.doc)]).toEqual([p.name, false]);
  });
  it('cover each module’s hosts, subdomains included', () => {
    for (const m of MODULES) for (const h of m.hosts) expect(PLATFORM_HOSTS).toContain(h);
    expect(PLATFORM_MATCHES).toEqual(PLATFORM_HOSTS.map((h) => `*://*.${h}/*`));
  });
});
