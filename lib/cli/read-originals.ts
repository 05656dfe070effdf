/**
 * Reads originals for the index builder: JSONL files (one
 * {id, outlet, url, title, published, lang, text} per line), folders of
 * saved HTML pages (outlet from the page's domain) and RSS/Atom feed addresses. Every record that cannot
 * be used is reported with its place and reason; nothing is silently dropped.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import type { OutletRegistry } from '../credit/registry';
import { extractSavedPage } from '../extract/parse-html';
import type { OriginalInput } from '../index/types';
import { UserError } from './cli-support';
import { canonicalLang, checkPublished, isoPublished, notUtf8Text } from './original-fields';
import { PoliteFetcher, readFeedUrl, readUrlList } from './read-rss';

export interface Skipped {
  where: string;
  reason: string;
}

const FIELDS = ['id', 'outlet', 'url', 'title', 'published', 'lang', 'text'] as const;
/** `outlet` may be absent or empty when the address's domain is an outlet's (resolved later). */
const REQUIRED = FIELDS.filter((f) => f !== 'outlet');

/**
 * One JSONL line as an original, or the reason it cannot be one. The outlet
 * is as written; `resolveOriginalOutlet` turns it into a registry id.
 */
export function parseOriginalLine(line: string): OriginalInput | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    return `not valid JSON (${(e as Error).message})`;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
  const o = v as Record<string, unknown>;
  const missing = REQUIRED.filter((f) => o[f] === undefined || o[f] === null);
  if (missing.length) return `missing field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
  if (o.outlet === undefined || o.outlet === null) o.outlet = '';
  const wrong = FIELDS.filter((f) => typeof o[f] !== 'string');
  if (wrong.length) return `field${wrong.length > 1 ? 's' : ''} ${wrong.join(', ')} must be text`;
  if (!(o.id as string).trim()) return 'empty id';
  if (!(o.text as string).trim()) return 'empty text';
  const published = checkPublished(o.published as string);
  if (published) return published;
  const lang = canonicalLang(o.lang as string);
  if (lang.error) return lang.error;
  o.lang = lang.tag;
  try {
    const u = new URL(o.url as string);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return `url must be http(s): ${o.url}`;
  } catch {
    return `url is not an absolute address: ${JSON.stringify(o.url)}`;
  }
  return Object.fromEntries(FIELDS.map((f) => [f, o[f]])) as unknown as OriginalInput;
}

/**
 * The original with its outlet as a registry id (from the id, a name or alias
 * in any script, or the address's domain), or the reason it is refused. An
 * outlet the registry does not know and that is close to none is kept as given.
 */
export function resolveOriginalOutlet(rec: OriginalInput, registry: OutletRegistry): OriginalInput | string {
  // A named outlet resolves the same way every time (the address counts only when none is named): remembered, as
  // looking for a near name of an outlet the registry does not know costs about a millisecond.
  const given = rec.outlet.trim();
  let seen = given ? resolved.get(registry) : undefined;
  if (!seen && given) resolved.set(registry, (seen = new Map()));
  let r = seen?.get(given);
  if (!r) {
    r = registry.resolveOutlet(rec.outlet, rec.url);
    if (seen && seen.size < 10_000) seen.set(given, r);
  }
  if (r.how === 'refused') return r.reason;
  const outlet = r.outlet ? r.outlet.id : r.id;
  return outlet === rec.outlet ? rec : { ...rec, outlet };
}

/** notUtf8Text over a file read in chunks (the same reasons; a NUL byte anywhere is named first). */
async function notUtf8File(file: string): Promise<string | undefined> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let nul = false;
  let bad = false;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    if (!nul && chunk.includes(0)) nul = true;
    if (!bad)
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        bad = true;
      }
  }
  if (!bad)
    try {
      decoder.decode();
    } catch {
      bad = true;
    }
  if (nul) return 'a binary file, not UTF-8 text (it holds NUL bytes)';
  return bad ? 'not UTF-8 text (JSONL files and address lists must be UTF-8)' : undefined;
}

/** A UTF-8 file's lines (split at \n as split(/\r?\n/) does, before trimming), read in chunks. */
async function* fileLines(file: string): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const parts = (rest + decoder.decode(chunk, { stream: true })).split('\n');
    rest = parts.pop()!;
    yield* parts;
  }
  yield rest + decoder.decode();
}

const resolved = new WeakMap<OutletRegistry, Map<string, ReturnType<OutletRegistry['resolveOutlet']>>>();

async function listFiles(path: string): Promise<string[]> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw new UserError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message}`, 1);
  }
  if (st.isFile()) return [path];
  const out: string[] = [];
  for (const e of (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const p = join(path, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out;
}

export async function* readOriginals(
  paths: string[],
  registry: OutletRegistry,
  skipped: Skipped[],
): AsyncGenerator<OriginalInput> {
  let fetcher: PoliteFetcher | undefined;
  for (const root of paths) {
    if (/^https?:\/\//i.test(root)) {
      yield* readFeedUrl(root, registry, skipped, (fetcher ??= new PoliteFetcher()));
      continue;
    }
    const files = await listFiles(root);
    for (const file of files) {
      const ext = extname(file).toLowerCase();
      const shown = files.length > 1 ? relative(process.cwd(), file) : file;
      if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') {
        // Streamed: a file of millions of originals is larger than any one string can be.
        const why = await notUtf8File(file);
        if (why) {
          skipped.push({ where: shown, reason: why });
          continue;
        }
        let i = 0;
        for await (const raw of fileLines(file)) {
          i++;
          const line = raw.trim();
          if (!line) continue;
          const parsed = parseOriginalLine(line);
          const r = typeof parsed === 'string' ? parsed : resolveOriginalOutlet(parsed, registry);
          if (typeof r === 'string') skipped.push({ where: `${shown}:${i}`, reason: r });
          else yield r;
        }
      } else if (ext === '.txt') {
        const bytes = new Uint8Array(await readFile(file));
        const why = notUtf8Text(bytes);
        if (why) {
          skipped.push({ where: shown, reason: why });
          continue;
        }
        const lines = new TextDecoder().decode(bytes).split(/\r?\n/);
        // A list of article addresses (e.g. the report server's /api/originals.txt).
        yield* readUrlList(shown, lines, registry, skipped, (fetcher ??= new PoliteFetcher()));
      } else if (ext === '.html' || ext === '.htm') {
        const page = extractSavedPage(new Uint8Array(await readFile(file)));
        const host = page.url ? new URL(page.url).hostname : undefined;
        const outlet = host ? registry.outletForHost(host) : undefined;
        if (!page.url) skipped.push({ where: shown, reason: 'no address (canonical, og:url or saved-from comment)' });
        else if (!outlet) skipped.push({ where: shown, reason: `domain ${host} is not an outlet in the registry` });
        else if (!page.text.trim()) skipped.push({ where: shown, reason: 'no article text found' });
        else
          yield {
            id: page.url,
            outlet: outlet.id,
            url: page.url,
            title: page.title,
            published: isoPublished(page.published),
            lang: canonicalLang(page.lang ?? '').tag ?? '',
            text: page.text,
          };
      } else skipped.push({ where: shown, reason: `not an originals file (.jsonl), saved page (.html) or address list (.txt)` });
    }
  }
}
