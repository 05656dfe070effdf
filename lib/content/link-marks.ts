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
 *
 * A page that removes a dot, or moves it away from its link, gets it back by
 * the post marks' mechanism: one watch per dot (lib/content/badge-watch.ts),
 * put back at once a few times, then at most every few seconds, so that a
 * page that strips the dots on every change cannot lock the two into a loop.
 * A link the page removed takes its dot with it: nothing is put back then.
 */
import { BadgeWatch } from './badge-watch';
import type { MarkTimers } from './marks';

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

/** The background's answer; `off` when the reader turned link marks off (options: "Marks on links"). */
export type LinkLookup = (urls: string[]) => Promise<{ marks: Array<{ i: number; kind: string; line: string }>; off?: boolean }>;

interface LinkMark {
  host: HTMLElement;
  /** The link it follows, and the watch that puts it back there. */
  link: Element;
  watch: BadgeWatch;
}

export class LinkMarks {
  private asked = new WeakSet<Element>();
  private count = 0;
  private readonly marks: LinkMark[] = [];
  /** Bumped by clear(): answers to a scan begun before are dropped. */
  private generation = 0;
  private on = true;

  constructor(
    private readonly lookUp: LinkLookup,
    private readonly doc: Document = document,
    private readonly timers: MarkTimers = { setTimeout: (f, ms) => setTimeout(f, ms) as unknown as number, clearTimeout: (id) => clearTimeout(id) },
  ) {}

  static isMark(n: Node): boolean {
    return (n as Element).tagName === LINK_MARK_TAG.toUpperCase();
  }

  /** Asks about the page's links not asked about yet; marks the known ones. */
  async scan(): Promise<void> {
    if (!this.on) return;
    const generation = this.generation;
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
      const { marks, off } = await this.lookUp(part);
      if (generation !== this.generation) return;
      if (off) return this.setOn(false);
      for (const m of marks) for (const a of byUrl.get(part[m.i]!) ?? []) if (a.isConnected) this.add(a, m.kind, m.line);
    }
  }

  /** Whether link marks are on (the reader's setting, as the background tells): off removes every dot and asks nothing more. */
  get enabled(): boolean {
    return this.on;
  }

  /** Turned off: every dot goes and nothing more is asked. Turned on again: the page's links are asked about afresh. */
  setOn(on: boolean): void {
    if (on === this.on) return;
    this.on = on;
    this.clear(true);
  }

  /** After the page's DOM changed: each dot whose link is still there is put back after it if the page took it away. */
  check(): void {
    for (const m of this.marks) if (m.link.isConnected) m.watch.check();
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
    const watch = new BadgeWatch({
      remount: () => a.isConnected && a.after(host),
      // The popup's "the page hid the badge" is about the badge; a dot put back says nothing more.
      report: () => undefined,
      setTimeout: (f, ms) => this.timers.setTimeout(f, ms),
      clearTimeout: (id) => this.timers.clearTimeout(id),
      home: () => a.parentNode,
    });
    watch.attach(host);
    this.marks.push({ host, link: a, watch });
  }

  /** Removes every dot; with `forget`, the links already asked about are asked about again by the next scan. */
  clear(forget = false): void {
    this.generation++;
    for (const m of this.marks.splice(0)) {
      m.watch.reset();
      m.host.remove();
    }
    if (forget) {
      this.asked = new WeakSet();
      this.count = 0;
    }
  }
}
