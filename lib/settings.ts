/** Settings and remembered choices, as typed WXT storage items (defined once). */
import { storage } from '#imports';
import type { FeedKeyRecord, FeedStatus, FeedSubscription } from './feed/scheduler';
import type { Sensitivity } from './match/judge';
import type { SiteMode } from './site-rules';

export type UiLanguage = 'auto' | 'en' | 'zh-Hans' | 'zh-Hant';

export interface Settings {
  sensitivity: Sensitivity;
  siteMode: SiteMode;
  sites: string[];
  language: UiLanguage;
  /** Check translated copies' evidence with the browser's on-device translator, where it has one (off by default). */
  onDeviceTranslator: boolean;
  /**
   * Marks on links to known copies and originals (on by default). Off: the content scripts drop their dots
   * at once and the background answers no link lookups. Settings stored before it existed read as on.
   */
  linkMarks: boolean;
}

/** Whether stored settings have link marks on: only an explicit false turns them off (settings and exports from before the option: on). */
export function linkMarksOn(settings: { linkMarks?: unknown } | null | undefined): boolean {
  return settings?.linkMarks !== false;
}

export const DEFAULT_SETTINGS: Settings = { sensitivity: 'normal', siteMode: 'all', sites: [], language: 'auto', onDeviceTranslator: false, linkMarks: true };

export interface Detection {
  url: string;
  title: string;
  verdict: string;
  outlet: string;
  originalTitle: string;
  originalUrl: string;
  at: string;
}

export const settingsItem = storage.defineItem<Settings>('local:settings', { fallback: DEFAULT_SETTINGS, version: 1 });
/** "Not a copy" dismissals: dismissalKey(url, originalId). */
export const dismissedItem = storage.defineItem<string[]>('local:dismissed', { fallback: [], version: 1 });
/** Sites where the reader chose "Hide on this site". */
export const hiddenSitesItem = storage.defineItem<string[]>('local:hiddenSites', { fallback: [], version: 1 });
/** Recent detections shown in the popup (newest first, bounded). */
export const historyItem = storage.defineItem<Detection[]>('local:history', { fallback: [], version: 1 });

export const HISTORY_LIMIT = 50;

/** Feeds the reader subscribed to (the bundled starter index is always there besides them). */
export const feedsItem = storage.defineItem<FeedSubscription[]>('local:feeds', { fallback: [], version: 1 });
/** Highest feed version installed per "feed-id key" (never cleared: rollback protection that outlives the index database). */
export const feedFloorsItem = storage.defineItem<Record<string, number>>('local:feedFloors', { fallback: {}, version: 1 });
/** What is trusted of each feed's keys: current key, committed next key, keys rotated away or revoked (never cleared, like the floors). */
export const feedKeysItem = storage.defineItem<FeedKeyRecord[]>('local:feedKeys', { fallback: [], version: 1 });
/** Per-feed sync status, by manifest address. */
export const feedStatusItem = storage.defineItem<Record<string, FeedStatus>>('local:feedStatus', { fallback: {}, version: 1 });

export async function readSettings(): Promise<Settings> {
  return { ...DEFAULT_SETTINGS, ...(await settingsItem.getValue()) };
}
