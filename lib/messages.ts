/** The messages between the content script, the extension pages and the background, defined once. */
import type { BadgeAction } from './background/confirmations';
import type { BadgeInfo } from './badge-info';
import type { Platform } from './extract/page-meta';
import type { FeedStatus } from './feed/scheduler';
import type { Lang } from './i18n';
import type { RunSummary } from './reports/outbox';
import type { ReportUnitFields } from './reports/report-body';
import type { ReportDraft } from './reports/reports-store';

export interface PagePayload {
  url: string;
  title: string;
  /** The article's rendered text (what a reader can see). */
  text: string;
  /** rel=canonical or og:url: metadata, a weak signal. */
  canonical?: string;
  /** Links a reader can see. */
  links: string[];
  /** Source, byline and author names a reader can see. */
  bylines: string[];
  /** Author, source and site names from meta tags only: weak signals. */
  metaBylines?: string[];
  /** Links in the article that are not rendered (hidden credit is itself evidence). */
  hiddenLinks?: string[];
  /** Short texts of hidden elements in and around the article (hidden source lines). */
  hiddenText?: string[];
  platform: Platform;
  /** On a platform page (lib/platforms): the unit's account, post time and figures as shown, and its text, for reports. */
  unit?: ReportUnitFields;
}

/** One post of a timeline (a unit of lib/platforms), as the content script sends it when it enters the viewport. */
export interface UnitPayload {
  /** The content script's key for the post on this page ("u1", "u2"…). */
  key: string;
  /** The text it is matched on (lib/platforms unitText), its links and the names shown with it. */
  text: string;
  title?: string;
  links: string[];
  bylines: string[];
  /** The post's own address, when the page shows one. */
  url?: string;
  unit?: ReportUnitFields;
}

/** The most posts one 'scan-units' message carries. */
export const UNIT_BATCH = 25;

/** How the page hid the badge, as the content script saw it. */
export type BadgeHiddenHow = 'removed' | 'covered';

/** What a tab's result says to the popup and the report form. */
export type TabResult = BadgeInfo & {
  url: string;
  title: string;
  hidden?: boolean;
  hiddenByPage?: BadgeHiddenHow;
  outOfDate?: OutOfDateMatch;
  /** A platform page's unit (its account, time, figures, text), cleaned as a report carries them. */
  unit?: ReportUnitFields;
  /** The platform the page's module recognised. */
  platform?: Platform;
};

/** A confirmation page's request, as the background recorded it. */
export interface ConfirmView {
  action: BadgeAction;
  url: string;
  title: string;
  site?: string;
  originalTitle?: string;
  outlet?: string;
}

export interface IndexStatus {
  ready: boolean;
  originals: number;
  outlets: number;
  version: string;
  source: string;
  updated?: string;
  error?: string;
}

/** A match set aside because its original comes only from a lapsed feed (lib/feed/lapse.ts): not shown as a copy. */
export interface OutOfDateMatch {
  feed: string;
  title?: string;
  why: 'expired' | 'revoked';
  since: string;
  originalId: string;
  outlet: string;
}

/** An original found by the popup's search. */
export interface SearchResult {
  id: string;
  title: string;
  outlet: string;
  /** The outlet's name in the reader's language. */
  outletName: string;
  published: string;
  url: string;
}

export interface FeedsView {
  feeds: Array<FeedStatus & { publicKey: string }>;
  /** The starter index inside the extension. */
  bundled?: { originals: number; created: string };
  syncing: boolean;
}

export interface Protocol {
  // From content scripts (lib/background/message-policy.ts): only these.
  /** Scans the sender's own page (its address is the one the browser reports, not the payload's). */
  scan: { request: PagePayload; response: BadgeInfo & { hidden?: boolean; outOfDate?: OutOfDateMatch; lang: Lang } };
  /** Scans posts of the sender's own timeline page, each on its own (at most UNIT_BATCH per message). */
  'scan-units': {
    request: { units: UnitPayload[]; title: string; platform: Platform };
    response: { results: Array<{ key: string; result: BadgeInfo & { hidden?: boolean } }>; lang: Lang };
  };
  /** A trusted click on one of the badge's actions: opens the confirmation page or the report form (one per tab at a time); `unit`: about that post of the page. */
  'badge-action': { request: { action: BadgeAction; unit?: string }; response: { opened: boolean } };
  /** Opens the original of the sender tab's own result (https only); `unit`: of that post's result. */
  'open-original': { request: { unit?: string }; response: void };
  /** The page removed or covered the badge; the popup says so. */
  'badge-hidden': { request: { how: BadgeHiddenHow }; response: void };
  /** The generic script saw a platform's signs on a page of another host: the background injects the platform script into that tab's top frame (once per page); true when it did. */
  'platform-script': { request: Record<string, never>; response: boolean };
  /** Which of these link targets (at most LINK_BATCH) are known copies or originals, from what the browser holds (lib/background/link-service.ts). */
  'link-marks': { request: { urls: string[] }; response: { marks: Array<{ i: number; kind: 'original' | 'uncredited' | 'partial' | 'credited'; line: string }>; off?: true } };

  // From extension pages only.
  /** What a confirmation page asks the reader to confirm. */
  'confirm-info': { request: { id: string }; response: ConfirmView | null };
  /** The reader confirmed in the confirmation page: the setting changes now. */
  'confirm-apply': { request: { id: string }; response: void };
  'index-status': { request: Record<string, never>; response: IndexStatus };
  /** Outlets' names by language, for the given outlet ids (the bundled registry and the installed feeds' outlets): the popup's recent detections. */
  'outlet-names': { request: { ids: string[] }; response: Record<string, Record<string, string>> };
  /** The popup's search over the originals (lib/background/search-service.ts): the best matches, at most 20. */
  'search-originals': { request: { query: string; lang?: Lang }; response: SearchResult[] };
  /** A tab's result; with `unit`, that post's result on the tab's timeline page. */
  'tab-result': { request: { tabId: number; unit?: string }; response: TabResult | null };
  /** A timeline page's posts with a verdict (not hidden, not on the outlet's own site), in the order the page showed them. */
  'tab-units': { request: { tabId: number }; response: TabResult[] };
  'clear-history': { request: Record<string, never>; response: void };
  'feeds-status': { request: Record<string, never>; response: FeedsView };
  'feeds-sync': { request: Record<string, never>; response: FeedsView };
  'feed-add': { request: { url: string; publicKey: string }; response: FeedsView };
  'feed-remove': { request: { url: string }; response: FeedsView };
  'report-save': { request: ReportDraft; response: { uid: string } };
  /** Opens an extension page in a new tab: the report form (`report`) or the reports list (`reports`), with a query string. */
  'report-open': { request: { page: 'report' | 'reports'; query: Record<string, string> }; response: void };
  /** Runs the outbox now (after the reader agreed to send a report). */
  'outbox-run': { request: Record<string, never>; response: RunSummary };
}

export type MessageType = keyof Protocol;
/** Who sent a message, as the browser tells (lib/background/message-policy.ts). */
export interface SenderContext {
  kind: 'content' | 'extension';
  /** The sender's tab (a content script's page, or an extension page shown in a tab). */
  tabId?: number;
  /** The sender's address as the browser reports it. */
  url?: string;
}
export type Handlers = { [T in keyof Protocol]: (data: Protocol[T]['request'], sender: SenderContext) => Promise<Protocol[T]['response']> };
export interface Message<T extends MessageType = MessageType> {
  type: T;
  data: Protocol[T]['request'];
}
