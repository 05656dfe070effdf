import { storage } from '#imports';
import { Confirmations, type BadgeAction, type PendingRequest } from '@/lib/background/confirmations';
import { indexStatus, openIndex, outletNames } from '@/lib/background/index-service';
import { allowed, senderKind } from '@/lib/background/message-policy';
import { searchForPopup } from '@/lib/background/search-service';
import { clearCache, judgedUnits, resultFor, scanForTab, scanSettings, warmUp, scanUnitsForTab, tabResults, unitResults } from '@/lib/background/scan-service';
import { addFeed, feedsView, removeFeed, scheduler } from '@/lib/background/sync-service';
import { reportHandlers, reportsDb, startReports } from '@/lib/background/reports-service';
import { lookUpLinks, watchLinkMarksSetting } from '@/lib/background/link-service';
import { resolveLang } from '@/lib/i18n';
import { UNIT_BATCH, type Handlers, type Message, type PagePayload, type SenderContext, type UnitPayload } from '@/lib/messages';
import { unitFields, type ReportUnitFields } from '@/lib/reports/report-body';
import { PLATFORMS } from '@/lib/extract/page-meta';
import { reportFormQuery } from '@/lib/reports/form-query';
import { migrateSendingSettings } from '@/lib/reports/sending-settings';
import { dismissedItem, hiddenSitesItem, historyItem, readSettings } from '@/lib/settings';
import { dismissalKey, normaliseSite } from '@/lib/site-rules';

const BADGE_ACTIONS: ReadonlySet<BadgeAction> = new Set(['not-a-copy', 'hide-site', 'report']);
const HIDDEN_HOW = new Set(['removed', 'covered']);

/** An https address, or undefined: what "Open the original" may open. */
function httpsOnly(url: string | undefined): string | undefined {
  try {
    const u = new URL(url ?? '');
    return u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

const strings = (v: unknown, n: number, len: number) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, n).map((x) => x.slice(0, len)) : []);
const platformFrom = (p: unknown): PagePayload['platform'] => (PLATFORMS.includes(p as PagePayload['platform']) ? (p as PagePayload['platform']) : 'other');
/** A unit's report fields from a content script: only the fields a report may carry, cleaned and capped (lib/reports/report-body.ts). */
function unitFrom(u: unknown): ReportUnitFields | undefined {
  if (!u || typeof u !== 'object') return undefined;
  try {
    const f = unitFields(u as ReportUnitFields);
    return Object.keys(f).length ? f : undefined;
  } catch {
    return undefined;
  }
}

/** A content script's post as the background takes it: bounded fields, a key of its own shape. */
function unitPayloadFrom(u: UnitPayload): UnitPayload | undefined {
  if (typeof u?.key !== 'string' || !/^u\d{1,7}$/.test(u.key) || typeof u.text !== 'string' || !u.text.trim()) return undefined;
  const unit = unitFrom(u.unit);
  let url: string | undefined;
  try {
    const p = new URL(String(u.url ?? ''));
    url = p.protocol === 'https:' || p.protocol === 'http:' ? p.href.slice(0, 2048) : undefined;
  } catch {
    url = undefined;
  }
  return {
    key: u.key,
    text: u.text.slice(0, 100_000),
    ...(typeof u.title === 'string' ? { title: u.title.slice(0, 500) } : {}),
    links: strings(u.links, 50, 2048),
    bylines: strings(u.bylines, 10, 300),
    ...(url ? { url } : {}),
    ...(unit ? { unit } : {}),
  };
}

/** A content script's page as the background takes it: the browser's address, bounded fields. */
function pageFrom(data: PagePayload, sender: SenderContext): PagePayload {
  const unit = unitFrom(data?.unit);
  if (typeof data?.text !== 'string') throw new Error('scan: no text');
  return {
    url: sender.url!,
    title: typeof data.title === 'string' ? data.title.slice(0, 500) : '',
    text: data.text.slice(0, 2_000_000),
    canonical: typeof data.canonical === 'string' ? data.canonical.slice(0, 2048) : undefined,
    links: strings(data.links, 200, 2048),
    bylines: strings(data.bylines, 20, 300),
    metaBylines: strings(data.metaBylines, 10, 300),
    hiddenLinks: strings(data.hiddenLinks, 50, 2048),
    hiddenText: strings(data.hiddenText, 20, 300),
    platform: platformFrom(data.platform),
    ...(unit ? { unit } : {}),
  };
}

