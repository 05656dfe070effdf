/**
 * One page's life in the content script: extract at idle, ask the background,
 * show or update the badge, follow SPA navigation and late-loading text
 * (debounced, bounded), and highlight matched passages with the CSS Custom
 * Highlight API. All work is time-sliced; failures leave the page untouched.
 */
import type { BadgeInfo } from '../badge-info';
import type { Lang } from '../i18n';
import type { PagePayload } from '../messages';
import { extractLivePage, rangeFor, type TextMap } from './live-extract';

/** The background's answer: the verdict, and the reader's UI language (content scripts read no settings). */
export type ScanAnswer = BadgeInfo & { hidden?: boolean; lang?: Lang };

export interface BadgeHost {
  show(info: ScanAnswer, session: PageSession): void;
  hide(): void;
}

export interface SessionDeps {
  scan(page: PagePayload): Promise<ScanAnswer>;
  host: BadgeHost;
  doc?: Document;
}

/** Minimum article text worth sending (characters, after trimming). */
export const MIN_TEXT = 120;
const MAX_RESCANS = 5;
const RESCAN_DELAY = 1200;
export const HIGHLIGHT_NAME = 'provenance-match';

export class PageSession {
  private abort?: AbortController;
  private map?: TextMap;
  private info?: ScanAnswer;
  private lastText = '';
  private rescans = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly doc: Document;

  constructor(private readonly deps: SessionDeps) {
    this.doc = deps.doc ?? document;
  }

  /** Scans the page now (cancelling a scan in progress). */
  async scan(): Promise<void> {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    try {
      const live = await extractLivePage(this.doc, abort.signal);
      if (abort.signal.aborted) return;
      if (!live || live.page.text.trim().length < MIN_TEXT) {
        this.lastText = live?.page.text ?? '';
        this.clear();
        return;
      }
      if (live.page.text === this.lastText && this.info) return;
      this.lastText = live.page.text;
      const info = await this.deps.scan(live.page);
      if (abort.signal.aborted) return;
      this.map = live.map;
      this.info = info;
      // The original on its own site gets no badge at all.
      if (info.hidden || info.verdict === 'none' || info.credit?.kind === 'own-site') this.clear();
      else this.deps.host.show(info, this);
    } catch (e) {
      if ((e as Error).name !== 'AbortError') console.debug('[provenance] scan failed:', (e as Error).message);
    }
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
    this.schedule(300);
  }

  /** The page changed (late text): rescan, debounced and bounded. */
  changed(): void {
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
    if (!this.map || !this.info) return false;
    const ranges = this.info.passages
      .map((p) => rangeFor(this.doc, this.map!, p.pageStart, p.pageEnd))
      .filter((r): r is Range => !!r);
    if (ranges.length === 0) return false;
    if (css?.highlights && HighlightCtor) {
      css.highlights.set(HIGHLIGHT_NAME, new HighlightCtor(...ranges));
    } else {
      // Fallback without the Highlight API: select the first passage.
      const sel = this.doc.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(ranges[0]!);
    }
    ranges[0]!.startContainer.parentElement?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    return true;
  }
}
