/**
 * The reader's "Marks on links" setting (lib/settings.ts): on by default, also
 * for settings stored (or exported) before it existed; off, the background
 * answers no link lookup (and reads nothing of the index) and tells every open
 * tab at once (lib/background/link-service.ts). WXT's storage and the browser
 * are replaced by an in-memory store and a recording `tabs` here.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const store = vi.hoisted(() => {
  const values = new Map<string, unknown>();
  const watchers = new Map<string, Array<(next: unknown, previous: unknown) => void>>();
  const sent: Array<{ tabId: number; message: unknown }> = [];
  return { values, watchers, sent };
});

vi.mock('#imports', () => ({
  storage: {
    defineItem: <T,>(key: string, options: { fallback: T }) => ({
      getValue: async () => (store.values.has(key) ? store.values.get(key) : options.fallback) as T,
      setValue: async (next: T) => {
        const previous = store.values.has(key) ? store.values.get(key) : options.fallback;
        store.values.set(key, next);
        for (const w of store.watchers.get(key) ?? []) w(next, previous);
      },
      watch: (cb: (next: unknown, previous: unknown) => void) => {
        store.watchers.set(key, [...(store.watchers.get(key) ?? []), cb]);
        return () => undefined;
      },
    }),
  },
  browser: {
    tabs: {
      query: async () => [{ id: 1 }, { id: 2 }, {}],
      sendMessage: async (tabId: number, message: unknown) => {
        store.sent.push({ tabId, message });
        // A tab without the content script refuses the message: the others still get it.
        if (tabId === 2) throw new Error('Could not establish connection. Receiving end does not exist.');
      },
    },
  },
}));

// Turned off, the lookup must not open the index: these throw if it does.
vi.mock('../../lib/background/index-service', () => ({
  openIndex: () => Promise.reject(new Error('the index was opened')),
  indexDb: () => {
    throw new Error('the index was read');
  },
}));

const { DEFAULT_SETTINGS, linkMarksOn, readSettings, settingsItem } = await import('../../lib/settings');
const { exportSettings, parseSettingsExport } = await import('../../lib/settings-io');
const { lookUpLinks, watchLinkMarksSetting } = await import('../../lib/background/link-service');

const reports = () => {
  throw new Error('the reports were read');
};

beforeEach(() => {
  store.values.clear();
  store.watchers.clear();
  store.sent.length = 0;
});

describe('"Marks on links" setting', () => {
  it('is on by default, and for settings stored before it existed', async () => {
    expect(DEFAULT_SETTINGS.linkMarks).toBe(true);
    expect((await readSettings()).linkMarks).toBe(true);
    // An older version stored its settings without the field.
    store.values.set('local:settings', { sensitivity: 'high', siteMode: 'all', sites: [], language: 'zh-Hans', onDeviceTranslator: false });
    expect(await readSettings()).toMatchObject({ sensitivity: 'high', language: 'zh-Hans', linkMarks: true });
    await settingsItem.setValue({ ...(await readSettings()), linkMarks: false });
    expect(await readSettings()).toMatchObject({ sensitivity: 'high', linkMarks: false });
    expect([linkMarksOn(null), linkMarksOn({}), linkMarksOn({ linkMarks: true }), linkMarksOn({ linkMarks: false })]).toEqual([true, true, true, false]);
  });

  it('survives export and import; an export from before it, or a value that is not false, imports as on', () => {
    const off = parseSettingsExport(exportSettings({ ...DEFAULT_SETTINGS, linkMarks: false }, []));
    expect(off.settings.linkMarks).toBe(false);
    expect(parseSettingsExport(exportSettings(DEFAULT_SETTINGS, [])).settings.linkMarks).toBe(true);
    const old = JSON.stringify({ format: 'provenance-settings', version: 1, settings: { sensitivity: 'low' }, hiddenSites: [] });
    expect(parseSettingsExport(old).settings).toMatchObject({ sensitivity: 'low', linkMarks: true });
    const odd = JSON.stringify({ format: 'provenance-settings', version: 1, settings: { linkMarks: 'false' }, hiddenSites: [] });
    expect(parseSettingsExport(odd).settings.linkMarks).toBe(true);
  });

  it('off: the background answers no link lookup and reads neither the index nor the reports', async () => {
    store.values.set('local:settings', { ...DEFAULT_SETTINGS, linkMarks: false });
    await expect(lookUpLinks(['https://www.globaltimes.cn/page/202607/1.shtml', 'https://copy.example/a'], reports)).resolves.toEqual({ marks: [], off: true });
    // On, the same call goes on to the index (here: refused by the stand-in, which proves it was asked).
    store.values.set('local:settings', { ...DEFAULT_SETTINGS, linkMarks: true });
    await expect(lookUpLinks(['https://copy.example/a'], reports)).rejects.toThrow(/index was opened/);
  });

  it('tells every open tab when it is turned off or on, and nothing when another setting changes', async () => {
    watchLinkMarksSetting();
    const flush = () => new Promise((r) => setTimeout(r, 0));
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, language: 'en' });
    await flush();
    expect(store.sent).toEqual([]);
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, language: 'en', linkMarks: false });
    await flush();
    expect(store.sent).toEqual([
      { tabId: 1, message: { type: 'link-marks-setting', on: false } },
      { tabId: 2, message: { type: 'link-marks-setting', on: false } },
    ]);
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, sensitivity: 'high', linkMarks: false });
    await flush();
    expect(store.sent).toHaveLength(2);
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, linkMarks: true });
    await flush();
    expect(store.sent.slice(2)).toEqual([
      { tabId: 1, message: { type: 'link-marks-setting', on: true } },
      { tabId: 2, message: { type: 'link-marks-setting', on: true } },
    ]);
  });
});
