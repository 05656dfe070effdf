/**
 * What a reader of the live page can see. The content script counts only
 * rendered text, so that a page cannot probe for the extension with text it
 * hides (a known original's text in an element hidden by a stylesheet class)
 * nor turn a verdict with credit a reader never sees.
 *
 * Not rendered: `display: none` (from any stylesheet, and ancestors through
 * `Element.checkVisibility`), `content-visibility: hidden` (and
 * `hidden="until-found"`), the closed part of a `<details>` (the reader has
 * not opened it; opening it scans again), opacity below 0.05 (multiplied down
 * the tree), `visibility: hidden` (inherited, and a child may show itself
 * again), font size under 4 px, transparent text (without background-clip:
 * text or a text shadow, which draw it), boxes with no area (zero size,
 * `transform: scale(0)`), `clip` or `clip-path` to nothing, text inside a
 * zero-sized or outside an overflow-hidden box, and boxes off the page (left
 * of or above the document, e.g. `position: absolute; left: -9999px` or
 * `text-indent: -9999px`, or right of the viewport where the page cannot be
 * scrolled sideways, or more than a viewport width beyond it).
 *
 * Rendered (and counted): `aria-hidden="true"` text, which sighted readers see
 * (taking it out would let one attribute silence the badge); text scrolled out
 * of view, in scrollable boxes or below the fold; `content-visibility: auto`
 * sections (rendered when scrolled to). What this cannot tell: text covered by
 * another element, or drawn in the colour of its background.
 *
 * Each check reads the computed style and the layout that the browser already
 * has after the page's load (no forced style recalculation on a quiet page);
 * callers time-slice the walk.
 */

/** What the walk carries down the tree. */
export interface RenderContext {
  /** Product of the ancestors' opacities. */
  opacity: number;
  /** The overflow-hidden box the content is clipped to, in document coordinates. */
  clip?: Box;
}

import { clipPathToNothing, clipsToNothing, MIN_BOX_PX, MIN_FONT_PX, MIN_OPACITY } from '../extract/hiding-values';

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}


const CLIPPING = new Set(['hidden', 'clip']);
const SCROLLING = new Set(['auto', 'scroll']);

function alpha(color: string): number {
  if (!color || color === 'transparent') return 0;
  const m = /rgba?\(([^)]*)\)/i.exec(color);
  if (!m) return 1;
  const parts = m[1]!.split(/[\s,/]+/).filter(Boolean);
  if (parts.length < 4) return 1;
  const a = parts[3]!;
  return a.endsWith('%') ? parseFloat(a) / 100 : parseFloat(a);
}

/** Tells rendered from hidden on a live document (one instance per extraction). */
export class RenderedView {
  private readonly win: Window & typeof globalThis;
  private readonly range: Range;
  private styles = new Map<Element, CSSStyleDeclaration>();
  private readonly farRight: number;

  constructor(private readonly doc: Document) {
    this.win = doc.defaultView as Window & typeof globalThis;
    this.range = doc.createRange();
    const html = doc.documentElement;
    const width = html.clientWidth || this.win.innerWidth;
    const overflowX = (el: Element | null) => (el ? this.style(el).overflowX : 'visible');
    // Text right of the viewport can be read only if the page scrolls sideways (and is meant to).
    this.farRight = CLIPPING.has(overflowX(html)) || CLIPPING.has(overflowX(doc.body)) ? width : 2 * width;
  }

  private style(el: Element): CSSStyleDeclaration {
    let s = this.styles.get(el);
    if (!s) {
      s = this.win.getComputedStyle(el);
      if (this.styles.size > 4096) this.styles.clear();
      this.styles.set(el, s);
    }
    return s;
  }

  private docBox(r: DOMRect): Box {
    const x = this.win.scrollX;
    const y = this.win.scrollY;
    return { left: r.left + x, top: r.top + y, right: r.right + x, bottom: r.bottom + y };
  }

  /** The context for the walk's root, or undefined when the root itself does not render. */
  rootContext(root: Element): RenderContext | undefined {
    const check = (root as Element & { checkVisibility?: (o?: object) => boolean }).checkVisibility;
    if (check && !check.call(root, { checkOpacity: true })) return undefined;
    let ctx: RenderContext = { opacity: 1 };
    const chain: Element[] = [];
    for (let e = root.parentElement; e; e = e.parentElement) chain.unshift(e);
    for (const e of chain) {
      const next = this.enter(e, ctx);
      if (!next) return undefined;
      ctx = next;
    }
    return this.enter(root, ctx);
  }

