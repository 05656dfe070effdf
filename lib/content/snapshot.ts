/**
 * The article of the live page as @mozilla/readability finds it (the same
 * finder the scan CLI runs), on what a reader of the page can see.
 *
 * A walk over the page, in time slices, copies the rendered elements and the
 * shown text nodes (lib/content/rendered.ts decides) into a detached, inert
 * document. Only the attributes the finder reads are copied (class, id, role,
 * itemprop, rel, href, lang, dir): no `src`, no `style`, no `hidden` or
 * `aria-hidden` (a hidden element is left out already; one attribute must
 * not silence the badge). The page never sees the copy: nothing is added to,
 * moved in or changed on the live page. Readability runs on the copy,
 * synchronously, so its input is kept small (READABILITY_MAX_ELEMENTS
 * elements, READABILITY_MAX_DEPTH levels):
 *
 * - A page of at most that many elements is copied whole.
 * - On a bigger page, one sliced pass over the markup (no style read, so it
 *   is cheap) scores candidates as Readability does: paragraphs of 25+
 *   characters give points to their ancestors up to five levels, and a
 *   candidate's points are scaled by its link density. The rendered part of
 *   the best candidate's neighbourhood (up to three ancestors, within the
 *   budget) is copied and given to Readability; when what renders there is
 *   not enough (the page hid it), the next candidate, up to three.
 *
 * The article's text is read off the copy with a map back to the live text
 * nodes (for highlighting), in the live walk's form. As in the CLI
 * (lib/extract/extract-article.ts): when Readability finds no article, or
 * keeps less than half of the page's fallback text (and at most 2,000
 * characters), the text is the fallback: the first <article>, <main> or
 * [role=main] that renders (else the body), without navigation, footers,
 * asides and blocks named like comments, menus or ads.
 */
import Readability from '@mozilla/readability/Readability.js';
import { BLOCK_TAGS, SKIP_TAGS } from '../extract/block-text';
import { NOT_ARTICLE } from '../extract/page-meta';
import type { Slicer, TextMap } from './live-extract';
import type { RenderContext, RenderedView } from './rendered';

/** Readability's run is one task: its input is kept to this many elements… */
export const READABILITY_MAX_ELEMENTS = 6000;
/** …and this depth (its cost grows with elements times depth; real pages stay far below). */
export const READABILITY_MAX_DEPTH = 120;

const KEEP_ATTRS = ['class', 'id', 'role', 'itemprop', 'itemscope', 'itemtype', 'rel', 'href', 'lang', 'dir'];

/** Readability's paragraph weight: 1, its commas, and a point per 100 characters (at most 3). */
const COMMAS = new Set([0x2c, 0x60c, 0xfe50, 0xfe10, 0xfe11, 0x2e41, 0x2e34, 0x2e32, 0xff0c]);

/** Commas of the text `measure` read last. */
let measuredCommas = 0;

/** Length of a text without white space at its ends, and its commas (in measuredCommas); no allocation: the walk visits every text node of a big page. */
function measure(s: string): number {
  let first = -1;
  let last = -1;
  let commas = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 32 && c !== 0xa0 && c !== 0x3000) {
      if (first < 0) first = i;
      last = i;
      if (COMMAS.has(c)) commas++;
    }
  }
  const chars = first < 0 ? 0 : last - first + 1;
  measuredCommas = commas;
  return chars;
}

