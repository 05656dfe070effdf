/**
 * Originals from RSS and Atom feeds, fetched politely: one request at a time
 * per host with a pause between requests, a time limit, a size limit, a
 * User-Agent that says who is asking, and the site's robots.txt respected. Each item's page is fetched and its
 * article extracted; when the page cannot be used, the item's own content is.
 */
import { readBodyUpTo } from '../feed/read-body';
import type { OutletRegistry } from '../credit/registry';
import { extractSavedPage, parseHtmlDocument } from '../extract/parse-html';
import type { OriginalInput } from '../index/types';
import { canonicalLang, isoPublished } from './original-fields';
import type { Skipped } from './read-originals';

export const USER_AGENT = 'provenance-badges-index/0.1 (index builder; +https://github.com/provenance-badges)';

export interface PoliteOptions {
  userAgent?: string;
  timeoutMs?: number;
  /** Pause between two requests to the same host. */
  intervalMs?: number;
  maxBytes?: number;
  fetch?: typeof fetch;
}

/**
 * The Disallow rules of a robots.txt that apply to us: the group for our
 * product token if there is one, else the group for "*". Allow lines and
 * wildcards are not interpreted (a prefix match on Disallow only, which errs
 * on the side of fetching less).
 */
export function robotsDisallows(robots: string, product = 'provenance-badges-index'): string[] {
  const groups: Array<{ agents: string[]; disallow: string[] }> = [];
  let current: { agents: string[]; disallow: string[] } | undefined;
  let inAgents = false;
  for (const raw of robots.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const field = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (field === 'user-agent') {
      if (!inAgents) groups.push((current = { agents: [], disallow: [] }));
      current!.agents.push(value.toLowerCase());
      inAgents = true;
    } else {
      inAgents = false;
      if (field === 'disallow' && current && value) current.disallow.push(value);
    }
  }
  const ours = groups.find((g) => g.agents.some((a) => a !== '*' && product.toLowerCase().startsWith(a)));
  return (ours ?? groups.find((g) => g.agents.includes('*')))?.disallow ?? [];
}

export class PoliteFetcher {
  private readonly last = new Map<string, number>();
  private readonly robots = new Map<string, Promise<string[]>>();
  constructor(private readonly o: PoliteOptions = {}) {}

  /** Whether the site's robots.txt lets this tool fetch `url` (read once per site; none or unreadable: allowed). */
  async allowed(url: string): Promise<boolean> {
    const u = new URL(url);
    let rules = this.robots.get(u.origin);
    if (!rules) {
      rules = this.fetch(`${u.origin}/robots.txt`).then(
        (b) => robotsDisallows(new TextDecoder().decode(b)),
        () => [],
      );
      this.robots.set(u.origin, rules);
    }
    const path = u.pathname + u.search;
    return !(await rules).some((d) => path.startsWith(d));
  }

  async get(url: string): Promise<Uint8Array> {
    if (!(await this.allowed(url))) throw new Error('disallowed by the site’s robots.txt');
    return this.fetch(url);
  }

  private async fetch(url: string): Promise<Uint8Array> {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`not a web address: ${url}`);
    const wait = (this.last.get(u.host) ?? 0) + (this.o.intervalMs ?? 1000) - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    this.last.set(u.host, Date.now());
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), this.o.timeoutMs ?? 20_000);
    try {
      const res = await (this.o.fetch ?? fetch)(url, { signal: ctrl.signal, headers: { 'user-agent': this.o.userAgent ?? USER_AGENT, accept: '*/*' } });
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new Error(`HTTP ${res.status}`);
      }
      return await readUpTo(res, this.o.maxBytes ?? 5 << 20);
    } catch (e) {
      if (ctrl.signal.aborted) throw new Error(`no answer within ${Math.round((this.o.timeoutMs ?? 20_000) / 1000)} s`);
      // undici says only "fetch failed"; the reason is in its cause.
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      if ((e as Error).message === 'fetch failed' && cause) throw new Error(NET_REASONS[cause.code ?? ''] ?? cause.code ?? cause.message ?? 'fetch failed');
      throw e;
    } finally {
      clearTimeout(timer);
      this.last.set(u.host, Date.now());
    }
  }
}

const NET_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be looked up (no network?)',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another name',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified',
};

/** Size limit as said in messages: "5 MB", or bytes below a megabyte. */
const sizeText = (n: number) => (n >= 1 << 20 ? `${Math.round(n / (1 << 20))} MB` : `${n} bytes`);

/** A response's body up to `maxBytes`, abandoned as soon as it passes them (lib/feed/read-body.ts). */
export function readUpTo(res: Response, maxBytes: number): Promise<Uint8Array> {
  return readBodyUpTo(res, maxBytes, () => new Error(`larger than ${sizeText(maxBytes)}`));
}

interface FeedItem {
  link: string;
  title: string;
  published: string;
  content: string;
}

const textOf = (el: Element | null | undefined) => (el?.textContent ?? '').trim();

