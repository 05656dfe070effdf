/**
 * What a reader of a saved page would not see, without a browser: the same
 * rules as the live page's check (lib/content/rendered.ts) where a document
 * without layout can apply them. Sources of style: the `hidden` attribute and
 * the user-agent rules that go with it (closed `<details>`, `<dialog>` without
 * `open`), inline `style` attributes, and the page's own `<style>` blocks
 * (parsed with css-tree; each rule's selectors matched with querySelectorAll;
 * the cascade resolved by importance, inline-ness, specificity computed with
 * @bramus/specificity, and order). `@media` is read for a 1280×900 screen in
 * light mode; `@supports` and `@layer` blocks apply (layer order is not
 * modelled); anything else, and external stylesheets and scripts, are not seen.
 *
 * Hidden: display none, content-visibility hidden, opacity below 0.05
 * (multiplied down the tree), visibility hidden or collapse (inherited; a
 * descendant may show itself again), font size under 4 px (inherited, `em` and
 * `%` resolved), transparent text, absolute or fixed boxes moved far off the
 * page (left or top at −1000 px or beyond, and the like), text-indent at
 * −1000 px or beyond, transforms that scale to nothing or move far off,
 * `clip`/`clip-path` to nothing, and boxes of at most 1 px whose overflow is
 * hidden. `aria-hidden` is not hiding (sighted readers see such text).
 *
 * `splitHidden` returns a clone of the document without what is hidden, and
 * the hidden texts and links apart (hidden credit is evidence of its own).
 */
import { calculateForAST } from '@bramus/specificity/core';
import * as csstree from 'css-tree';
import { SKIP_TAGS } from './block-text';
import { clipPathToNothing, clipsToNothing, MIN_BOX_PX, MIN_FONT_PX, MIN_OPACITY } from './hiding-values';

/** The screen a saved page is read for. */
const VIEW = { width: 1280, height: 900 };
/** Offsets (px) past which a positioned box is off the page. */
const FAR = 1000;

interface Decl {
  value: string;
  /** importance, inline, specificity a, b, c, order: the highest wins. */
  rank: [number, number, number, number, number, number];
}

interface Rule {
  selectors: Array<{ text: string; spec: [number, number, number] }>;
  decls: Map<string, { value: string; important: boolean }>;
  order: number;
}

/** The properties read here, by the group of checks that needs them. */
const GROUPS: Record<string, readonly string[]> = {
  display: ['display'],
  visibility: ['visibility'],
  opacity: ['opacity'],
  font: ['font-size', 'font'],
  offset: ['position', 'left', 'top', 'right', 'bottom', 'text-indent'],
  transform: ['transform', 'scale', 'translate'],
  clip: ['position', 'clip', 'clip-path'],
  size: ['width', 'height', 'max-width', 'max-height', 'overflow', 'overflow-x', 'overflow-y'],
  color: ['color', '-webkit-text-fill-color', 'background-clip', '-webkit-background-clip', 'text-shadow'],
  content: ['content-visibility'],
};

/** A length in px (relative units resolved for the assumed screen and the given font size), or NaN. */
function px(value: string | undefined, fontPx = 16, percentOf = NaN): number {
  const m = /^\s*(-?[\d.]+)(px|em|rem|%|vw|vh|pt|ex|ch)?\s*$/i.exec(value ?? '');
  if (!m) return NaN;
  const n = parseFloat(m[1]!);
  switch ((m[2] ?? '').toLowerCase()) {
    case '':
      return n === 0 ? 0 : NaN;
    case 'px':
      return n;
    case 'em':
    case 'ch':
    case 'ex':
      return n * fontPx;
    case 'rem':
      return n * 16;
    case '%':
      return (n / 100) * percentOf;
    case 'vw':
      return (n / 100) * VIEW.width;
    case 'vh':
      return (n / 100) * VIEW.height;
    case 'pt':
      return (n * 4) / 3;
  }
  return NaN;
}

const KEYWORD_FONT: Record<string, number> = { 'xx-small': 9, 'x-small': 10, small: 13, medium: 16, large: 18, 'x-large': 24, 'xx-large': 32 };

