/** The messages between the content script, the extension pages and the background, defined once. */
import type { BadgeInfo } from './badge-info';
import type { Platform } from './extract/page-meta';
import type { FeedStatus } from './feed/scheduler';
import type { Report } from './store/reports-db';

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

export interface FeedsView {
  feeds: Array<FeedStatus & { publicKey: string }>;
  /** The starter index inside the extension. */
  bundled?: { originals: number; created: string };
  syncing: boolean;
}

export interface Protocol {
  scan: { request: PagePayload; response: BadgeInfo & { hidden?: boolean } };
  'not-a-copy': { request: { url: string; originalId: string }; response: void };
  'hide-site': { request: { host: string }; response: void };
  'index-status': { request: Record<string, never>; response: IndexStatus };
  'tab-result': { request: { tabId: number }; response: (BadgeInfo & { url: string; title: string }) | null };
  'clear-history': { request: Record<string, never>; response: void };
  'feeds-status': { request: Record<string, never>; response: FeedsView };
  'feeds-sync': { request: Record<string, never>; response: FeedsView };
  'feed-add': { request: { url: string; publicKey: string }; response: FeedsView };
  'feed-remove': { request: { url: string }; response: FeedsView };
  'report-save': { request: Omit<Report, 'id' | 'createdAt' | 'status'>; response: number };
}

export type MessageType = keyof Protocol;
export interface Message<T extends MessageType = MessageType> {
  type: T;
  data: Protocol[T]['request'];
}
