/** The messages between the content script, the extension pages and the background, defined once. */
import type { BadgeInfo } from './badge-info';
import type { Platform } from './extract/page-meta';
import type { FeedStatus } from './feed/scheduler';
import type { RunSummary } from './reports/outbox';
import type { ReportDraft } from './reports/reports-store';

export interface PagePayload {
  url: string;
  title: string;
  text: string;
  canonical?: string;
  links: string[];
  bylines: string[];
  platform: Platform;
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

export interface FeedsView {
  feeds: Array<FeedStatus & { publicKey: string }>;
  /** The starter index inside the extension. */
  bundled?: { originals: number; created: string };
  syncing: boolean;
}

export interface Protocol {
  scan: { request: PagePayload; response: BadgeInfo & { hidden?: boolean; outOfDate?: OutOfDateMatch } };
  'not-a-copy': { request: { url: string; originalId: string }; response: void };
  'hide-site': { request: { host: string }; response: void };
  'index-status': { request: Record<string, never>; response: IndexStatus };
  'tab-result': { request: { tabId: number }; response: (BadgeInfo & { url: string; title: string; outOfDate?: OutOfDateMatch }) | null };
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
export type Handlers = { [T in keyof Protocol]: (data: Protocol[T]['request'], tabId?: number) => Promise<Protocol[T]['response']> };
export interface Message<T extends MessageType = MessageType> {
  type: T;
  data: Protocol[T]['request'];
}
