/**
 * Link marks (issue 12 §3): which of a page's link targets are known, from
 * what this browser already holds — nothing leaves it. A target is
 *   - a known copy: a page this browser judged (recent detections) or the
 *     reader reported, with that verdict;
 *   - a known original: an original's address in the active index.
 * Addresses are compared normalised (linkKey). Originals are found by the
 * 32-bit hash of their address, the store's address tier (schema 8), each hit
 * checked against the original's stored address: no metadata block is read unless
 * a link's hash names it.
 * Links to sites the reader hid from the badge get no mark; with the reader's
 * "Marks on links" off, no link gets one and nothing is looked up.
 */
import { fnv1a, linkKey } from '../link-key';
import { registryFor } from '../registry-bundled';
import { outletName, t, resolveLang } from '../i18n';
import { browser } from '#imports';
import { hiddenSitesItem, historyItem, linkMarksOn, readSettings, settingsItem } from '../settings';
import { normaliseSite } from '../site-rules';
import type { ReportsDb } from '../store/reports-db';
import { docsByKey, IndexCorruptError, readOriginals } from '../store/index-db';
import { indexDb, openIndex } from './index-service';

/** The most link targets one message asks about. */
export const LINK_BATCH = 100;

export interface LinkMark {
  /** Index of the address in the request. */
  i: number;
  /** 'original', or the copy's verdict. */
  kind: 'original' | 'uncredited' | 'partial' | 'credited';
  /** What hovering the mark shows, in the reader's language. */
  line: string;
}

export async function lookUpLinks(urls: readonly string[], reports: () => ReportsDb): Promise<{ marks: LinkMark[]; off?: true }> {
  const settings = await readSettings();
  // The reader turned link marks off: nothing is looked up (the content script then stops asking).
  if (!linkMarksOn(settings)) return { marks: [], off: true };
  const lang = resolveLang(settings.language);
  const keys = urls.slice(0, LINK_BATCH).map((u) => (typeof u === 'string' ? linkKey(u) : undefined));
  const hidden = new Set(await hiddenSitesItem.getValue());
  const reader = await openIndex();
  const registry = registryFor(reader.state);
  const name = (id: string) => outletName(registry.get(id)?.names, lang, id);
  // Known copies: the reader's own detections and reports (newest first wins).
  const copies = new Map<string, { verdict: string; outlet: string }>();
  for (const d of await historyItem.getValue()) {
    const k = linkKey(d.url);
    if (k && !copies.has(k)) copies.set(k, { verdict: d.verdict, outlet: d.outlet });
  }
  for (const r of await reports().reports.toArray()) {
    const k = linkKey(r.url);
    if (k && !copies.has(k)) copies.set(k, { verdict: r.verdict, outlet: r.outlet });
  }
  // The active index's originals whose address hashes as one of the links' (the store's address tier).
  const removed = new Set(reader.state.segments.flatMap((x) => x.removed));
  const wanted = [...new Set(keys.filter((k): k is string => !!k).map(fnv1a))];
  const byKey = new Map<string, { outlet: string; title: string }>();
  if (wanted.length) {
    try {
      const hits = (await docsByKey(indexDb(), reader.state.segments, 'url', wanted)).filter((h) => !removed.has(h.doc));
      for (const meta of await readOriginals(indexDb(), hits.map((h) => [h.seg, h.doc] as const))) {
        const k = meta && linkKey(meta.url);
        if (k && !byKey.has(k)) byKey.set(k, { outlet: meta.outlet, title: meta.title });
      }
    } catch (e) {
      if (!(e instanceof IndexCorruptError)) throw e; // unreadable rows name nothing
    }
  }
  const marks: LinkMark[] = [];
  for (const [i, key] of keys.entries()) {
    if (!key) continue;
    const site = normaliseSite(new URL(`https://${key}`).hostname);
    if (site && hidden.has(site)) continue;
    const copy = copies.get(key);
    if (copy && (copy.verdict === 'uncredited' || copy.verdict === 'partial' || copy.verdict === 'credited')) {
      const k = copy.verdict === 'uncredited' ? 'markUncredited' : copy.verdict === 'partial' ? 'markPartial' : 'markCredited';
      marks.push({ i, kind: copy.verdict, line: t(lang, k, name(copy.outlet)) });
      continue;
    }
    const meta = byKey.get(key);
    if (meta) marks.push({ i, kind: 'original', line: t(lang, 'linkOriginal', name(meta.outlet), meta.title) });
  }
  return { marks };
}

/**
 * Tells every open tab's content script when the reader turns link marks off or on in options, so
 * that open pages drop their dots (or ask afresh) without a reload. The listener is registered at
 * the worker's start, so a change wakes it; tabs without our content script refuse the message.
 */
export function watchLinkMarksSetting(): void {
  settingsItem.watch((next, previous) => {
    const on = linkMarksOn(next);
    if (on === linkMarksOn(previous)) return;
    void browser.tabs.query({}).then((tabs) => {
      for (const tab of tabs) if (tab.id !== undefined) void browser.tabs.sendMessage(tab.id, { type: 'link-marks-setting', on }).catch(() => undefined);
    });
  });
}
