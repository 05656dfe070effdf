/**
 * The popup's recent detections name their outlets through the background (`outlet-names`,
 * lib/background/index-service.ts): the bundled registry with the installed feeds' outlets, read
 * from the index's state; the popup itself opens no database. WXT's browser API is not needed here.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';

vi.mock('#imports', () => ({ browser: { runtime: { getURL: (p: string) => `chrome-extension://test${p}` } } }));

const { indexDb, outletNames } = await import('../../lib/background/index-service');

describe('outlet names for the popup', () => {
  it('names bundled outlets and a feed’s own outlets; unknown ids and bad input are left out', async () => {
    // An install whose one feed describes an outlet the bundled registry does not know.
    await indexDb().state.put({
      key: 'active',
      params: { k: 8, w: 16 },
      segments: [],
      sources: {
        'https://feeds.example/a': {
          id: 'https://feeds.example/a',
          created: '2026-11-01T00:00:00Z',
          installedAt: '2026-11-02T00:00:00Z',
          registry: { version: 1, outlets: [{ id: 'harbour-daily', names: { en: 'Harbour Daily', 'zh-Hans': '港湾日报' }, aliases: [], abbreviations: [], domains: ['harbour-daily.example'], partners: [] }] },
        },
      },
      nextGen: 1,
      nextDoc: 0,
      originals: 0,
      outlets: 1,
      installedAt: '2026-11-02T00:00:00Z',
    } as never);
    const names = await outletNames(['global-times', 'harbour-daily', 'no-such-outlet', 7, 'harbour-daily']);
    expect(names['global-times']?.en).toBe('Global Times');
    expect(names['harbour-daily']).toEqual({ en: 'Harbour Daily', 'zh-Hans': '港湾日报' });
    expect(Object.keys(names).sort()).toEqual(['global-times', 'harbour-daily']);
    expect(await outletNames('global-times')).toEqual({});
  });
});