/** Items of an RSS 2.0 or Atom document. */
export function parseFeedItems(xml: string, base: string): FeedItem[] {
  // linkedom's HTML parser keeps unknown elements, which is all that is needed to read RSS and Atom.
  const doc = parseHtmlDocument(xml.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')));
  const items: FeedItem[] = [];
  for (const it of Array.from(doc.querySelectorAll('item'))) {
    // In HTML parsing <link> is a void element: its text follows it.
    const linkEl = it.querySelector('link');
    const link = (linkEl?.textContent || linkEl?.nextSibling?.textContent || textOf(it.querySelector('guid'))).trim();
    items.push({ link, title: textOf(it.querySelector('title')), published: textOf(it.querySelector('pubDate')), content: textOf(it.querySelector('encoded')) || textOf(it.querySelector('description')) });
  }
  for (const en of Array.from(doc.querySelectorAll('entry'))) {
    const links = Array.from(en.querySelectorAll('link'));
    const alt = links.find((l) => (l.getAttribute('rel') ?? 'alternate') === 'alternate') ?? links[0];
    items.push({ link: alt?.getAttribute('href') ?? '', title: textOf(en.querySelector('title')), published: textOf(en.querySelector('published')) || textOf(en.querySelector('updated')), content: textOf(en.querySelector('content')) || textOf(en.querySelector('summary')) });
  }
  return items
    .map((i) => {
      try {
        return { ...i, link: new URL(i.link, base).href };
      } catch {
        return { ...i, link: '' };
      }
    });
}

const isoDate = (s: string) => {
  const t = Date.parse(s);
  return Number.isNaN(t) ? '' : new Date(t).toISOString().slice(0, 10);
};
const stripTags = (html: string) => parseHtmlDocument(`<body>${html}</body>`).body?.textContent?.trim() ?? '';

export async function* readFeedUrl(url: string, registry: OutletRegistry, skipped: Skipped[], fetcher = new PoliteFetcher()): AsyncGenerator<OriginalInput> {
  let xml: string;
  try {
    xml = new TextDecoder().decode(await fetcher.get(url));
  } catch (e) {
    skipped.push({ where: url, reason: `feed not read: ${(e as Error).message}` });
    return;
  }
  const items = parseFeedItems(xml, url);
  if (!items.length) skipped.push({ where: url, reason: 'no RSS items or Atom entries' });
  for (const item of items) {
    if (!/^https?:/.test(item.link)) {
      skipped.push({ where: `${url} item "${item.title.slice(0, 60)}"`, reason: 'no link' });
      continue;
    }
    const rec = await readArticle(item.link, registry, skipped, fetcher, item);
    if (rec) yield rec;
  }
}

/**
 * One article page as an original: fetched politely, its article extracted,
 * the outlet from its domain. `fallback` (a feed item) gives the title, date
 * and text when the page cannot be read.
 */
export async function readArticle(
  link: string,
  registry: OutletRegistry,
  skipped: Skipped[],
  fetcher: PoliteFetcher,
  fallback?: { title: string; published: string; content: string },
): Promise<OriginalInput | undefined> {
  let host: string;
  try {
    const u = new URL(link);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error();
    host = u.hostname;
  } catch {
    skipped.push({ where: link.slice(0, 200), reason: 'not a web address' });
    return undefined;
  }
  const outlet = registry.outletForHost(host);
  if (!outlet) {
    skipped.push({ where: link, reason: `domain ${host} is not an outlet in the registry` });
    return undefined;
  }
  let text = '';
  let title = fallback?.title ?? '';
  let published = isoDate(fallback?.published ?? '');
  let lang = '';
  try {
    const page = extractSavedPage(await fetcher.get(link));
    text = page.text.trim();
    title ||= page.title;
    published ||= isoPublished(page.published);
    lang = canonicalLang(page.lang ?? '').tag ?? '';
  } catch (e) {
    skipped.push({ where: link, reason: `page not read (${(e as Error).message})${fallback ? "; the feed's own content is used" : ''}` });
  }
  if (!text && fallback) text = stripTags(fallback.content);
  if (!text) {
    if (!fallback) return undefined;
    skipped.push({ where: link, reason: 'no article text' });
    return undefined;
  }
  return { id: link, outlet: outlet.id, url: link, title, published, lang, text };
}

/** Originals from a list of article addresses (one per line; blank lines and # comments ignored). */
export async function* readUrlList(file: string, lines: string[], registry: OutletRegistry, skipped: Skipped[], fetcher: PoliteFetcher): AsyncGenerator<OriginalInput> {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith('#')) continue;
    if (!/^https?:\/\//i.test(line)) {
      skipped.push({ where: `${file}:${i + 1}`, reason: 'not an http(s) address' });
      continue;
    }
    const rec = await readArticle(line, registry, skipped, fetcher);
    if (rec) yield rec;
    else if (!skipped.some((s) => s.where === line)) skipped.push({ where: line, reason: 'no article text' });
  }
}