export default defineBackground(() => {
  // Chromium can keep storage.local from content scripts too (settings, history, feeds): only extension
  // pages and this worker read it then. Browsers without it keep the default; the token is elsewhere anyway.
  void (browser.storage.local as unknown as { setAccessLevel?: (o: { accessLevel: string }) => Promise<void> })
    .setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' })
    ?.catch(() => undefined);
  // The index and the reader's choices are opened as the worker starts, not when the first page asks:
  // a stopped worker is woken by the tab's navigation (tabs.onUpdated) well before the page's
  // content script sends its text, so the first badge after a restart does not wait for them.
  void warmUp().catch(() => undefined);
  // Alarms may be lost (browser restart, update): re-create them at every start.
  void scheduler.ensureAlarms().catch(() => undefined);
  void scheduler.resumeInterrupted().catch(() => undefined);
  browser.alarms.onAlarm.addListener((alarm) => void scheduler.onAlarm(alarm.name));
  startReports();
  // "Marks on links" turned off or on in options: open pages follow at once.
  watchLinkMarksSetting();
  // The collection token leaves storage.local (readable by content scripts) for the extension's IndexedDB.
  void migrateSendingSettings();

  // The badge's requests for a confirmation or the report form (one page per source tab at a time).
  const requestsItem = storage.defineItem<Record<string, PendingRequest>>('session:badgeRequests', { fallback: {} });
  const confirmations = new Confirmations({
    load: () => requestsItem.getValue(),
    save: (all) => requestsItem.setValue(all),
    open: async (req) => {
      const source = await browser.tabs.get(req.tabId).catch(() => undefined);
      const path =
        req.action === 'report'
          ? `/report.html?${new URLSearchParams(reportFormQuery({ url: req.url, title: req.title, tabId: req.tabId, unit: req.unit }) ?? {}).toString()}`
          : `/confirm.html?id=${encodeURIComponent(req.id)}`;
      const tab = await browser.tabs.create({
        url: browser.runtime.getURL(path as '/confirm.html'),
        ...(source ? { index: source.index + 1, windowId: source.windowId, openerTabId: req.tabId } : {}),
      });
      return tab.id;
    },
    focus: async (tabId) => {
      try {
        const tab = await browser.tabs.update(tabId, { active: true });
        if (tab?.windowId !== undefined) await browser.windows?.update(tab.windowId, { focused: true }).catch(() => undefined);
        return !!tab;
      } catch {
        return false;
      }
    },
    now: () => Date.now(),
    newId: () => crypto.randomUUID(),
  });
  browser.tabs.onRemoved.addListener((tabId) => {
    tabResults.delete(tabId);
    unitResults.delete(tabId);
    void confirmations.closed(tabId);
  });
  const lastOriginalOpen = new Map<number, number>();
  // The platform script injected into a tab (the generic script asked for it): at most once per page load.
  const platformInjected = new Map<number, string>();
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.status === 'loading') platformInjected.delete(tabId);
  });
  browser.tabs.onRemoved.addListener((tabId) => platformInjected.delete(tabId));

  const handlers: Handlers = {
    scan: async (page, sender) => {
      const result = await scanForTab(pageFrom(page, sender), sender.tabId);
      return { ...result, lang: resolveLang((await scanSettings()).language) };
    },
    'scan-units': async (data, sender) => {
      const units = (Array.isArray(data?.units) ? data.units : []).slice(0, UNIT_BATCH).map(unitPayloadFrom).filter((u): u is UnitPayload => !!u);
      const page = { url: sender.url!, title: typeof data?.title === 'string' ? data.title.slice(0, 500) : '', platform: platformFrom(data?.platform) };
      const results = await scanUnitsForTab(page, units, sender.tabId);
      return { results, lang: resolveLang((await scanSettings()).language) };
    },
    'badge-action': async ({ action, unit }, sender) => {
      if (!BADGE_ACTIONS.has(action)) throw new Error('unknown action');
      const tabId = sender.tabId!;
      const key = typeof unit === 'string' ? unit : undefined;
      // What the request is about comes from this tab's own result (or its post's), never from the page.
      const result = resultFor(tabId, key);
      if (!result || result.verdict === 'none' || result.hidden) throw new Error('no badge in this tab');
      let host = '';
      try {
        host = new URL(result.url).hostname;
      } catch {
        /* no host */
      }
      const site = normaliseSite(host);
      if (action === 'hide-site' && !site) throw new Error('no site to hide');
      if (action === 'not-a-copy' && !result.original) throw new Error('no original');
      const outcome = await confirmations.request({
        action,
        tabId,
        url: result.url,
        title: result.title,
        site,
        originalId: result.original?.id,
        originalTitle: result.original?.title,
        outlet: result.outlet?.names.en ?? result.outlet?.id,
        ...(key !== undefined ? { unit: key } : {}),
      });
      return { opened: outcome.opened };
    },
    'open-original': async (data, sender) => {
      const tabId = sender.tabId!;
      const href = httpsOnly(resultFor(tabId, typeof data?.unit === 'string' ? data.unit : undefined)?.original?.url);
      if (!href) throw new Error('no original to open');
      // One tab per click, and not twice within a second.
      const now = Date.now();
      if (now - (lastOriginalOpen.get(tabId) ?? 0) < 1000) return;
      lastOriginalOpen.set(tabId, now);
      const source = await browser.tabs.get(tabId).catch(() => undefined);
      await browser.tabs.create({ url: href, ...(source ? { index: source.index + 1, windowId: source.windowId, openerTabId: tabId } : {}) });
    },
    'badge-hidden': async ({ how }, sender) => {
      const r = tabResults.get(sender.tabId!);
      // Removing the badge is the stronger finding: a removed badge also stops being visible, which the watch
      // may report after it ("covered"); that must not replace what the page did.
      if (r && HIDDEN_HOW.has(how) && r.hiddenByPage !== 'removed') tabResults.set(sender.tabId!, { ...r, hiddenByPage: how });
    },
    'platform-script': async (_data, sender) => {
      // Only the sender's own tab, its top frame, one fixed file of the extension; never twice for one page.
      const tabId = sender.tabId!;
      if (platformInjected.has(tabId)) return false;
      platformInjected.set(tabId, sender.url ?? '');
      try {
        await browser.scripting.executeScript({ target: { tabId, frameIds: [0] }, files: ['/content-scripts/platform.js'] });
        return true;
      } catch {
        // No host permission for this site (only loopback is granted, and https sites the reader allowed for reports): read as a generic page.
        return false;
      }
    },
    'link-marks': async (data) => lookUpLinks(strings(data?.urls, 100, 2048), reportsDb),
    'confirm-info': async ({ id }) => {
      const r = await confirmations.get(String(id));
      return r ? { action: r.action, url: r.url, title: r.title, site: r.site, originalTitle: r.originalTitle, outlet: r.outlet } : null;
    },
    'confirm-apply': async ({ id }, sender) => {
      const r = await confirmations.take(String(id), sender.tabId);
      if (!r) throw new Error('This request is no longer open: ask again from the badge.');
      if (r.action === 'hide-site' && r.site) {
        const list = await hiddenSitesItem.getValue();
        // The scan service watches this item and drops its cached results.
        if (!list.includes(r.site)) await hiddenSitesItem.setValue([...list, r.site]);
      } else if (r.action === 'not-a-copy' && r.originalId) {
        const list = await dismissedItem.getValue();
        const key = dismissalKey(r.url, r.originalId);
        if (!list.includes(key)) await dismissedItem.setValue([...list, key]);
      }
      // The page scans again (and its badge goes); the reader is taken back to it.
      await browser.tabs.sendMessage(r.tabId, { type: 'rescan' }).catch(() => undefined);
      await browser.tabs.update(r.tabId, { active: true }).catch(() => undefined);
    },
    'index-status': () => indexStatus(),
    'outlet-names': async ({ ids }) => outletNames(ids),
    'search-originals': ({ query, lang }) => searchForPopup(query, lang),
    'tab-units': async ({ tabId }) => judgedUnits(Number(tabId)),
    'tab-result': async ({ tabId, unit }) => resultFor(tabId, typeof unit === 'string' ? unit : undefined) ?? null,
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
      const { active, phases } = await importFromBase(base);
      clearCache();
      return { header: active.segments[0]!.header, phases };
    };
    // The search's own time in the background (no messaging), for each query given (the bench sends every prefix of what it typed).
    (handlers as unknown as Record<string, (d: { queries: string[] }) => Promise<unknown>>)['bench-search-times'] = async ({ queries }) => {
      const times: number[] = [];
      for (const q of queries) {
        const t = performance.now();
        await searchForPopup(q);
        times.push(performance.now() - t);
      }
      return times;
    };
    // Stored bytes of every table of the index store, per tier (reads the whole database).
    (handlers as unknown as Record<string, () => Promise<unknown>>)['bench-stored-bytes'] = async () => {
      const [{ indexDb }, { storedBytes }] = await Promise.all([import('@/lib/background/index-service'), import('@/lib/store/stored-bytes')]);
      return storedBytes(indexDb());
    };
    // The search term table's size as stored values (keys, terms, doc lists), and its rows.
    (handlers as unknown as Record<string, () => Promise<unknown>>)['bench-search-bytes'] = async () => {
      const { indexDb } = await import('@/lib/background/index-service');
      let bytes = 0;
      let rows = 0;
      await indexDb().search.each((r) => {
        rows++;
        bytes += r.key.length + r.terms.reduce((n, t) => n + t.length, 0) + r.ends.byteLength + r.docs.byteLength;
      });
      return { bytes, rows };
    };
  }

  const own = new URL(browser.runtime.getURL('/'));
  const extensionOrigin = `${own.protocol}//${own.host}`;
  browser.runtime.onMessage.addListener((message: Message, sender, sendResponse) => {
    const type = typeof message?.type === 'string' ? message.type : '';
    const handler = Object.hasOwn(handlers, type) ? (handlers[type as keyof Handlers] as (d: unknown, s: SenderContext) => Promise<unknown>) : undefined;
    if (!handler) return false;
    const kind = senderKind(sender, browser.runtime.id, extensionOrigin);
    if (!kind || !allowed(type, kind)) {
      sendResponse({ ok: false, error: `${type}: not allowed from this context` });
      return false;
    }
    handler(message.data, { kind, tabId: sender.tab?.id, url: sender.url }).then(
      (value) => sendResponse({ ok: true, value }),
      (e: Error) => sendResponse({ ok: false, error: e.message }),
    );
    return true; // answer asynchronously
  });
});
