/**
 * Readable text of a DOM subtree with paragraph structure: block elements
 * become blank-line-separated paragraphs, <br> a line break, whitespace is
 * collapsed, and scripts, styles and hidden elements are skipped. Works on a
 * browser Document and on linkedom's.
 */
/** Elements that start and end a paragraph. */
export const BLOCK_TAGS: ReadonlySet<string> = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION', 'FIGURE',
  'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE',
  'SECTION', 'TABLE', 'TBODY', 'TD', 'TH', 'THEAD', 'TR', 'UL', 'CAPTION', 'DETAILS', 'SUMMARY',
]);
/** Elements whose content is never article text. */
export const SKIP_TAGS: ReadonlySet<string> = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME', 'OBJECT', 'CANVAS', 'HEAD', 'SELECT', 'TEXTAREA', 'BUTTON']);

/** Hidden by an attribute or an inline style (no layout is computed). */
export function isHidden(el: Element): boolean {
  if (el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true') return true;
  const style = el.getAttribute('style');
  return style !== null && /(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style);
}

export function blockText(root: Node, skip?: (el: Element) => boolean): string {
  const parts: string[] = [];
  let pendingBreak = 0; // 0 none, 1 line, 2 paragraph
  let started = false;
  const emit = (s: string) => {
    if (!s) return;
    if (started && pendingBreak) parts.push(pendingBreak === 2 ? '\n\n' : '\n');
    pendingBreak = 0;
    parts.push(s);
    started = true;
  };
  const walk = (node: Node) => {
    if (node.nodeType === 3) {
      const t = (node.nodeValue ?? '').replace(/[\s\u00a0]+/g, ' ');
      if (t.trim()) {
        const last = parts[parts.length - 1];
        emit(pendingBreak || !last || last.endsWith(' ') || last.endsWith('\n') ? t.replace(/^ /, '') : t);
      } else if (t && started && !pendingBreak && !parts[parts.length - 1]?.endsWith(' ')) parts.push(' ');
      return;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    const el = node as Element;
    const tag = (el.tagName ?? '').toUpperCase();
    if (node.nodeType === 1) {
      if (SKIP_TAGS.has(tag) || isHidden(el) || skip?.(el)) return;
      if (tag === 'BR') {
        pendingBreak = Math.max(pendingBreak, 1);
        return;
      }
    }
    const block = BLOCK_TAGS.has(tag);
    if (block) pendingBreak = 2;
    for (let c = node.firstChild; c; c = c.nextSibling) walk(c);
    if (block) pendingBreak = 2;
  };
  walk(root);
  return parts
    .join('')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
