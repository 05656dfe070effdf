/**
 * One page's life in the content script: extract at idle, ask the background,
 * show or update the badge, follow SPA navigation and late-loading text
 * (debounced, bounded), and highlight matched passages with the CSS Custom
 * Highlight API. All work is time-sliced; failures leave the page untouched.
 */
import type { BadgeInfo } from '../badge-info';
import type { Lang } from '../i18n';
import type { PagePayload } from '../messages';
import type { PlatformUnit } from '../platforms/types';
import { extractLivePage, rangeFor, type LiveExtract, type TextMap } from './live-extract';

/** The background's answer: the verdict, and the reader's UI language (content scripts read no settings). */
export type ScanAnswer = BadgeInfo & { hidden?: boolean; lang?: Lang };

export interface BadgeHost {
  show(info: ScanAnswer, session: PageSession): void;
  hide(): void;
}

/**
 * The platform half of a session (lib/content/platform-reader.ts), in the
 * platform content script only: the generic script, which runs on every page,
 * carries none of lib/platforms.
 */
export interface SessionPlatform {
  /** Reads the live page: 'units' when it is a timeline now read post by post (`clear` is called first); the unit of a one-unit page; else undefined. */
  read(doc: Document, clear: () => void): 'units' | PlatformUnit | undefined;
  /** A one-unit page's payload (from the generic extraction or without it); `min`: fewest characters worth sending; `keepMap`: highlight by the extraction's map. */
  page(unit: PlatformUnit, live: LiveExtract | undefined, doc: Document): { page?: PagePayload; min?: number; keepMap: boolean };
  /** Whether posts are being read one by one. */
  readonly active: boolean;
  stop(): void;
}

export interface SessionDeps {
  scan(page: PagePayload): Promise<ScanAnswer>;
  host: BadgeHost;
  doc?: Document;
  /** Platform pages (the platform content script): a timeline's posts each on its own, a post or video by its unit. */
  platform?: SessionPlatform;
  /**
   * The generic content script: when the page shows a platform's signs, asks for the platform script
   * (a promise of whether it took the page over: this session then ends); undefined when there is nothing to ask.
   */
  handOver?: () => Promise<boolean> | undefined;
}

/** Minimum article text worth sending (characters, after trimming). */
export const MIN_TEXT = 120;
const MAX_RESCANS = 5;
const RESCAN_DELAY = 1200;
/** A timeline that grew (infinite scroll): read again after this pause. */
const UNITS_DELAY = 400;
export const HIGHLIGHT_NAME = 'provenance-match';

export class PageSession {
  private abort?: AbortController;
  private map?: TextMap;
  private info?: ScanAnswer;
  private lastText = '';
  private rescans = 0;
  private timer?: ReturnType<typeof setTimeout>;
  /** The unit a single-post, video or article platform page was judged on (its element is what "Highlight" shows). */
  private unit?: PlatformUnit;
  private readonly doc: Document;
  private ended = false;

  constructor(private readonly deps: SessionDeps) {
    this.doc = deps.doc ?? document;
  }

  /** Scans the page now (cancelling a scan in progress). */
  async scan(): Promise<void> {
    if (this.ended) return;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    try {
      const handing = this.deps.handOver?.();
      if (handing && (await handing)) return this.end();
      if (abort.signal.aborted || this.ended) return;
      // A platform page (lib/platforms): a timeline is read post by post; one post, video or article is its unit.
      const read = this.deps.platform?.read(this.doc, () => this.info && this.clear());
      if (read === 'units') return;
      const single = read;
      const live = await extractLivePage(this.doc, abort.signal);
      if (abort.signal.aborted) return;
      let page = live?.page;
      let map = live?.map;
      let min = MIN_TEXT;
      if (single && this.deps.platform) {
        const made = this.deps.platform.page(single, live, this.doc);
        page = made.page;
        min = made.min ?? MIN_TEXT;
        if (!made.keepMap) map = undefined;
      }
      if (!page || page.text.trim().length < min) {
        this.lastText = page?.text ?? '';
        this.clear();
        return;
      }
      if (page.text === this.lastText && this.info) return;
      this.lastText = page.text;
      const info = await this.deps.scan(page);
      if (abort.signal.aborted) return;
      this.map = map;
      this.unit = single;
      this.info = info;
      // The original on its own site gets no badge at all.
      if (info.hidden || info.verdict === 'none' || info.credit?.kind === 'own-site') this.clear();
      else this.deps.host.show(info, this);
    } catch (e) {
      if ((e as Error).name !== 'AbortError') console.debug('[provenance] scan failed:', (e as Error).message);
    }
  }

