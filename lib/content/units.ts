/**
 * Many units on one page (a timeline, a feed, search results): each post of
 * lib/platforms is matched on its own when it enters the viewport
 * (IntersectionObserver), in batches of at most UNIT_BATCH per message to the
 * background, which judges each post as it judges a page. Posts keep their
 * key and verdict when the page is read again (late posts, infinite scroll);
 * a post whose text changed (an expanded "全文") is sent again.
 *
 * Only posts a reader can see are sent: the observer reports only rendered
 * boxes, and a post that does not render (checkVisibility, opacity 0
 * included) when it "enters" is left until it does.
 */
import type { Platform } from '../extract/page-meta';
import type { Lang } from '../i18n';
import { UNIT_BATCH, type UnitPayload } from '../messages';
import { unitBylines, unitText } from '../platforms/index';
import type { PlatformPage, PlatformUnit } from '../platforms/types';
import type { ReportUnitFields } from '../reports/report-body';
import type { ScanAnswer } from './page-session';

/** Fewest characters of a post worth matching (the matcher needs longer runs than this anyway). */
export const MIN_UNIT_TEXT = 20;

export interface UnitEntry {
  key: string;
  el: Element;
  unit: PlatformUnit;
  /** The text sent (or to send) for this post. */
  text: string;
  info?: ScanAnswer;
  /** performance.now() when it entered the viewport, and when its verdict came. */
  enteredAt?: number;
  judgedAt?: number;
}

export interface UnitsHost {
  /** A post's verdict came (or changed): mark it, or remove its mark when it has none. */
  mark(entry: UnitEntry, lang: Lang): void;
  /** Marks go (navigation, a page that is no timeline any more). */
  clear(): void;
  /** The posts with a verdict, in page order, for the page badge's summary. */
  summary(entries: UnitEntry[], lang: Lang): void;
}

export interface UnitsDeps {
  scanUnits(req: { units: UnitPayload[]; title: string; platform: Platform }): Promise<{ results: Array<{ key: string; result: ScanAnswer }>; lang: Lang }>;
  host: UnitsHost;
  doc?: Document;
  /** The IntersectionObserver constructor (tests may pass their own). */
  Observer?: typeof IntersectionObserver;
}

/** A post's facts as a report carries them (lib/reports/report-body.ts cleans and caps them again). */
export function unitFacts(u: PlatformUnit): ReportUnitFields {
  return {
    account: { name: u.author.name, ...(u.author.url ? { url: u.author.url } : {}) },
    ...(u.postedAt ? { postedAt: { shown: u.postedAt.shown, ...(u.postedAt.iso ? { iso: u.postedAt.iso } : {}) } } : {}),
    engagement: u.engagement,
    unitText: unitText(u),
  };
}

function shows(el: Element): boolean {
  const check = (el as Element & { checkVisibility?: (o?: object) => boolean }).checkVisibility;
  return check ? check.call(el, { checkOpacity: true, checkVisibilityCSS: true }) : true;
}

export class UnitWatch {
  private readonly keys = new WeakMap<Element, string>();
  private readonly entries = new Map<string, UnitEntry>();
  /** Posts in the viewport now. */
  private readonly visible = new Set<string>();
  private readonly queue = new Set<string>();
  /** Keys sent with the text they were sent with. */
  private readonly sent = new Map<string, string>();
  private io?: IntersectionObserver;
  private next = 1;
  private flushing = false;
  private scheduled = false;
  private platform?: PlatformPage['platform'];
  private lang: Lang = 'en';
  private readonly doc: Document;
  private stopped = false;

  constructor(private readonly deps: UnitsDeps) {
    this.doc = deps.doc ?? document;
  }

  /** Whether a platform page is read post by post (a timeline, or any page of several posts). */
  static wants(page: PlatformPage | undefined): page is PlatformPage {
    return !!page && (page.shape === 'timeline' || page.units.filter((u) => u.element).length > 1);
  }

  get active(): boolean {
    return this.entries.size > 0;
  }

  /** A post's entry by key (for the badge's actions). */
  entry(key: string): UnitEntry | undefined {
    return this.entries.get(key);
  }

