/**
 * One page's life in the content script: extract at idle, ask the background,
 * show or update the badge, follow SPA navigation and late-loading text
 * (debounced, bounded), and highlight matched passages with the CSS Custom
 * Highlight API. All work is time-sliced; failures leave the page untouched.
 */
import type { BadgeInfo } from '../badge-info';
import type { Lang } from '../i18n';
import type { PagePayload } from '../messages';
import { extractUnits, unitBylines, unitText } from '../platforms/index';
import type { PlatformPage, PlatformUnit } from '../platforms/types';
import { extractLivePage, rangeFor, type TextMap } from './live-extract';
import { MIN_UNIT_TEXT, unitFacts, UnitWatch } from './units';

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
  /** Timeline pages: each post matched on its own as it enters the viewport (lib/content/units.ts). */
  units?: UnitWatch;
}

/** The platform units of the live page (lib/platforms), or undefined when no module reads it. */
function livePlatformPage(doc: Document): PlatformPage | undefined {
  try {
    return extractUnits(doc, { url: doc.location.href });
  } catch {
    return undefined;
  }
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

  constructor(private readonly deps: SessionDeps) {
    this.doc = deps.doc ?? document;
  }

  /** Scans the page now (cancelling a scan in progress). */
  async scan(): Promise<void> {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    try {
      // A platform page (lib/platforms): a timeline is read post by post; one post, video or article is its unit.
      const platform = livePlatformPage(this.doc);
      if (this.deps.units && UnitWatch.wants(platform)) {
        if (this.info) this.clear();
        this.deps.units.update(platform);
        return;
      }
      if (this.deps.units?.active) this.deps.units.stop();
      const single = platform?.units.length === 1 ? platform.units[0] : undefined;
      const live = await extractLivePage(this.doc, abort.signal);
      if (abort.signal.aborted) return;
      let page = live?.page;
      let map = live?.map;
      if (single && single.kind !== 'article') {
        // A post or a video: matched on its own text (caption, subtitles, the reposted post) and the names shown with it, as the CLI does.
        map = undefined;
        page = {
          url: this.doc.location.href,
          title: live?.page.title ?? this.doc.title.slice(0, 500),
          text: unitText(single),
          canonical: live?.page.canonical,
          links: single.links.slice(0, 200),
          bylines: unitBylines(single),
          metaBylines: live?.page.metaBylines ?? [],
          hiddenLinks: live?.page.hiddenLinks ?? [],
          hiddenText: live?.page.hiddenText ?? [],
          platform: single.platform,
          unit: unitFacts(single),
        };
      } else if (single && page) {
        // An article (WeChat, Toutiao): the generic extraction, with the account, time and figures, and the names shown with it.
        const bylines = [...page.bylines];
        for (const b of unitBylines(single)) if (!bylines.includes(b)) bylines.push(b);
        page = { ...page, bylines, platform: single.platform, unit: { ...unitFacts(single), unitText: page.text } };
      }
      const min = single && single.kind !== 'article' ? MIN_UNIT_TEXT : MIN_TEXT;
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
    this.deps.units?.stop();
    this.schedule(300);
  }

  /** The page changed (late text): rescan, debounced and bounded; a timeline is read again for new posts as long as it grows. */
  changed(): void {
    if (this.deps.units?.active) return this.schedule(UNITS_DELAY);
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
    this.deps.units?.stop();
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
