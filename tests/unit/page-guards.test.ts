/**
 * The background's guards against the page: which sender may send which
 * message (lib/background/message-policy.ts), the badge's requests for a
 * confirmation page, one per tab at a time (lib/background/confirmations.ts),
 * and the collection token's move out of storage.local (lib/reports/secret-store.ts).
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { Confirmations, REQUEST_TTL_MS, type PendingRequest } from '../../lib/background/confirmations';
import { allowed, CONTENT_MESSAGES, senderKind } from '../../lib/background/message-policy';
import { migrateLegacy, readSending, SecretsDb, writeSending } from '../../lib/reports/secret-store';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}`;

describe('message policy', () => {
  const page = { id: ID, url: 'https://news.test/a', origin: 'https://news.test', frameId: 0, tab: { id: 7 } };
  it('tells content scripts from extension pages by what the browser reports', () => {
    expect(senderKind(page, ID, ORIGIN)).toBe('content');
    expect(senderKind({ id: ID, url: `${ORIGIN}/popup.html`, origin: ORIGIN }, ID, ORIGIN)).toBe('extension');
    expect(senderKind({ id: ID, url: `${ORIGIN}/report.html?x=1`, origin: ORIGIN, tab: { id: 3 } }, ID, `${ORIGIN}/`)).toBe('extension');
  });
  it('refuses other extensions, subframes, senders without a tab or address, and origins that disagree', () => {
    expect(senderKind({ ...page, id: 'other' }, ID, ORIGIN)).toBeUndefined();
    expect(senderKind({ ...page, frameId: 2 }, ID, ORIGIN)).toBeUndefined();
    expect(senderKind({ ...page, tab: undefined }, ID, ORIGIN)).toBeUndefined();
    expect(senderKind({ ...page, url: undefined }, ID, ORIGIN)).toBeUndefined();
    expect(senderKind({ ...page, origin: 'https://evil.test' }, ID, ORIGIN)).toBeUndefined();
    expect(senderKind({ ...page, url: 'file:///etc/passwd', origin: undefined }, ID, ORIGIN)).toBeUndefined();
    expect(senderKind({ id: ID, url: `chrome-extension://${'z'.repeat(32)}/popup.html` }, ID, ORIGIN)).toBeUndefined();
  });
  it('gives content scripts only what the badge needs, and extension pages the rest', () => {
    expect([...CONTENT_MESSAGES].sort()).toEqual(['badge-action', 'badge-hidden', 'link-marks', 'open-original', 'platform-script', 'scan', 'scan-units']);
    for (const t of ['feed-add', 'feed-remove', 'clear-history', 'tab-result', 'tab-units', 'report-save', 'report-open', 'outbox-run', 'confirm-apply', 'confirm-info', 'feeds-sync', 'index-status', 'outlet-names'])
      expect([t, allowed(t, 'content')]).toEqual([t, false]);
    for (const t of ['scan', 'scan-units', 'badge-action', 'open-original', 'badge-hidden', 'platform-script', 'link-marks']) {
      expect(allowed(t, 'content')).toBe(true);
      expect(allowed(t, 'extension')).toBe(false);
    }
    expect(allowed('feed-add', 'extension')).toBe(true);
    expect(allowed('confirm-apply', 'extension')).toBe(true);
  });
});

function fakeTabs() {
  let store: Record<string, PendingRequest> = {};
  const open = new Set<number>();
  let nextTab = 100;
  let clock = 1_000_000;
  let n = 0;
  const opened: PendingRequest[] = [];
  const c = new Confirmations({
    load: async () => structuredClone(store),
    save: async (all) => void (store = structuredClone(all)),
    open: async (req) => {
      opened.push(req);
      const id = nextTab++;
      open.add(id);
      return id;
    },
    focus: async (tabId) => open.has(tabId),
    now: () => clock,
    newId: () => `req-${++n}`,
  });
  return { c, opened, open, tick: (ms: number) => void (clock += ms), store: () => store };
}

const ask = { action: 'hide-site' as const, tabId: 7, url: 'https://news.test/a', title: 'A', site: 'news.test' };

describe('confirmations', () => {
  it('opens one page per source tab at a time, however often the badge asks', async () => {
    const { c, opened } = fakeTabs();
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => c.request(ask)));
    expect(outcomes.filter((o) => o.opened)).toHaveLength(1);
    expect(opened).toHaveLength(1);
    // Another tab has its own.
    expect((await c.request({ ...ask, tabId: 8 })).opened).toBe(true);
    expect(opened).toHaveLength(2);
  });
  it('opens a new page once the old one was closed', async () => {
    const { c, opened, open } = fakeTabs();
    await c.request(ask);
    open.clear(); // the reader closed the confirmation tab
    expect((await c.request(ask)).opened).toBe(true);
    expect(opened).toHaveLength(2);
  });
  it('is answered only by the page opened for it, once, and not after it expired', async () => {
    const { c, tick } = fakeTabs();
    const first = await c.request(ask);
    if (!first.opened) throw new Error('not opened');
    expect(await c.take(first.id, 999)).toBeUndefined(); // another tab
    expect(await c.take(first.id, undefined)).toBeUndefined(); // the popup
    expect((await c.take(first.id, 100))?.site).toBe('news.test');
    expect(await c.take(first.id, 100)).toBeUndefined(); // only once
    const second = await c.request({ ...ask, tabId: 9 });
    tick(REQUEST_TTL_MS + 1);
    expect(second.opened && (await c.get(second.id))).toBeFalsy();
  });
  it('forgets a request when its source tab or its page closes', async () => {
    const { c, store } = fakeTabs();
    await c.request(ask);
    await c.closed(7);
    expect(Object.keys(store())).toEqual([]);
  });
});

describe('secret store', () => {
  it('moves the token from the old storage.local item once, and removes the old copy', async () => {
    const db = new SecretsDb(`secrets-${Math.random()}`);
    let legacy: { endpoint: string; token: string } | null = { endpoint: 'https://collect.test', token: 't0k3n' };
    const source = { get: async () => legacy, remove: async () => void (legacy = null) };
    expect(await migrateLegacy(db, source)).toBe(true);
    expect(legacy).toBeNull();
    expect(await readSending(db)).toEqual({ endpoint: 'https://collect.test', token: 't0k3n' });
    expect(await migrateLegacy(db, source)).toBe(false);
    // A value already in the database is newer: an old copy found later does not replace it.
    await writeSending(db, { endpoint: 'https://new.test', token: 'new' });
    legacy = { endpoint: 'https://old.test', token: 'old' };
    await migrateLegacy(db, source);
    expect(await readSending(db)).toEqual({ endpoint: 'https://new.test', token: 'new' });
    await writeSending(db, null);
    expect(await readSending(db)).toBeNull();
    db.close();
  });
});
