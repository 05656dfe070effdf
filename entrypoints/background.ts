import { indexStatus, openIndex } from '@/lib/background/index-service';
import { clearCache, scanForTab, tabResults } from '@/lib/background/scan-service';
import { addFeed, feedsView, removeFeed, scheduler } from '@/lib/background/sync-service';
import { reportHandlers, startReports } from '@/lib/background/reports-service';
import type { Handlers, Message } from '@/lib/messages';
import { dismissedItem, hiddenSitesItem, historyItem } from '@/lib/settings';
import { dismissalKey, normaliseSite } from '@/lib/site-rules';

export default defineBackground(() => {
  browser.runtime.onInstalled.addListener(() => {
    void openIndex().catch(() => undefined);
  });
  // Alarms may be lost (browser restart, update): re-create them at every start.
  void scheduler.ensureAlarms().catch(() => undefined);
  void scheduler.resumeInterrupted().catch(() => undefined);
  browser.alarms.onAlarm.addListener((alarm) => void scheduler.onAlarm(alarm.name));
  browser.tabs.onRemoved.addListener((tabId) => tabResults.delete(tabId));
  startReports();

  const handlers: Handlers = {
    scan: (page, tabId) => scanForTab(page, tabId),
    'not-a-copy': async ({ url, originalId }) => {
      const list = await dismissedItem.getValue();
      const key = dismissalKey(url, originalId);
      if (!list.includes(key)) await dismissedItem.setValue([...list, key]);
    },
    'hide-site': async ({ host }) => {
      const site = normaliseSite(host);
      if (!site) return;
      const list = await hiddenSitesItem.getValue();
      // The scan service watches this item and drops its cached results.
      if (!list.includes(site)) await hiddenSitesItem.setValue([...list, site]);
    },
    'index-status': () => indexStatus(),
    'tab-result': async ({ tabId }) => tabResults.get(tabId) ?? null,
    'clear-history': async () => {
      await historyItem.setValue([]);
      await dismissedItem.setValue([]);
    },
    'feeds-status': () => feedsView(),
    'feeds-sync': async () => {
      await scheduler.syncAll(true);
      return feedsView();
    },
    'feed-add': ({ url, publicKey }) => addFeed(url, publicKey),
    'feed-remove': ({ url }) => removeFeed(url),
    ...reportHandlers(),
  };

  // Benchmark builds only (wxt build --mode bench): import an index served on loopback.
  if (import.meta.env.MODE === 'bench') {
    (handlers as unknown as Record<string, (d: { base: string }) => Promise<unknown>>)['bench-import'] = async ({ base }) => {
      const { importFromBase } = await import('@/lib/background/bench-import');
      const active = await importFromBase(base);
      clearCache();
      return active.segments[0]!.header;
    };
  }

  browser.runtime.onMessage.addListener((message: Message, sender, sendResponse) => {
    const handler = handlers[message?.type] as ((d: unknown, t?: number) => Promise<unknown>) | undefined;
    if (!handler) return false;
    handler(message.data, sender.tab?.id).then(
      (value) => sendResponse({ ok: true, value }),
      (e: Error) => sendResponse({ ok: false, error: e.message }),
    );
    return true; // answer asynchronously
  });
});