  /** The platform script took the page over: this session does nothing more. */
  private end(): void {
    this.ended = true;
    this.stop();
  }

  /** Scans again now, even if the text did not change (a setting changed in the extension). */
  rescanNow(): void {
    this.lastText = '';
    clearTimeout(this.timer);
    void this.scan();
  }

  /** After SPA navigation: forget the old page and scan the new one. */
  navigated(): void {
    this.rescans = 0;
    this.lastText = '';
    this.clear();
    this.deps.platform?.stop();
    this.schedule(300);
  }

  /** The page changed (late text): rescan, debounced and bounded; a timeline is read again for new posts as long as it grows. */
  changed(): void {
    if (this.deps.platform?.active) return this.schedule(UNITS_DELAY);
    if (this.rescans >= MAX_RESCANS) return;
    this.schedule(RESCAN_DELAY, true);
  }

  private schedule(delay: number, counts = false): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (counts) this.rescans++;
      void this.scan();
    }, delay);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.abort?.abort();
    this.clear();
    this.deps.platform?.stop();
  }

  private clear(): void {
    this.highlight(false);
    this.info = undefined;
    this.deps.host.hide();
  }

  /** Highlights (or un-highlights) the matched passages; returns whether they are highlighted. */
  highlight(on: boolean): boolean {
    const css = (globalThis as { CSS?: { highlights?: Map<string, unknown> } }).CSS;
    const HighlightCtor = (globalThis as { Highlight?: new (...r: Range[]) => unknown }).Highlight;
    if (!on) {
      css?.highlights?.delete(HIGHLIGHT_NAME);
      return false;
    }
    if (!this.info) return false;
    // A post or a video is matched on text gathered from several places (caption, subtitles): its element is what is highlighted.
    const unitEl = !this.map && this.unit?.element?.isConnected ? this.unit.element : undefined;
    if (!this.map && !unitEl) return false;
    return highlightRanges(this.doc, unitEl ? [wholeElement(this.doc, unitEl)] : this.info.passages.map((p) => rangeFor(this.doc, this.map!, p.pageStart, p.pageEnd)).filter((r): r is Range => !!r));
  }
}

/** A range over an element's contents. */
export function wholeElement(doc: Document, el: Element): Range {
  const r = doc.createRange();
  r.selectNodeContents(el);
  return r;
}

/** Highlights ranges with the CSS Custom Highlight API (else selects the first) and scrolls to the first. */
export function highlightRanges(doc: Document, ranges: Range[]): boolean {
  const css = (globalThis as { CSS?: { highlights?: Map<string, unknown> } }).CSS;
  const HighlightCtor = (globalThis as { Highlight?: new (...r: Range[]) => unknown }).Highlight;
  if (ranges.length === 0) return false;
  if (css?.highlights && HighlightCtor) {
    css.highlights.set(HIGHLIGHT_NAME, new HighlightCtor(...ranges));
  } else {
    // Fallback without the Highlight API: select the first passage.
    const sel = doc.getSelection();
    sel?.removeAllRanges();
    sel?.addRange(ranges[0]!);
  }
  ranges[0]!.startContainer.parentElement?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  return true;
}
