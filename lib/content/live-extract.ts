/**
 * Article text of the live page, for the content script: cheap, time-sliced
 * (never one long task, even on a page with 200k elements), and with a map
 * from every offset of the extracted text back to a DOM text node, so that
 * matched passages can be highlighted. Whitespace is replaced one for one
 * (never collapsed) so that offsets inside a text node stay exact; block
 * boundaries add "\n\n" that maps to no node.
 *
 * The article is what @mozilla/readability finds on a copy of the rendered
 * page, as the scan CLI finds it (lib/content/snapshot.ts); a WeChat article's
 * marked body is read whole, as the CLI reads it.
 *
 * Only rendered text counts (lib/content/rendered.ts); links and source
 * fields count as credit only when a reader can see them. What is hidden in
 * and around the article (texts, links) goes along separately: hidden credit
 * is evidence of its own. Metadata (meta tags, canonical) goes along as such.
 */
import { absolute, collectLinks, platformOf, scriptVar, sourceFieldElements } from '../extract/page-meta';
import type { PagePayload } from '../messages';
import { RenderedView } from './rendered';
import { findArticle, readRendered } from './snapshot';

export interface TextMap {
  nodes: Text[];
  /** Offset in the extracted text where each node's text starts. */
  starts: number[];
}

export interface LiveExtract {
  page: PagePayload;
  map: TextMap;
  root: Element;
}


/** The badge's host element: our own UI, never page text. */
export function isOwnUi(el: Element): boolean {
  return el.id === 'provenance-badge' || el.tagName.toUpperCase() === 'PROVENANCE-BADGE';
}

