/**
 * Link marks (issue 12 §3): a small dot after a link whose target this
 * browser knows — a copy it judged or the reader reported, or an original in
 * the index — and, on hover or focus, what it is ("Uncredited copy of …",
 * "Original article by …"). The page's links (rendered ones, to other sites,
 * at most MAX_LINKS per page) are asked about in batches (`link-marks`); the
 * background answers from its own data: nothing leaves the browser.
 *
 * The dot follows the post marks' rules (lib/content/marks.ts): a closed
 * shadow root, its text drawn by CSS from an attribute, events stopped inside.
 * Its host has no size (the dot is positioned over the line), so the page's
 * layout does not move. The page can still see that a host element follows
 * one of its links: docs/threat-model.md says what that tells it.
 */
export const LINK_MARK_TAG = 'provenance-link';
/** The most links of one page ever asked about, and per message. */
export const MAX_LINKS = 500;
const BATCH = 100;

const CSS = `
:host { all: initial !important; display: inline-block !important; position: relative !important; width: 0 !important; height: 0 !important; }
b { position: absolute; left: 1px; top: -0.9em; width: 7px; height: 7px; border-radius: 50%; background: #c62828; border: 1px solid #fff; cursor: help; }
b.partial { background: #ef6c00; } b.credited { background: #607d8b; } b.original { background: #1565c0; }
b:focus-visible { outline: 2px solid #1a73e8; outline-offset: 1px; }
b:hover::after, b:focus::after {
  content: attr(data-t); position: absolute; left: 10px; top: -4px; z-index: 2147483647; white-space: nowrap; max-width: 60ch; overflow: hidden; text-overflow: ellipsis;
  font: 12px/1.4 system-ui, sans-serif; color: #fff; background: #263238; padding: 2px 8px; border-radius: 4px;
}
`;

export type LinkLookup = (urls: string[]) => Promise<{ marks: Array<{ i: number; kind: string; line: string }> }>;

export class LinkMarks {
  private readonly asked = new WeakSet<Element>();
  private count = 0;
  private readonly hosts: Element[] = [];

  constructor(
    private readonly lookUp: LinkLookup,
    private readonly doc: Document = document,
  ) {}

  static isMark(n: Node): boolean {
    return (n as Element).tagName === LINK_MARK_TAG.toUpperCase();
  }

  /** Asks about the page's links not asked about yet; marks the known ones. */
  async scan(): Promise<void> {
    const here = this.doc.location.hostname;
    const byUrl = new Map<string, HTMLAnchorElement[]>();
    for (const a of Array.from(this.doc.querySelectorAll<HTMLAnchorElement>('a[href]'))) {
      if (this.count >= MAX_LINKS) break;
      if (this.asked.has(a)) continue;
      this.asked.add(a);
      const check = (a as Element & { checkVisibility?: (o?: object) => boolean }).checkVisibility;
      if ((a.protocol !== 'https:' && a.protocol !== 'http:') || a.hostname === here || (check && !check.call(a, { checkOpacity: true, checkVisibilityCSS: true }))) continue;
      const url = a.href;
      if (!byUrl.has(url)) {
        byUrl.set(url, []);
        this.count++;
      }
      byUrl.get(url)!.push(a);
    }
    const urls = [...byUrl.keys()];
    for (let at = 0; at < urls.length; at += BATCH) {
      const part = urls.slice(at, at + BATCH);
      const { marks } = await this.lookUp(part);
      for (const m of marks) for (const a of byUrl.get(part[m.i]!) ?? []) if (a.isConnected) this.add(a, m.kind, m.line);
    }
  }

  private add(a: Element, kind: string, line: string): void {
    const host = this.doc.createElement(LINK_MARK_TAG);
    const root = host.attachShadow({ mode: 'closed' });
    const style = this.doc.createElement('style');
    style.textContent = CSS;
    const dot = this.doc.createElement('b');
    dot.className = kind;
    dot.tabIndex = 0;
    dot.setAttribute('role', 'img');
    dot.setAttribute('aria-label', line);
    dot.setAttribute('data-t', line);
    for (const type of ['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'keydown', 'keyup']) dot.addEventListener(type, (e) => e.stopPropagation());
    root.append(style, dot);
    a.after(host);
    this.hosts.push(host);
  }

  clear(): void {
    for (const h of this.hosts.splice(0)) h.remove();
  }
}
