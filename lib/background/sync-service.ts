/**
 * The background's feed sync: the scheduler wired to the extension's storage,
 * alarms and network. Feeds are fetched without extra host permissions: a
 * feed server answers with `Access-Control-Allow-Origin: *` (static hosting
 * and CDNs do; `npm run -s index -- serve` does).
 */
import { browser } from '#imports';
import { FeedError, parsePublicKey } from '../feed/format';
import { FeedScheduler, type FeedSubscription } from '../feed/scheduler';
import { abandonJob, checkFeedUrl, httpSource } from '../feed/sync';
import type { FeedsView } from '../messages';
import { feedFloorsItem, feedKeysItem, feedStatusItem, feedsItem } from '../settings';
import { commit, refreshShadow } from '../store/index-db';
import { indexDb, invalidateIndex, whenRebuilt } from './index-service';
import { clearCache } from './scan-service';

/** Between import batches: give the browser a turn (pages' work, other messages). */
const pause = () => new Promise<void>((r) => setTimeout(r, 0));

export const scheduler = new FeedScheduler({
  db: indexDb,
  subscriptions: () => feedsItem.getValue(),
  loadStatus: () => feedStatusItem.getValue(),
  saveStatus: (s) => feedStatusItem.setValue(s),
  loadFloors: () => feedFloorsItem.getValue(),
  saveFloors: (f) => feedFloorsItem.setValue(f),
  loadKeys: () => feedKeysItem.getValue(),
  saveKeys: (k) => feedKeysItem.setValue(k),
  updateKey: async (url, publicKey) => feedsItem.setValue((await feedsItem.getValue()).map((s) => (s.url === url ? { ...s, publicKey } : s))),
  alarms: browser.alarms as never,
  source: (sub) => httpSource(sub.url, { timeoutMs: 120_000 }),
  pause,
  onInstalled: () => {
    invalidateIndex();
    clearCache();
  },
  onChanged: () => {
    invalidateIndex();
    clearCache();
  },
});

// A rebuilt database holds only the bundled index: every feed syncs again, in full.
whenRebuilt(() => void scheduler.syncAll(true));

export async function feedsView(): Promise<FeedsView> {
  const [feeds, subs, active] = await Promise.all([scheduler.status(), feedsItem.getValue(), indexDb().active().catch(() => undefined)]);
  const bundled = active?.sources.bundled;
  return {
    feeds: feeds.map((f) => ({ ...f, publicKey: subs.find((s) => s.url === f.url)?.publicKey ?? '' })),
    bundled: bundled ? { originals: (active?.segments ?? []).filter((s) => s.feed === 'bundled').reduce((n, s) => n + s.header.originals, 0), created: bundled.created } : undefined,
    syncing: scheduler.busy,
  };
}

export async function addFeed(url: string, publicKey: string): Promise<FeedsView> {
  let u: URL;
  try {
    u = checkFeedUrl(url.trim());
    parsePublicKey(publicKey);
  } catch (e) {
    throw new Error(e instanceof FeedError ? e.message : String(e));
  }
  const subs = await feedsItem.getValue();
  const same = subs.find((s) => s.url === u.href);
  if (same && same.publicKey === publicKey.trim()) throw new Error('This feed is already subscribed.');
  const sub: FeedSubscription = { url: u.href, publicKey: publicKey.trim(), addedAt: new Date().toISOString() };
  if (same) {
    // The same address with another key: the reader corrects a key typed wrong. The feed starts afresh.
    await scheduler.exclusive(() => removeFeedNow(same.url));
    await feedsItem.setValue([...(await feedsItem.getValue()), sub]);
  } else await feedsItem.setValue([...subs, sub]);
  await scheduler.syncAll(true);
  return feedsView();
}

export async function removeFeed(url: string): Promise<FeedsView> {
  await scheduler.exclusive(() => removeFeedNow(url));
  return feedsView();
}

/** Runs while no sync runs (a sync that read the subscriptions before the removal could re-add the feed). */
async function removeFeedNow(url: string): Promise<void> {
  const status = await feedStatusItem.getValue();
  const feed = status[url]?.feed;
  await feedsItem.setValue((await feedsItem.getValue()).filter((s) => s.url !== url));
  delete status[url];
  await feedStatusItem.setValue(status);
  // Its originals leave the index unless another subscription serves the same feed.
  const others = Object.values(status).some((s) => s.feed === feed);
  if (feed && !others) {
    await abandonJob(indexDb(), feed);
    await commit(indexDb(), (current) => {
      const sources = { ...current!.sources };
      delete sources[feed];
      return { ...current!, segments: current!.segments.filter((s) => s.feed !== feed), sources };
    });
    await refreshShadow(indexDb());
    invalidateIndex();
    clearCache();
  }
}