/** The font size (px) a declaration gives, from `font-size` or the `font` shorthand; undefined: inherit. */
function fontPx(decl: { prop: string; value: string } | undefined, parent: number): number | undefined {
  if (!decl) return undefined;
  let v = decl.value.trim().toLowerCase();
  if (decl.prop === 'font') {
    // "[style] [weight] SIZE[/line-height] family": the size is the token before the family.
    const m = /(?:^|\s)(-?[\d.]+(?:px|em|rem|%|pt|vw|vh)?|xx-small|x-small|small|medium|large|x-large|xx-large)(?:\s*\/\s*\S+)?\s+\S/.exec(v);
    if (!m) return undefined;
    v = m[1]!;
  }
  if (v in KEYWORD_FONT) return KEYWORD_FONT[v];
  if (v === 'smaller') return parent / 1.2;
  if (v === 'larger') return parent * 1.2;
  if (v === 'inherit' || v === 'unset') return undefined;
  if (v === 'initial') return 16;
  const n = px(v, parent, parent);
  return Number.isNaN(n) ? undefined : n;
}

function alpha(color: string): number {
  const v = color.trim().toLowerCase();
  if (v === 'transparent') return 0;
  let m = /^#([0-9a-f]{4}|[0-9a-f]{8})$/.exec(v);
  if (m) return parseInt(m[1]!.length === 4 ? m[1]![3]!.repeat(2) : m[1]!.slice(6), 16) / 255;
  m = /^(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(([^)]*)\)$/.exec(v);
  if (m) {
    const parts = m[1]!.split(/[\s,/]+/).filter(Boolean);
    if (parts.length < 4) return 1;
    const a = parts[3]!;
    return a.endsWith('%') ? parseFloat(a) / 100 : parseFloat(a);
  }
  return 1;
}

/** Whether a transform scales to nothing or moves the box far off the page. */
function transformHides(transform: string | undefined, scale: string | undefined, translate: string | undefined): boolean {
  const v = (transform ?? '').toLowerCase();
  const num = (s: string | undefined) => parseFloat(s ?? '');
  const tiny = (s: string | undefined) => Math.abs(num(s)) < MIN_OPACITY;
  for (const m of v.matchAll(/(scale(?:x|y|3d)?|matrix(?:3d)?|translate(?:x|y|3d)?)\(([^)]*)\)/g)) {
    const args = m[2]!.split(/\s*,\s*|\s+/).filter(Boolean);
    const f = m[1]!;
    if ((f === 'scale' || f === 'scale3d') && (tiny(args[0]) || tiny(args[1] ?? args[0]))) return true;
    if ((f === 'scalex' && tiny(args[0])) || (f === 'scaley' && tiny(args[0]))) return true;
    if (f === 'matrix' && tiny(args[0]) && tiny(args[1]) && tiny(args[2]) && tiny(args[3])) return true;
    if ((f === 'translate' || f === 'translate3d') && (px(args[0]) <= -FAR || px(args[1]) <= -FAR)) return true;
    if ((f === 'translatex' || f === 'translatey') && px(args[0]) <= -FAR) return true;
  }
  if (scale && scale.trim().split(/\s+/).some((s) => tiny(s))) return true;
  if (translate && translate.trim().split(/\s+/).some((s) => px(s) <= -FAR)) return true;
  return false;
}

/** `@media` for the assumed screen (1280×900, light, a mouse): a small evaluator; anything it does not know does not apply. */
export function mediaApplies(query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return q.split(',').some((part) => {
    let p = part.trim();
    const not = p.startsWith('not ');
    if (not) p = p.slice(4).trim();
    p = p.replace(/^only\s+/, '');
    let ok = true;
    for (const t of p.split(/\s+and\s+/)) {
      const term = t.trim();
      if (term === 'all' || term === 'screen') continue;
      if (/^[a-z-]+$/.test(term)) {
        ok = false; // print, speech, tv, …
        continue;
      }
      ok &&= featureApplies(term);
    }
    return not ? !ok : ok;
  });
}

function featureApplies(term: string): boolean {
  let m = /^\(\s*(min-|max-)?(width|height|device-width|device-height)\s*:\s*([^)]+)\)$/.exec(term);
  if (m) {
    const size = m[2]!.endsWith('width') ? VIEW.width : VIEW.height;
    const v = px(m[3]!.trim());
    if (Number.isNaN(v)) return false;
    return m[1] === 'min-' ? size >= v : m[1] === 'max-' ? size <= v : size === v;
  }
  m = /^\(\s*(?:([\d.]+(?:px|em|rem)?)\s*(<=|<|>=|>)\s*)?(width|height)\s*(?:(<=|<|>=|>|=)\s*([\d.]+(?:px|em|rem)?))?\s*\)$/.exec(term);
  if (m && (m[1] || m[5])) {
    const size = m[3] === 'width' ? VIEW.width : VIEW.height;
    const cmp = (a: number, op: string, b: number) => (op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : op === '>=' ? a >= b : a === b);
    const toPx = (s: string) => px(/^[\d.]+$/.test(s) ? `${s}px` : s.replace(/(em|rem)$/, (u) => u));
    return (!m[1] || cmp(toPx(m[1]), m[2]!, size)) && (!m[5] || cmp(size, m[4]!, toPx(m[5])));
  }
  m = /^\(\s*([a-z-]+)\s*(?::\s*([^)]+))?\)$/.exec(term);
  if (!m) return false;
  const [, name, value] = m;
  const known: Record<string, string[]> = {
    orientation: ['landscape'],
    'prefers-color-scheme': ['light'],
    'prefers-reduced-motion': ['no-preference'],
    'prefers-contrast': ['no-preference'],
    hover: ['hover'],
    'any-hover': ['hover'],
    pointer: ['fine'],
    'any-pointer': ['fine'],
    color: [],
    'forced-colors': ['none'],
    scripting: ['enabled'],
  };
  if (!(name! in known)) return false;
  if (value === undefined) return name !== 'forced-colors';
  return known[name!]!.includes(value.trim());
}

