/**
 * Scans a page for the content script: one read transaction per page, results
 * cached per URL and text hash, reader's dismissals and hidden sites applied,
 * the toolbar icon set for the tab, recent detections recorded.
 */
import { browser } from '#imports';
import { toBadgeInfo, type BadgeInfo } from '../badge-info';
import { registryFor } from '../registry-bundled';
import { thresholdsFor, type Thresholds } from '../match/judge';
import { scanCountingLapses } from '../feed/lapse';
import { scanPage } from '../scan-page';
import type { OutOfDateMatch, PagePayload, TabResult, UnitPayload } from '../messages';
import { dismissedItem, hiddenSitesItem, historyItem, HISTORY_LIMIT, readSettings, settingsItem, type Settings } from '../settings';
import { dismissalKey, siteAllowed } from '../site-rules';
import { resolveLang } from '../i18n';
import type { Dictionary } from '../translate/dictionary';
import { translationLabels } from '../translate/badge-text';
import type { DexieIndexReader } from '../store/index-db';
import { indexDb, openIndex, packagedIndex, whenIndexChanged } from './index-service';
import { dictionary, loadedDictionary } from './translate-service';

type Result = BadgeInfo & { hidden?: boolean; outOfDate?: OutOfDateMatch };
const cache = new Map<string, Result>();
const CACHE_LIMIT = 256;
/** The last result per tab, for the popup, the report form and the badge's requests. */
export const tabResults = new Map<number, TabResult>();

function textHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return `${s.length}:${(h >>> 0).toString(36)}`;
}

export function clearCache(): void {
  cache.clear();
}
// The bundled index imported again (an update corrected it): cached answers may be out of date.
whenIndexChanged(clearCache);

/** Settings, hidden sites and dismissals, read once and refreshed when they change. */
let choices: Promise<{ settings: Settings; hidden: string[]; dismissed: string[] }> | undefined;
function readChoices() {
  choices ??= Promise.all([readSettings(), hiddenSitesItem.getValue(), dismissedItem.getValue()]).then(([settings, hidden, dismissed]) => ({
    settings,
    hidden,
    dismissed,
  }));
  return choices;
}
for (const item of [settingsItem, hiddenSitesItem, dismissedItem] as const)
  (item as { watch: (cb: () => void) => void }).watch(() => {
    choices = undefined;
    cache.clear();
  });

/**
 * The reader's settings as the scans read them: read once and kept until they change (the scan's
 * answer names its language from them without another storage read queued behind the toolbar's
 * and the history's writes).
 */
export async function scanSettings(): Promise<Settings> {
  return (await readChoices()).settings;
}

/**
 * Warms the scan as the worker starts: the store is opened (its state read, its membership filters
 * start loading) and, meanwhile, one of the package's bundled originals is judged as a page against
 * the bundled index in memory, by the same matching code as a page, its answer thrown away (no
 * cache, no tab, no toolbar, no history). A stopped worker is woken by the tab's navigation well
 * before the page's text arrives; without this the first page after a restart ran the matching
 * code cold, in the interpreter (90–250 ms on this machine's bench instead of about 20). The
 * warm-up reads nothing from the store: the page's own reads, not the warm-up's, come first there.
 */
export async function warmUp(): Promise<void> {
  const [, { settings }, index] = await Promise.all([openIndex(), readChoices(), packagedIndex()]);
  const text = index.texts.find((t) => t && t.length > 500);
  if (!text) return;
  const page: PagePayload = { url: 'https://warm-up.invalid/', title: '', text: text.slice(0, 2000), links: [], bylines: [], platform: 'other' };
  const registry = registryFor(undefined);
  const scan = await scanPage(page, index, registry, { thresholds: thresholdsFor(settings.sensitivity) });
  toBadgeInfo(scan, page.text, registry, text);
}

/**
 * A page's verdict as the badge shows it, in one read transaction of the store (nothing but the
 * store is awaited inside it). A finding that rests only on a lapsed feed's original makes no
 * uncredited copy on its own (lib/feed/lapse.ts); the translation tier (with `dict`, when the index
 * carries it) runs when the other tiers find nothing.
 */