  /** Takes the posts of a fresh reading of the page: new ones are watched, known ones keep key and verdict. */
  update(page: PlatformPage): void {
    this.stopped = false;
    this.platform = page.platform;
    const Observer = this.deps.Observer ?? globalThis.IntersectionObserver;
    this.io ??= new Observer((records) => this.seen(records), { threshold: 0 });
    const present = new Set<string>();
    for (const unit of page.units) {
      const el = unit.element;
      if (!el) continue;
      const text = unitText(unit);
      if (text.trim().length < MIN_UNIT_TEXT) continue;
      let key = this.keys.get(el);
      if (!key || !this.entries.has(key)) {
        key = `u${this.next++}`;
        this.keys.set(el, key);
        this.entries.set(key, { key, el, unit, text });
        this.io.observe(el);
      } else {
        const e = this.entries.get(key)!;
        e.unit = unit;
        if (e.text !== text) {
          e.text = text;
          if (this.visible.has(key)) this.enqueue(key);
        }
      }
      present.add(key);
    }
    // Posts the page removed: forgotten (their marks went with them).
    for (const [key, e] of this.entries)
      if (!present.has(key) && !e.el.isConnected) {
        this.io.unobserve(e.el);
        this.entries.delete(key);
        this.visible.delete(key);
        this.queue.delete(key);
      }
    this.publish();
  }

  private seen(records: IntersectionObserverEntry[]): void {
    const now = performance.now();
    for (const r of records) {
      const key = this.keys.get(r.target);
      if (!key || !this.entries.has(key)) continue;
      if (!r.isIntersecting) {
        this.visible.delete(key);
        continue;
      }
      this.visible.add(key);
      const e = this.entries.get(key)!;
      e.enteredAt ??= now;
      this.enqueue(key);
    }
  }

  private enqueue(key: string): void {
    const e = this.entries.get(key);
    if (!e || this.sent.get(key) === e.text) return;
    this.queue.add(key);
    // After the current task's other posts joined the queue (one observer callback, one batch).
    if (!this.flushing && !this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        if (!this.flushing) void this.flush();
      });
    }
  }

  /** Sends what is queued, one batch at a time, until the queue is empty. */
  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.size && !this.stopped) {
        const batch: UnitPayload[] = [];
        for (const key of this.queue) {
          this.queue.delete(key);
          const e = this.entries.get(key);
          if (!e || !e.el.isConnected) continue;
          // Not rendered (hidden by the page): left until it enters again.
          if (!shows(e.el)) continue;
          this.sent.set(key, e.text);
          const u = e.unit;
          batch.push({
            key,
            text: e.text,
            ...(u.title ? { title: u.title } : {}),
            links: u.links.slice(0, 50),
            bylines: unitBylines(u),
            ...(u.url ? { url: u.url } : {}),
            unit: unitFacts(u),
          });
          if (batch.length >= UNIT_BATCH) break;
        }
        if (!batch.length) continue;
        let answer: Awaited<ReturnType<UnitsDeps['scanUnits']>>;
        try {
          answer = await this.deps.scanUnits({ units: batch, title: this.doc.title.slice(0, 500), platform: this.platform ?? 'other' });
        } catch (err) {
          for (const u of batch) this.sent.delete(u.key);
          console.debug('[provenance] scan-units failed:', (err as Error).message);
          return;
        }
        if (this.stopped) return;
        this.lang = answer.lang;
        const now = performance.now();
        for (const { key, result } of answer.results) {
          const e = this.entries.get(key);
          if (!e) continue;
          e.info = result;
          e.judgedAt = now;
          this.deps.host.mark(e, this.lang);
        }
        this.publish();
      }
    } finally {
      this.flushing = false;
    }
  }

  /** The posts a reader should hear about: a verdict, not hidden, not the outlet's own site. */
  judged(): UnitEntry[] {
    return [...this.entries.values()].filter((e) => e.info && e.info.verdict !== 'none' && !e.info.hidden && e.info.credit?.kind !== 'own-site');
  }

  private publish(): void {
    this.deps.host.summary(this.judged(), this.lang);
  }

  /** Forgets every post (navigation) and removes the marks. */
  stop(): void {
    this.stopped = true;
    this.io?.disconnect();
    this.io = undefined;
    this.entries.clear();
    this.visible.clear();
    this.queue.clear();
    this.sent.clear();
    this.deps.host.clear();
  }
}