  /** Entering an element: the context for its content, or undefined when nothing inside can render. */
  enter(el: Element, ctx: RenderContext): RenderContext | undefined {
    const parent = el.parentElement;
    if (parent && parent.tagName === 'DETAILS' && !(parent as HTMLDetailsElement).open && !(el.tagName === 'SUMMARY' && parent.querySelector(':scope > summary') === el))
      return undefined;
    const s = this.style(el);
    if (s.display === 'none' || s.contentVisibility === 'hidden') return undefined;
    const opacity = ctx.opacity * (parseFloat(s.opacity) || 0);
    if (opacity < MIN_OPACITY) return undefined;
    if (clipsToNothing(s.clip, s.position) || clipPathToNothing(s.clipPath)) return undefined;
    let clip = s.position === 'fixed' ? undefined : ctx.clip;
    const ox = s.overflowX;
    const oy = s.overflowY;
    if (s.display !== 'contents' && (CLIPPING.has(ox) || CLIPPING.has(oy) || SCROLLING.has(ox) || SCROLLING.has(oy))) {
      const box = this.docBox(el.getBoundingClientRect());
      if (box.right - box.left < MIN_BOX_PX && !(ox === 'visible') ) return undefined;
      if (box.bottom - box.top < MIN_BOX_PX && !(oy === 'visible')) return undefined;
      if (CLIPPING.has(ox) || CLIPPING.has(oy)) {
        const c = clip ?? { left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity };
        clip = {
          left: CLIPPING.has(ox) ? Math.max(c.left, box.left) : c.left,
          right: CLIPPING.has(ox) ? Math.min(c.right, box.right) : c.right,
          top: CLIPPING.has(oy) ? Math.max(c.top, box.top) : c.top,
          bottom: CLIPPING.has(oy) ? Math.min(c.bottom, box.bottom) : c.bottom,
        };
        if (clip.right - clip.left < MIN_BOX_PX || clip.bottom - clip.top < MIN_BOX_PX) return undefined;
      }
    }
    return { opacity, clip };
  }

  /** Whether a text node (inside an element that renders, with context ctx) shows its text to a reader. */
  shows(text: Text, ctx: RenderContext): boolean {
    const parent = text.parentElement;
    if (!parent) return false;
    if (parent.tagName === 'DETAILS' && !(parent as HTMLDetailsElement).open) return false;
    const s = this.style(parent);
    if (s.visibility !== 'visible') return false;
    if (parseFloat(s.fontSize) < MIN_FONT_PX) return false;
    const fill = (s as CSSStyleDeclaration & { webkitTextFillColor?: string }).webkitTextFillColor;
    const painted = s.backgroundClip === 'text' || (s as CSSStyleDeclaration & { webkitBackgroundClip?: string }).webkitBackgroundClip === 'text' || (s.textShadow && s.textShadow !== 'none');
    if (!painted && (alpha(s.color) < MIN_OPACITY || (fill !== undefined && fill !== '' && alpha(fill) < MIN_OPACITY))) return false;
    this.range.selectNodeContents(text);
    const r = this.range.getBoundingClientRect();
    if (r.width < MIN_BOX_PX || r.height < MIN_BOX_PX) return false;
    const box = this.docBox(r);
    if (box.right <= 0 || box.bottom <= 0 || box.left >= this.farRight) return false;
    const c = ctx.clip;
    if (c && (box.right <= c.left || box.left >= c.right || box.bottom <= c.top || box.top >= c.bottom)) return false;
    return true;
  }

  /** Whether an element anywhere on the page shows (for links and source fields outside the article). */
  elementShows(el: Element): boolean {
    const ctx = this.rootContext(el);
    if (!ctx) return false;
    // Its first few text nodes, walked as the extraction walks (hidden subtrees skipped).
    const stack: Array<[Node, RenderContext]> = [[el, ctx]];
    let budget = 200;
    while (stack.length && budget-- > 0) {
      const [node, c] = stack.pop()!;
      if (node.nodeType === 3) {
        if ((node as Text).data.trim() && this.shows(node as Text, c)) return true;
        continue;
      }
      if (node.nodeType !== 1) continue;
      const inner = node === el ? c : this.enter(node as Element, c);
      if (!inner) continue;
      for (let k = node.lastChild; k; k = k.previousSibling) stack.push([k, inner]);
    }
    // A link without text (an image): its own box must show.
    const box = this.docBox(el.getBoundingClientRect());
    return !el.textContent?.trim() && box.right - box.left >= MIN_BOX_PX && box.bottom - box.top >= MIN_BOX_PX && box.right > 0 && box.bottom > 0 && box.left < this.farRight;
  }
}