function declarations(block: csstree.CssNode): Map<string, { value: string; important: boolean }> {
  const out = new Map<string, { value: string; important: boolean }>();
  csstree.walk(block, {
    visit: 'Declaration',
    enter(d: csstree.Declaration) {
      const prop = d.property.toLowerCase();
      const value = csstree.generate(d.value).trim();
      const important = !!d.important;
      const had = out.get(prop);
      // Within one block, a later declaration wins unless the earlier one is !important and it is not.
      if (!had || important || !had.important) out.set(prop, { value, important });
    },
  });
  return out;
}

const WANTED = new Set(Object.values(GROUPS).flat());

/** The page's style rules that declare any property read here, in document order. */
function readRules(doc: Document): Rule[] {
  const rules: Rule[] = [];
  const styles = Array.from(doc.querySelectorAll('style')).filter((s) => !s.closest('template, noscript, svg') && mediaApplies(s.getAttribute('media') ?? ''));
  for (const style of styles) {
    let ast: csstree.CssNode;
    try {
      ast = csstree.parse(style.textContent ?? '', { parseValue: true, parseCustomProperty: false, onParseError: () => undefined });
    } catch {
      continue;
    }
    const visit = (list: csstree.List<csstree.CssNode> | undefined) => {
      list?.forEach((node) => {
        if (node.type === 'Rule') {
          const decls = declarations(node.block);
          if (![...decls.keys()].some((k) => WANTED.has(k))) return;
          const selectors: Rule['selectors'] = [];
          if (node.prelude.type === 'SelectorList')
            node.prelude.children.forEach((sel) => {
              const text = csstree.generate(sel);
              if (/::|:(?:before|after|first-line|first-letter|marker|placeholder|selection)\b/i.test(text)) return; // pseudo-elements hide no DOM text
              try {
                const { a, b, c } = calculateForAST(sel).value;
                selectors.push({ text, spec: [a, b, c] });
              } catch {
                /* a selector the calculator does not know */
              }
            });
          if (selectors.length) rules.push({ selectors, decls, order: rules.length });
        } else if (node.type === 'Atrule' && node.block) {
          const name = node.name.toLowerCase();
          const prelude = node.prelude ? csstree.generate(node.prelude) : '';
          if ((name === 'media' && mediaApplies(prelude)) || name === 'supports' || name === 'layer') visit(node.block.children);
        }
      });
    };
    if (ast.type === 'StyleSheet') visit(ast.children);
  }
  return rules;
}

/** Whether a rule's or an inline style's declarations could hide something in this group. */
function suspicious(group: string, decls: Map<string, { value: string }>): boolean {
  const v = (p: string) => decls.get(p)?.value.toLowerCase().trim();
  switch (group) {
    case 'display':
      return v('display') === 'none';
    case 'visibility':
      return v('visibility') === 'hidden' || v('visibility') === 'collapse';
    case 'opacity':
      return decls.has('opacity');
    case 'font':
      return decls.has('font-size') || decls.has('font');
    case 'offset':
      return ['left', 'top', 'right', 'bottom', 'text-indent'].some((p) => Math.abs(px(v(p), 16, VIEW.width)) >= FAR || /^-\s*\d/.test(v(p) ?? '') && (v(p) ?? '').endsWith('%'));
    case 'transform':
      return decls.has('transform') || decls.has('scale') || decls.has('translate');
    case 'clip':
      return (decls.has('clip') && v('clip') !== 'auto') || (decls.has('clip-path') && v('clip-path') !== 'none');
    case 'size':
      return ['width', 'height', 'max-width', 'max-height'].some((p) => px(v(p)) <= 1);
    case 'color':
      return ['color', '-webkit-text-fill-color'].some((p) => decls.has(p) && alpha(v(p)!) < MIN_OPACITY);
    case 'content':
      return v('content-visibility') === 'hidden';
  }
  return false;
}