/** Elements Readability scores (and a <div> without block children, which it turns into a paragraph). */
const SCORED = new Set(['SECTION', 'H2', 'H3', 'H4', 'H5', 'H6', 'P', 'TD', 'PRE']);
const DIV_BLOCKS = new Set(['BLOCKQUOTE', 'DL', 'DIV', 'IMG', 'OL', 'P', 'PRE', 'TABLE', 'UL', 'SECTION', 'ARTICLE', 'FIGURE', 'HEADER', 'FOOTER', 'ASIDE', 'NAV', 'MAIN', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HR']);
/** Readability's starting points by tag. */
const TAG_BASE: Record<string, number> = { DIV: 5, PRE: 3, TD: 3, BLOCKQUOTE: 3, ADDRESS: -3, OL: -3, UL: -3, DL: -3, DD: -3, DT: -3, LI: -3, FORM: -3, H1: -5, H2: -5, H3: -5, H4: -5, H5: -5, H6: -5, TH: -5 };

export interface Snapshot {
  /** The copy, or undefined when the page had more rendered elements than the budget. */
  doc?: Document;
  /** Live node of each copied text node. */
  liveOf: Map<Node, Text>;
  /** Live elements (at most 5,000) that render nothing: whole, or their own text. */
  hidden: Element[];
  /** Live links that hold rendered text. */
  shownLinks: Set<Element>;
  /** Rendered elements walked. */
  elements: number;
  /** Depth of the deepest of them below the walk's root. */
  maxDepth: number;
  /** Readability's candidate scores (after link density) of live elements, with their rendered element counts. */
  candidates: Map<Element, { score: number; count: number }>;
  /** The first rendered <article>, <main> or [role=main]: the CLI's fallback, and its text length. */
  fallbackRoot?: Element;
  fallbackChars: number;
}

interface Frame {
  el: Element;
  copy?: Node;
  parent?: Frame;
  tag: string;
  chars: number;
  commas: number;
  linkChars: number;
  count: number;
  blockChild: boolean;
  depth: number;
  /** Inside a link: 1, or 0.3 for an in-page (#) link, as Readability weighs them; else 0. */
  link: number;
}

function emptyDoc(doc: Document, title: string): Document {
  const out = doc.implementation.createHTMLDocument('');
  out.title = title;
  // Head metadata Readability reads for the title (it drops a heading that repeats it).
  for (const m of Array.from(doc.head?.getElementsByTagName('meta') ?? []).slice(0, 200)) {
    const copy = out.createElement('meta');
    for (const a of ['name', 'property', 'content', 'itemprop']) {
      const v = m.getAttribute(a);
      if (v !== null) copy.setAttribute(a, v);
    }
    out.head.appendChild(copy);
  }
  return out;
}

function copyElement(out: Document, el: Element): Element {
  let copy: Element;
  try {
    copy = out.createElement(el.localName);
  } catch {
    copy = out.createElement('span');
  }
  for (const a of KEEP_ATTRS) {
    const v = el.getAttribute(a);
    if (v !== null) copy.setAttribute(a, v.slice(0, 2000));
  }
  return copy;
}

export interface WalkOptions {
  /** Stop copying past this many elements (the copy is dropped); 0 copies nothing. */
  maxCopy: number;
  /** Score candidates (the whole page's walk). */
  score: boolean;
}

/**
 * Walks the rendered part of `root` (the body, or a region of it), time-sliced:
 * copies it into a detached document (root included, unless it is the body)
 * and scores candidates as Readability does.
 */
export async function snapshotRendered(doc: Document, root: Element, view: RenderedView | undefined, slicer: Slicer, ownUi: (el: Element) => boolean, options: WalkOptions): Promise<Snapshot> {
  const body = doc.body ?? root;
  let out: Document | undefined = options.maxCopy > 0 ? emptyDoc(doc, doc.title) : undefined;
  const liveOf = new Map<Node, Text>();
  const hidden: Element[] = [];
  const shownLinks = new Set<Element>();
  const candidates = new Map<Element, { score: number; count: number }>();
  const points = new Map<Element, number>();
  const snap: Snapshot = { doc: out, liveOf, hidden, shownLinks, elements: 0, maxDepth: 0, candidates, fallbackChars: 0 };
  const hide = (el: Element) => {
    if (hidden.length < 5000) hidden.push(el);
  };
  const rootCtx: RenderContext | undefined = view ? view.rootContext(root) : { opacity: 1 };
  if (!rootCtx) {
    hide(root);
    return snap;
  }
  const rootCopy = !out ? undefined : root === body ? out.body : out.body.appendChild(copyElement(out, root));
  const top: Frame = { el: root, copy: rootCopy, tag: root.tagName.toUpperCase(), chars: 0, commas: 0, linkChars: 0, count: 0, blockChild: false, depth: 0, link: 0 };
  let steps = 0;
  // Stack items: a node with its frame (parent element) and render context, or a frame to close.
  // The walk's stack, in parallel arrays (no allocation per node): a node with its parent's frame
  // and render context, or a frame to close (node null).
  const nodes: Array<Node | null> = [null];
  const frames: Frame[] = [top];
  const ctxs: RenderContext[] = [rootCtx];
  for (let c = root.lastChild; c; c = c.previousSibling) {
    nodes.push(c);
    frames.push(top);
    ctxs.push(rootCtx);
  }
  const close = (f: Frame) => {
    const p = f.parent;
    if (p) {
      p.chars += f.chars;
      p.commas += f.commas;
      p.linkChars += f.linkChars;
      p.count += f.count + 1;
    }
    if (snap.fallbackRoot === f.el) snap.fallbackChars = f.chars;
    if (!options.score) return;
    const own = points.get(f.el);
    if (own !== undefined) {
      candidates.set(f.el, { score: own * (1 - (f.chars ? f.linkChars / f.chars : 0)), count: f.count });
      points.delete(f.el);
    } else if (f.chars >= 25) candidates.set(f.el, { score: -Infinity, count: f.count });
    if ((SCORED.has(f.tag) || (f.tag === 'DIV' && !f.blockChild)) && f.chars >= 25) {
      const score = 1 + f.commas + Math.min(Math.floor(f.chars / 100), 3);
      let level = 0;
      for (let a = f.parent; a && level < 5 && a.el !== body; a = a.parent, level++)
        points.set(a.el, (points.get(a.el) ?? TAG_BASE[a.tag] ?? 0) + score / (level === 0 ? 1 : level === 1 ? 2 : level * 3));
    }
  };
  while (nodes.length) {
    const node = nodes.pop()!;
    const frame = frames.pop()!;
    const ctx = ctxs.pop()!;
    if (++steps % 4 === 0) await slicer.tick();
    if (!node) {
      close(frame);
      continue;
    }
    if (node.nodeType === 3) {
      const t = node as Text;
      const chars = measure(t.data);
      const commas = measuredCommas;
      if (chars) {
        if (view && !view.shows(t, ctx)) {
          if (t.parentElement) hide(t.parentElement);
          continue;
        }
        if (frame.link) {
          const link = view && t.parentElement?.closest('a[href]');
          if (link) shownLinks.add(link);
          frame.linkChars += chars * frame.link;
        }
        frame.chars += chars;
        frame.commas += commas;
      }
      if (out && frame.copy) {
        const copy = out.createTextNode(t.data);
        liveOf.set(copy, t);
        frame.copy.appendChild(copy);
      }
      continue;
    }
    if (node.nodeType !== 1) continue;
    const el = node as Element;
    const tag = el.tagName.toUpperCase();
    if (SKIP_TAGS.has(tag) || ownUi(el)) continue;
    // Without a view (the markup pass), only big containers are asked whether they render at all.
    const inner = view ? view.enter(el, ctx) : el.hasAttribute('hidden') || (el.childElementCount >= 32 && !renders(el)) ? undefined : ctx;
    if (!inner) {
      hide(el);
      continue;
    }
    snap.elements++;
    if (out && snap.elements > options.maxCopy) {
      out = undefined;
      snap.doc = undefined;
      liveOf.clear();
    }
    let copy: Element | undefined;
    if (out && frame.copy) {
      copy = copyElement(out, el);
      frame.copy.appendChild(copy);
    }
    if (DIV_BLOCKS.has(tag)) frame.blockChild = true;
    if (!snap.fallbackRoot && (tag === 'ARTICLE' || tag === 'MAIN' || el.getAttribute('role') === 'main')) snap.fallbackRoot = el;
    const href = tag === 'A' ? el.getAttribute('href') : null;
    const link = frame.link || (href === null ? 0 : /^#./.test(href) ? 0.3 : 1);
    const f: Frame = { el, copy, parent: frame, tag, chars: 0, commas: 0, linkChars: 0, count: 0, blockChild: false, depth: frame.depth + 1, link };
    if (f.depth > snap.maxDepth) snap.maxDepth = f.depth;
    nodes.push(null);
    frames.push(f);
    ctxs.push(inner);
    for (let c = el.lastChild; c; c = c.previousSibling) {
      nodes.push(c);
      frames.push(f);
      ctxs.push(inner);
    }
  }
  return snap;
}

export interface ArticleText {
  text: string;
  map: TextMap;
  /** The live element that holds the article's text (the nearest common ancestor). */
  root: Element;
  via: 'readability' | 'body';
}

/** Text of a copied subtree in the live walk's form (whitespace replaced one for one, blocks apart by "\n\n"), mapped to live nodes. */
async function copyText(root: Node, liveOf: Map<Node, Text>, slicer: Slicer, skip?: (el: Element) => boolean): Promise<{ text: string; map: TextMap }> {
  const parts: string[] = [];
  const nodes: Text[] = [];
  const starts: number[] = [];
  let length = 0;
  let pendingBreak = false;
  let steps = 0;
  const stack: Array<Node | 'end-block'> = [root];
  while (stack.length) {
    const item = stack.pop()!;
    if (++steps % 64 === 0) await slicer.tick();
    if (item === 'end-block') {
      pendingBreak = true;
      continue;
    }
    if (item.nodeType === 3) {
      const value = (item as Text).data;
      const live = liveOf.get(item);
      if (!value.trim()) {
        if (length && !pendingBreak) {
          if (live) {
            nodes.push(live);
            starts.push(length);
          }
          const ws = value.replace(/\s/g, ' ');
          parts.push(ws);
          length += ws.length;
        }
        continue;
      }
      if (pendingBreak && length) {
        parts.push('\n\n');
        length += 2;
      }
      pendingBreak = false;
      if (live) {
        nodes.push(live);
        starts.push(length);
      }
      const t = value.replace(/[\t\n\r\f\v]/g, ' ');
      parts.push(t);
      length += t.length;
      continue;
    }
    if (item.nodeType !== 1 && item.nodeType !== 11) continue;
    const el = item as Element;
    const tag = el.nodeType === 1 ? el.tagName.toUpperCase() : '';
    if (item !== root && el.nodeType === 1 && skip?.(el)) continue;
    if (BLOCK_TAGS.has(tag) || tag === 'BR') {
      pendingBreak = true;
      stack.push('end-block');
    }
    for (let c = el.lastChild; c; c = c.previousSibling) stack.push(c);
  }
  return { text: parts.join(''), map: { nodes, starts } };
}

/** Nearest common ancestor of the first and last mapped live nodes. */
function commonRoot(nodes: Text[], fallback: Element): Element {
  const first = nodes.find((n) => n.isConnected);
  const last = [...nodes].reverse().find((n) => n.isConnected);
  if (!first || !last) return fallback;
  let a: Element | null = first.parentElement;
  while (a && !a.contains(last)) a = a.parentElement;
  return a ?? fallback;
}

const collapsed = (s: string) => s.replace(/\s+/g, ' ').trim().length;

/** What the CLI's fallback leaves out. */
const notArticle = (el: Element) => {
  const tag = el.tagName.toUpperCase();
  return tag === 'NAV' || tag === 'FOOTER' || tag === 'ASIDE' || NOT_ARTICLE.test(`${el.getAttribute('class') ?? ''} ${el.id ?? ''}`);
};

/** Readability's article element in `target` (a copy), or undefined. */
function runReadability(target: Document): Element | undefined {
  try {
    const parsed = new Readability(target, { charThreshold: 200, serializer: (el: Node) => el as unknown as string }).parse();
    return (parsed?.content as unknown as Element | undefined) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Rendered at all (display, content-visibility, here and above). */
function renders(el: Element): boolean {
  const check = (el as Element & { checkVisibility?: () => boolean }).checkVisibility;
  return check ? check.call(el) : true;
}

/** The best-scored candidate outside `tried`, and its neighbourhood: up to three ancestors, as long as it holds at most `max` elements. */
export function bestRegion(snap: Snapshot, body: Element, tried: Element[] = [], max = READABILITY_MAX_ELEMENTS): Element | undefined {
  let best: Element | undefined;
  let bestScore = -Infinity;
  for (const [el, c] of snap.candidates) if (c.score > bestScore && !tried.some((t) => t.contains(el))) [best, bestScore] = [el, c.score];
  if (!best) return undefined;
  let region = best;
  for (let up = 0; up < 3; up++) {
    const p = region.parentElement;
    if (!p || p === body || (snap.candidates.get(p)?.count ?? Infinity) > max) break;
    region = p;
  }
  return region;
}

export interface FoundArticle extends ArticleText {
  /** The rendered walk the text comes from (hidden elements, shown links). */
  snap: Snapshot;
  /** Elements Readability ran on (0 when it did not run). */
  readabilityElements: number;
}

/** The rendered text of a live element (a marked article body), with its walk. */
export async function readRendered(doc: Document, root: Element, view: RenderedView, slicer: Slicer, ownUi: (el: Element) => boolean, skip?: (el: Element) => boolean): Promise<{ text: string; map: TextMap; snap: Snapshot }> {
  const snap = await snapshotRendered(doc, root, view, slicer, ownUi, { maxCopy: Infinity, score: false });
  return { ...(snap.doc ? await copyText(snap.doc.body, snap.liveOf, slicer, skip) : { text: '', map: { nodes: [], starts: [] } }), snap };
}

/** Finds the live page's article as Readability does, on the rendered page (see the top of this file). */
export async function findArticle(doc: Document, view: RenderedView, slicer: Slicer, ownUi: (el: Element) => boolean): Promise<FoundArticle | undefined> {
  const body = doc.body;
  if (!body) return undefined;
  // Whether the page has more elements than the budget (counted up to it: no whole-page query).
  const counter = doc.createTreeWalker(body, 1);
  let total = 0;
  while (total <= READABILITY_MAX_ELEMENTS && counter.nextNode()) total++;
  let snap: Snapshot | undefined;
  let found: { text: string; map: TextMap } | undefined;
  let fallback: { text: string; map: TextMap } | undefined;
  let enough = 0;
  let readabilityElements = 0;
  const read = async (part: Snapshot) => {
    if (!part.doc || part.maxDepth > READABILITY_MAX_DEPTH) return undefined;
    await slicer.tick(true);
    const content = runReadability(part.doc);
    readabilityElements = part.elements;
    await slicer.tick(true);
    return content ? copyText(content, part.liveOf, slicer) : undefined;
  };
  const passes = (f: { text: string } | undefined) => !!f && (collapsed(f.text) >= 0.5 * enough || collapsed(f.text) > 2000);
  if (total <= READABILITY_MAX_ELEMENTS) {
    // A page of ordinary size: Readability on a copy of all that renders.
    snap = await snapshotRendered(doc, body, view, slicer, ownUi, { maxCopy: READABILITY_MAX_ELEMENTS, score: false });
    if (snap.doc) {
      // The CLI's fallback, read before Readability changes the copy.
      fallback = await copyText(snap.doc.querySelector('article, main, [role="main"]') ?? snap.doc.body, snap.liveOf, slicer, notArticle);
      enough = collapsed(fallback.text);
      found = await read(snap);
    }
  } else {
    // A big page: Readability's scoring over the page's markup (no style read: cheap), then
    // Readability on a copy of what renders around the best candidates, best first.
    const raw = await snapshotRendered(doc, body, undefined, slicer, ownUi, { maxCopy: 0, score: true });
    enough = raw.fallbackChars;
    const tried: Element[] = [];
    for (let i = 0; i < 3 && !passes(found); i++) {
      const region = bestRegion(raw, body, tried);
      if (!region) break;
      tried.push(region);
      snap = await snapshotRendered(doc, region, view, slicer, ownUi, { maxCopy: READABILITY_MAX_ELEMENTS, score: false });
      found = await read(snap);
    }
  }
  if (found && snap && passes(found)) return { ...found, root: commonRoot(found.map.nodes, body), via: 'readability', snap, readabilityElements };
  if (!fallback || !snap) {
    // The first <article>, <main> or [role=main] that renders, else the body.
    await slicer.tick(true);
    const marked = Array.from(doc.querySelectorAll('article, main, [role="main"]')).slice(0, 200);
    const root = marked.find((el) => view.rootContext(el)) ?? body;
    const read = await readRendered(doc, root, view, slicer, ownUi, notArticle);
    fallback = read;
    snap = read.snap;
  }
  return { ...fallback, root: commonRoot(fallback.map.nodes, body), via: 'body', snap, readabilityElements };
}