function judgeInStore(page: PagePayload, reader: DexieIndexReader, thresholds: Thresholds, dict: Dictionary | undefined): Promise<Result> {
  const db = indexDb();
  const registry = registryFor(reader.state);
  return db.transaction('r', [db.buckets, db.filters, db.metaBlocks, db.texts], async () => {
    const v = await scanCountingLapses(page, reader, registry, thresholds, Date.now(), dict ? { dict } : undefined);
    const doc = v.finding?.candidate.original.doc;
    const originalText = doc === undefined ? undefined : await reader.text(doc);
    const info: Result = toBadgeInfo(v, page.text, registry, originalText);
    if (v.setAside) {
      const o = v.setAside.finding.candidate.original;
      info.outOfDate = { feed: v.setAside.feed, ...(v.setAside.title ? { title: v.setAside.title } : {}), why: v.setAside.lapse.why, since: v.setAside.lapse.since, originalId: o.id, outlet: o.outlet };
    }
    return info;
  });
}

/** The answer on a site the reader hid (or does not run on): no badge, nothing kept for the tab. */
const SITE_HIDDEN: Result = Object.freeze({ verdict: 'none', confidence: 0, passages: [], hidden: true }) as Result;

/** A page's (or a post's) verdict with the reader's choices applied: cached, dismissals and hidden sites honoured. */
async function judgeForReader(page: PagePayload): Promise<Result> {
  const { settings, hidden, dismissed } = await readChoices();
  let host = '';
  try {
    host = new URL(page.url).hostname;
  } catch {
    /* no host */
  }
  if (!siteAllowed(host, settings.siteMode, settings.sites, hidden)) return SITE_HIDDEN;
  // The names and links shown with the text count too: two posts of one timeline may share a text but not an account.
  const key = `${settings.sensitivity}\n${page.url}\n${textHash(page.text)}\n${textHash([...page.bylines, ...page.links].join('\n'))}`;
  let result = cache.get(key);
  if (!result) {
    const reader = await openIndex();
    const thresholds = thresholdsFor(settings.sensitivity);
    const scan = (dict: Dictionary | undefined) => judgeInStore(page, reader, thresholds, dict);
    const loaded = reader.translate ? loadedDictionary() : undefined;
    result = await scan(loaded);
    // The dictionary loads once per worker life, when a page first found nothing in the other tiers;
    // such a page is then scanned again with the tier (outside the first transaction, which a fetch would end).
    if (reader.translate && !loaded && result.verdict === 'none') {
      const dict = await dictionary();
      if (dict) result = await scan(dict);
    }
    if (result.reuse === 'translated') result = { ...result, labels: translationLabels(result, resolveLang(settings.language)) };
    cache.set(key, result);
    if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  }
  if (result.original && dismissed.includes(dismissalKey(page.url, result.original.id))) result = { ...result, verdict: 'none', hidden: true };
  return result;
}

export async function scanForTab(page: PagePayload, tabId: number | undefined): Promise<Result> {
  const result = await judgeForReader(page);
  if (result === SITE_HIDDEN) {
    void showOnToolbar(tabId, result);
    return result;
  }
  if (tabId !== undefined) {
    tabResults.set(tabId, { ...result, url: page.url, title: page.title, ...(page.unit ? { unit: page.unit } : {}), platform: page.platform });
    unitResults.delete(tabId);
  }
  // The page gets its answer now; the toolbar and the history are updated after.
  const shown = result;
  void showOnToolbar(tabId, shown);
  if (shown.verdict !== 'none' && shown.original) historyWrites = historyWrites.then(() => remember(page, shown)).catch(() => undefined);
  return result;
}

/** A timeline page's posts in a tab: their results by the content script's key, for the badge's actions and the report form. */
interface TabUnits {
  url: string;
  units: Map<string, TabResult>;
}
export const unitResults = new Map<number, TabUnits>();
/** The most posts of one page whose results a tab keeps (the oldest go first). */
const UNITS_PER_TAB = 1000;

/**
 * Scans posts of a timeline page, each on its own (the same path as a page:
 * cache, reader's choices, one read transaction per post). The tab keeps each
 * post's result; the toolbar shows the most serious verdict among them.
 */