/** Yields to the page: scheduler.yield where there is one, else a macrotask. */
export function yieldToPage(): Promise<void> {
  const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (s?.yield) return s.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Runs work in slices of at most `budget` ms. */
export class Slicer {
  private start = performance.now();
  constructor(private readonly budget = 8, readonly signal?: AbortSignal) {}
  /** Yields when the slice is used up (or always, with force). */
  async tick(force = false): Promise<void> {
    if (!force && performance.now() - this.start < this.budget) return;
    await yieldToPage();
    if (this.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    this.start = performance.now();
  }
}

/** Rendered at all (display, content-visibility, opacity 0, here and above; visibility may be undone below). */
function renders(el: Element): boolean {
  const check = (el as Element & { checkVisibility?: (o?: object) => boolean }).checkVisibility;
  return check ? check.call(el, { checkOpacity: true }) : true;
}

/** Short texts of hidden elements (at most 20 of 300 characters): where hidden credit would be. */
function snippets(els: Iterable<Element>): string[] {
  const out: string[] = [];
  for (const el of els) {
    const t = (el.textContent ?? '').slice(0, 2000).replace(/\s+/g, ' ').trim().slice(0, 300);
    if (t && !out.includes(t)) out.push(t);
    if (out.length >= 20) break;
  }
  return out;
}

/** Metadata from <head> only (small, cheap even when the body is huge). */
function headMeta(doc: Document): (...keys: string[]) => string | undefined {
  const map = new Map<string, string>();
  const metas = doc.head?.getElementsByTagName('meta') ?? [];
  for (const m of Array.from(metas)) {
    const key = (m.getAttribute('property') ?? m.getAttribute('name') ?? m.getAttribute('itemprop'))?.toLowerCase();
    const value = m.getAttribute('content')?.trim();
    if (key && value && !map.has(key)) map.set(key, value);
  }
  return (...keys) => keys.map((k) => map.get(k.toLowerCase())).find((v) => v !== undefined);
}

/** Extracts the live page: rendered article text with its node map, visible credit, hidden credit and metadata apart. */
export async function extractLivePage(doc: Document, signal?: AbortSignal): Promise<LiveExtract | undefined> {
  const slicer = new Slicer(8, signal);
  const url = doc.location.href;
  const view = new RenderedView(doc);
  // A WeChat article's body is marked (as the CLI's WeChat extraction reads it); elsewhere Readability finds it.
  const wechatBody = doc.getElementById('js_content');
  let root: Element;
  let text: string;
  let map: TextMap;
  let walkedHidden: Element[];
  let shownLinks: Set<Element>;
  if (wechatBody && renders(wechatBody)) {
    const walked = await readRendered(doc, wechatBody, view, slicer, isOwnUi);
    ({ text, map } = walked);
    root = wechatBody;
    walkedHidden = walked.snap.hidden.slice(0, 50);
    shownLinks = walked.snap.shownLinks;
  } else {
    const article = await findArticle(doc, view, slicer, isOwnUi);
    if (!article) return undefined;
    ({ text, map, root } = article);
    walkedHidden = article.snap.hidden.filter((el) => root.contains(el)).slice(0, 50);
    shownLinks = article.snap.shownLinks;
  }
  await slicer.tick(true);
  const meta = headMeta(doc);
  const wechat = platformOf(url) === 'wechat' || root.id === 'js_content';
  const title =
    (wechat ? doc.getElementById('activity-name')?.textContent?.trim() : undefined) ?? meta('og:title') ?? doc.title ?? '';
  const canonicalHref = doc.head?.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? meta('og:url');
  const scope = root.parentElement && root.parentElement !== doc.body ? root.parentElement : root;
  const hiddenEls = new Set(walkedHidden);
  const bylines: string[] = [];
  const field = (el: Element | null | undefined) => {
    const t = el?.textContent?.replace(/\s+/g, ' ').trim();
    if (!el || !t || t.length > 200) return;
    if (view.elementShows(el)) {
      if (!bylines.includes(t)) bylines.push(t);
    } else hiddenEls.add(el);
  };
  if (wechat) field(doc.getElementById('js_name'));
  for (const el of sourceFieldElements(scope).slice(0, 20)) field(el);
  await slicer.tick(true);
  // Links a reader can see: those in the article that hold rendered text, and source links elsewhere that show.
  const hiddenLinks: string[] = [];
  const links = collectLinks(root, doc, url, (a) => {
    const shown = root.contains(a) ? shownLinks.has(a) || (!a.textContent?.trim() && view.elementShows(a)) : view.elementShows(a);
    if (!shown) {
      const u = absolute(a.getAttribute('href'), url);
      if (u && /^https?:/i.test(u) && !hiddenLinks.includes(u) && hiddenLinks.length < 50) hiddenLinks.push(u);
    }
    return shown;
  }).slice(0, 200);
  for (const el of hiddenEls)
    for (const a of el.matches('a[href]') ? [el] : Array.from(el.querySelectorAll('a[href]')).slice(0, 20)) {
      const u = absolute(a.getAttribute('href'), url);
      if (u && /^https?:/i.test(u) && !hiddenLinks.includes(u) && hiddenLinks.length < 50) hiddenLinks.push(u);
    }
  await slicer.tick(true);
  const metaBylines = [
    wechat ? scriptVar(doc, 'nickname') : undefined,
    meta('author', 'article:author', 'byl', 'dc.creator'),
    meta('og:site_name', 'application-name'),
    meta('source', 'article:source', 'dc.source'),
  ].filter((x): x is string => !!x);
  return {
    root,
    map,
    page: {
      url,
      title: title.trim().slice(0, 500),
      text,
      canonical: absolute(canonicalHref, url),
      links,
      bylines: bylines.slice(0, 20),
      metaBylines: metaBylines.slice(0, 10),
      hiddenLinks,
      hiddenText: snippets(hiddenEls),
      platform: wechat ? 'wechat' : platformOf(url),
    },
  };
}

/** A DOM Range for [start, end) of the extracted text, or undefined. */
export function rangeFor(doc: Document, map: TextMap, start: number, end: number): Range | undefined {
  const locate = (offset: number, preferNext: boolean): [Text, number] | undefined => {
    let lo = 0;
    let hi = map.starts.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (map.starts[mid]! <= offset) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (at < 0) return undefined;
    let node = map.nodes[at]!;
    let within = offset - map.starts[at]!;
    if (within > node.data.length) {
      // The offset falls in a block break after this node.
      if (preferNext && at + 1 < map.nodes.length) return [map.nodes[at + 1]!, 0];
      within = node.data.length;
    }
    if (!node.isConnected) return undefined;
    return [node, within];
  };
  const a = locate(start, true);
  const b = locate(end, false);
  if (!a || !b) return undefined;
  try {
    const r = doc.createRange();
    r.setStart(a[0], a[1]);
    r.setEnd(b[0], b[1]);
    return r;
  } catch {
    return undefined;
  }
}