export interface HiddenSplit {
  /** A clone of the document without what a reader would not see. */
  doc: Document;
  /** Short texts (at most 300 characters each, at most 20) of what was hidden. */
  hiddenText: string[];
  /** hrefs (as written) of links that were hidden, at most 50. */
  hiddenLinks: string[];
}

/** Splits a document into what a reader would see (a clone) and the hidden texts and links. Does not modify `source`. */
export function splitHidden(source: Document): HiddenSplit {
  const doc = source.cloneNode(true) as Document;
  const rules = readRules(doc);
  const inlines = new Map<Element, Map<string, { value: string; important: boolean }>>();
  for (const el of Array.from(doc.querySelectorAll('[style]'))) {
    try {
      const decls = declarations(csstree.parse(el.getAttribute('style') ?? '', { context: 'declarationList', parseValue: true }));
      if ([...decls.keys()].some((k) => WANTED.has(k))) inlines.set(el, decls);
    } catch {
      /* unparsable style attribute */
    }
  }
  // Only groups that something could hide with are resolved (and only then are their rules matched).
  const active = Object.keys(GROUPS).filter((g) => rules.some((r) => suspicious(g, r.decls)) || [...inlines.values()].some((d) => suspicious(g, d)));
  const props = new Set(active.flatMap((g) => GROUPS[g]!));
  if (active.includes('display') || doc.querySelector('[hidden], dialog')) props.add('display');
  const declared = new Map<Element, Map<string, Decl>>();
  const put = (el: Element, prop: string, d: Decl) => {
    let m = declared.get(el);
    if (!m) declared.set(el, (m = new Map()));
    const had = m.get(prop);
    if (!had || compare(d.rank, had.rank) > 0) m.set(prop, d);
  };
  for (const rule of rules) {
    const mine = [...rule.decls].filter(([p]) => props.has(p));
    if (!mine.length) continue;
    for (const sel of rule.selectors) {
      let matched: Element[];
      try {
        matched = Array.from(doc.querySelectorAll(sel.text));
      } catch {
        continue; // a selector the matcher does not support
      }
      for (const el of matched)
        for (const [p, d] of mine) put(el, p, { value: d.value, rank: [d.important ? 1 : 0, 0, ...sel.spec, rule.order] });
    }
  }
  for (const [el, decls] of inlines)
    for (const [p, d] of decls) if (props.has(p)) put(el, p, { value: d.value, rank: [d.important ? 1 : 0, 1, 0, 0, 0, 0] });

  const hiddenRoots: Element[] = [];
  /** Text taken out of elements that stay (inherited visibility, size or colour hid it). */
  const removedText = new Map<Element, string>();
  const linksWithText = Array.from(doc.querySelectorAll('a[href]')).filter((a) => (a.textContent ?? '').trim());
  const value = (el: Element, prop: string) => {
    const v = declared.get(el)?.get(prop)?.value.trim().toLowerCase();
    return v === 'inherit' || v === 'unset' || v === 'initial' || v === 'revert' ? undefined : v;
  };

  interface State {
    opacity: number;
    visibility: string;
    font: number;
    transparent: boolean;
  }
  const hidesWhole = (el: Element, state: State): boolean => {
    const tag = el.tagName.toUpperCase();
    const display = value(el, 'display');
    const parent = el.parentElement;
    if (display === 'none') return true;
    if (display === undefined && ((el.hasAttribute('hidden') && el.getAttribute('hidden') !== 'until-found') || (tag === 'DIALOG' && !el.hasAttribute('open')))) return true;
    if (el.getAttribute('hidden') === 'until-found' || value(el, 'content-visibility') === 'hidden') return true;
    if (parent?.tagName.toUpperCase() === 'DETAILS' && !parent.hasAttribute('open') && !(tag === 'SUMMARY' && parent.querySelector(':scope > summary') === el)) return true;
    const op = value(el, 'opacity');
    if (op !== undefined) {
      const n = op.endsWith('%') ? parseFloat(op) / 100 : parseFloat(op);
      if (!Number.isNaN(n) && state.opacity * n < MIN_OPACITY) return true;
    }
    const position = value(el, 'position') ?? 'static';
    const off = (p: string) => px(value(el, p), state.font, /left|right/.test(p) ? VIEW.width : VIEW.height);
    if (position === 'absolute' || position === 'fixed') {
      if (off('left') <= -FAR || off('top') <= -FAR || off('right') >= FAR || off('right') <= -2 * VIEW.width || off('left') >= 2 * VIEW.width) return true;
      if (position === 'fixed' && (off('bottom') >= FAR || off('bottom') <= -FAR)) return true;
      if (clipsToNothing(value(el, 'clip') ?? 'auto', position)) return true;
    }
    if (px(value(el, 'text-indent'), state.font, VIEW.width) <= -FAR) return true;
    if (clipPathToNothing(value(el, 'clip-path') ?? 'none')) return true;
    if (transformHides(value(el, 'transform'), value(el, 'scale'), value(el, 'translate'))) return true;
    const overflow = [value(el, 'overflow'), value(el, 'overflow-x'), value(el, 'overflow-y')].join(' ');
    if (/\b(hidden|clip)\b/.test(overflow) && ['width', 'height', 'max-width', 'max-height'].some((p) => px(value(el, p), state.font) < MIN_BOX_PX)) return true;
    return false;
  };

  const walk = (el: Element, state: State) => {
    const tag = el.tagName.toUpperCase();
    if (SKIP_TAGS.has(tag) && tag !== 'HEAD') return;
    if (tag !== 'HTML' && tag !== 'BODY' && tag !== 'HEAD' && hidesWhole(el, state)) {
      hiddenRoots.push(el);
      return;
    }
    const op = value(el, 'opacity');
    const opacity = op === undefined ? state.opacity : state.opacity * (op.endsWith('%') ? parseFloat(op) / 100 : parseFloat(op) || 1);
    const vis = value(el, 'visibility') ?? state.visibility;
    const fontDecl = declared.get(el)?.get('font-size') ?? declared.get(el)?.get('font');
    const fontProp = declared.get(el)?.has('font-size') ? 'font-size' : 'font';
    const font = fontPx(fontDecl && { prop: fontProp, value: fontDecl.value }, state.font) ?? state.font;
    const colour = value(el, '-webkit-text-fill-color') ?? value(el, 'color');
    const painted = /\btext\b/.test(`${value(el, 'background-clip') ?? ''} ${value(el, '-webkit-background-clip') ?? ''}`) || (value(el, 'text-shadow') ?? 'none') !== 'none';
    const transparent = painted ? false : colour === undefined ? state.transparent : alpha(colour) < MIN_OPACITY;
    const next: State = { opacity, visibility: vis, font, transparent };
    const textHidden = vis === 'hidden' || vis === 'collapse' || font < MIN_FONT_PX || transparent;
    for (let c = el.firstChild; c; ) {
      const after = c.nextSibling;
      if (c.nodeType === 3 && textHidden && (c.nodeValue ?? '').trim()) {
        removedText.set(el, `${removedText.get(el) ?? ''} ${c.nodeValue}`);
        c.parentNode!.removeChild(c);
      } else if (c.nodeType === 1) walk(c as Element, next);
      c = after;
    }
  };
  walk(doc.documentElement, { opacity: 1, visibility: 'visible', font: 16, transparent: false });

  // Links whose text is all hidden are hidden links.
  const hiddenLinks: string[] = [];
  const addLink = (a: Element) => {
    const href = a.getAttribute('href');
    if (href && !hiddenLinks.includes(href) && hiddenLinks.length < 50) hiddenLinks.push(href);
  };
  for (const a of linksWithText)
    if (!(a.textContent ?? '').trim() && !a.querySelector('img')) {
      addLink(a);
      a.remove();
    }
  const hiddenText: string[] = [];
  const snip = (t: string) => {
    const s = t.slice(0, 2000).replace(/\s+/g, ' ').trim().slice(0, 300);
    if (s && !hiddenText.includes(s) && hiddenText.length < 20) hiddenText.push(s);
  };
  for (const el of hiddenRoots) {
    for (const a of el.matches('a[href]') ? [el] : Array.from(el.querySelectorAll('a[href]'))) addLink(a);
    if (!SKIP_TAGS.has(el.tagName.toUpperCase())) snip(el.textContent ?? '');
    el.remove();
  }
  for (const t of removedText.values()) snip(t);
  // What stays is shown: the attributes and inline styles that could make later steps (Readability,
  // block text) drop it are taken off, as the cascade above already decided.
  for (const el of Array.from(doc.querySelectorAll('[style], [hidden], [aria-hidden]'))) {
    el.removeAttribute('style');
    el.removeAttribute('hidden');
    el.removeAttribute('aria-hidden');
  }
  return { doc, hiddenText, hiddenLinks };
}

function compare(a: Decl['rank'], b: Decl['rank']): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