export async function scanUnitsForTab(page: Omit<PagePayload, 'text' | 'links' | 'bylines'>, units: UnitPayload[], tabId: number | undefined): Promise<Array<{ key: string; result: Result }>> {
  const out: Array<{ key: string; result: Result }> = [];
  let tab = tabId === undefined ? undefined : unitResults.get(tabId);
  if (tabId !== undefined && (!tab || tab.url !== page.url)) {
    tab = { url: page.url, units: new Map() };
    unitResults.set(tabId, tab);
    tabResults.delete(tabId);
  }
  for (const u of units) {
    const payload: PagePayload = { ...page, text: u.text, links: u.links, bylines: u.bylines, ...(u.unit ? { unit: u.unit } : {}) };
    const result = await judgeForReader(payload);
    out.push({ key: u.key, result });
    if (tab) {
      tab.units.set(u.key, { ...result, url: page.url, title: u.title || page.title, ...(u.unit ? { unit: u.unit } : {}), platform: page.platform });
      if (tab.units.size > UNITS_PER_TAB) tab.units.delete(tab.units.keys().next().value!);
    }
    if (result.verdict !== 'none' && result.original && !result.hidden) {
      const where = { ...payload, url: u.url ?? page.url, title: u.title || page.title };
      historyWrites = historyWrites.then(() => remember(where, result)).catch(() => undefined);
    }
  }
  if (tab) void showOnToolbar(tabId, mostSerious([...tab.units.values()]));
  return out;
}

const SERIOUSNESS = ['none', 'credited', 'partial', 'uncredited'];
/** The most serious of several results (an uncredited copy before a partial one before credited reuse). */
export function mostSerious<T extends Result>(results: T[]): Result {
  let best: Result = { verdict: 'none', confidence: 0, passages: [] };
  for (const r of results) {
    if (r.hidden || r.credit?.kind === 'own-site') continue;
    if (SERIOUSNESS.indexOf(r.verdict) > SERIOUSNESS.indexOf(best.verdict)) best = r;
  }
  return best;
}

/** A tab's result: the page's, or (with a key) one post's of its timeline. */
/** A timeline page's posts that the badge lists (a verdict, not hidden, not the outlet's own site), in the order the page showed them (u1, u2, …). */
export function judgedUnits(tabId: number): TabResult[] {
  const units = [...(unitResults.get(tabId)?.units.entries() ?? [])];
  return units
    .filter(([, r]) => r.verdict !== 'none' && !r.hidden && r.credit?.kind !== 'own-site' && !!r.original)
    .sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)))
    .map(([, r]) => r);
}

export function resultFor(tabId: number, unit?: string): TabResult | undefined {
  return unit === undefined ? tabResults.get(tabId) : unitResults.get(tabId)?.units.get(unit);
}

/** History writes, one after another (each reads and rewrites the list). */
let historyWrites: Promise<void> = Promise.resolve();

async function remember(page: PagePayload, r: Result): Promise<void> {
  const list = await historyItem.getValue();
  const entry = {
    url: page.url,
    title: page.title.slice(0, 300),
    verdict: r.verdict,
    outlet: r.outlet!.id,
    originalTitle: r.original!.title,
    originalUrl: r.original!.url,
    at: new Date().toISOString(),
  };
  const rest = list.filter((d) => !(d.url === entry.url && d.originalUrl === entry.originalUrl));
  await historyItem.setValue([entry, ...rest].slice(0, HISTORY_LIMIT));
}

const COLOURS: Record<string, string> = { uncredited: '#c62828', partial: '#ef6c00', credited: '#607d8b' };
const TEXTS: Record<string, string> = { uncredited: '!', partial: '~', credited: '✓' };

async function showOnToolbar(tabId: number | undefined, r: Result): Promise<void> {
  if (tabId === undefined) return;
  const action = browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
  try {
    const shown = r.hidden || r.credit?.kind === 'own-site' ? 'none' : r.verdict;
    await action.setBadgeText({ tabId, text: TEXTS[shown] ?? '' });
    if (COLOURS[shown]) await action.setBadgeBackgroundColor({ tabId, color: COLOURS[shown]! });
  } catch {
    /* the tab may have closed */
  }
}
