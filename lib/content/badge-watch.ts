/**
 * Notices when the page takes the badge away from the reader: removes its
 * host element or moves it elsewhere (re-attached at once a few times, then
 * at most every few seconds, so that a page that strips it on every change
 * never locks the two into a loop),
 * or hides or covers it (IntersectionObserver v2, `trackVisibility`: the
 * browser's own occlusion test, which sees elements painted over the badge
 * even when they let clicks through with `pointer-events: none`, and
 * ancestors' opacity, filters and transforms). Either is reported once per
 * badge, so that the popup can say "this page hid the badge" (the toolbar icon
 * keeps the verdict whatever the page does).
 */
import type { BadgeHiddenHow } from '../messages';

export interface WatchDeps {
  /** Puts the badge's host back at the end of <body>. */
  remount(): void;
  report(how: BadgeHiddenHow): void;
  setTimeout(f: () => void, ms: number): number;
  clearTimeout(id: number): void;
  /** Where the host belongs (the <html> element: after <body>, out of reach of pages that sweep their body). */
  home?: () => Node | null;
}

/** Immediate re-attachments before the page is taken to be removing the badge on purpose. */
export const MAX_REMOUNTS = 5;
/** After that, one re-attachment at most this often. */
export const SLOW_REMOUNT_MS = 2000;
/** How long the badge must stay hidden or covered before it counts. */
export const COVERED_MS = 1500;

export class BadgeWatch {
  private host?: Element;
  private remounts = 0;
  private reported = new Set<BadgeHiddenHow>();
  private io?: IntersectionObserver;
  private timer?: number;
  private slow?: number;

  constructor(private readonly deps: WatchDeps) {}

  /** A new badge: forget the old one's counts. */
  reset(): void {
    this.io?.disconnect();
    this.io = undefined;
    if (this.timer !== undefined) this.deps.clearTimeout(this.timer);
    if (this.slow !== undefined) this.deps.clearTimeout(this.slow);
    this.timer = this.slow = undefined;
    this.host = undefined;
    this.remounts = 0;
    this.reported.clear();
  }

  attach(host: Element): void {
    this.host = host;
  }

  /** After the page's DOM changed: is the host still where it belongs? */
  check(): void {
    const host = this.host;
    if (!host) return;
    const home = this.deps.home ? this.deps.home() : document.documentElement;
    if (host.isConnected && host.parentNode === home) return;
    if (this.remounts < MAX_REMOUNTS) {
      this.remounts++;
      this.deps.remount();
      return;
    }
    this.once('removed');
    this.slow ??= this.deps.setTimeout(() => {
      this.slow = undefined;
      if (this.host === host) {
        this.deps.remount();
        this.check();
      }
    }, SLOW_REMOUNT_MS);
  }

  /** Watches the element that shows the badge (the panel or the collapsed dot). */
  observe(el: Element | null): void {
    this.io?.disconnect();
    this.io = undefined;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const options = { threshold: [0, 1], trackVisibility: true, delay: 200 } as IntersectionObserverInit;
    this.io = new IntersectionObserver((entries) => {
      const e = entries[entries.length - 1]!;
      const visible = (e as IntersectionObserverEntry & { isVisible?: boolean }).isVisible;
      const hidden = !e.isIntersecting || visible === false;
      if (!hidden) {
        if (this.timer !== undefined) this.deps.clearTimeout(this.timer);
        this.timer = undefined;
      } else if (this.timer === undefined)
        this.timer = this.deps.setTimeout(() => {
          this.timer = undefined;
          this.once('covered');
        }, COVERED_MS);
    }, options);
    this.io.observe(el);
  }

  private once(how: BadgeHiddenHow): void {
    if (this.reported.has(how)) return;
    this.reported.add(how);
    this.deps.report(how);
  }
}
