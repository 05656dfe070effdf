/**
 * The content script's trimmed UI catalogs (lib/i18n-badge.ts): a Vite
 * plugin that answers `…/messages.json?badge` with only the messages whose
 * key one of the content script's sources holds as a string literal. Runs
 * in the build (Node), never in the extension.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the content scripts' strings are named (the badge, the marks, the generic and platform content scripts). */
export const BADGE_SOURCES = ['components/Badge.tsx', 'entrypoints/content', 'entrypoints/platform.content', 'lib/content'];

function sourceFiles(root: string): string[] {
  return BADGE_SOURCES.flatMap((rel) => {
    const path = join(root, rel);
    return /\.[jt]sx?$/.test(rel) ? [path] : readdirSync(path).filter((f) => /\.[jt]sx?$/.test(f)).map((f) => join(path, f));
  });
}

/** The keys of `catalog` that the sources hold as string literals. */
export function badgeKeys(root: string, catalog: Record<string, unknown>): Set<string> {
  const literals = new Set<string>();
  for (const file of sourceFiles(root)) for (const m of readFileSync(file, 'utf8').matchAll(/['"`]([A-Za-z][A-Za-z0-9_]*)['"`]/g)) literals.add(m[1]!);
  return new Set(Object.keys(catalog).filter((k) => literals.has(k)));
}

/** A catalog with only the badge's keys. */
export function badgeCatalog(root: string, catalogFile: string): Record<string, unknown> {
  const catalog = JSON.parse(readFileSync(catalogFile, 'utf8')) as Record<string, unknown>;
  const en = JSON.parse(readFileSync(join(root, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, unknown>;
  const keys = badgeKeys(root, en);
  return Object.fromEntries(Object.entries(catalog).filter(([k]) => keys.has(k)));
}

const PREFIX = '\0badge-messages:';
/** The virtual module's id ends in .js, so that Vite's JSON plugin leaves it alone. */
const SUFFIX = '.badge.js';

export function badgeMessages(root = process.cwd()) {
  return {
    name: 'badge-messages',
    enforce: 'pre' as const,
    resolveId(source: string, importer?: string) {
      if (!source.endsWith('messages.json?badge') || !importer) return null;
      return PREFIX + resolve(importer, '..', source.slice(0, -'?badge'.length)) + SUFFIX;
    },
    load(id: string) {
      if (!id.startsWith(PREFIX) || !id.endsWith(SUFFIX)) return null;
      return `export default ${JSON.stringify(badgeCatalog(root, id.slice(PREFIX.length, -SUFFIX.length)))};`;
    },
  };
}
