/**
 * The worker's warm-up (lib/background/scan-service.ts): as the worker starts it opens the store
 * and judges one of the package's bundled originals against the bundled index in memory, by the
 * page's matching code, reading nothing of the store (a restarted worker's first page must not
 * queue behind the warm-up's reads). WXT's storage and the index service are replaced here.
 */
import { describe, expect, it, vi } from 'vitest';
import { BUNDLED_INDEX } from '../../lib/cli/cli-support';
import { readIndexDir } from '../../lib/index/index-dir';

const seen = vi.hoisted(() => ({ lookups: 0, opened: 0 }));

vi.mock('#imports', () => ({
  storage: {
    defineItem: <T,>(_key: string, options: { fallback: T }) => ({
      getValue: async () => options.fallback,
      setValue: async () => undefined,
      watch: () => () => undefined,
    }),
  },
  browser: { runtime: { getURL: (p: string) => `chrome-extension://test${p}` }, action: {}, tabs: {} },
}));

vi.mock('../../lib/background/index-service', async () => {
  const mem = await readIndexDir((await import('../../lib/cli/cli-support')).BUNDLED_INDEX);
  const lookup = mem.lookup.bind(mem);
  mem.lookup = ((...args: Parameters<typeof mem.lookup>) => {
    seen.lookups++;
    return lookup(...args);
  }) as typeof mem.lookup;
  return {
    // The store's reader: any read of it fails the test.
    openIndex: async () => {
      seen.opened++;
      return new Proxy({}, { get: (_t, key) => (key === 'then' ? undefined : () => Promise.reject(new Error('the store was read'))) });
    },
    indexDb: () => {
      throw new Error('the store was read');
    },
    packagedIndex: async () => mem,
    whenIndexChanged: () => undefined,
  };
});

const { warmUp } = await import('../../lib/background/scan-service');

describe('the worker’s warm-up', () => {
  it('opens the store and scans a bundled original against the bundled index in memory, reading nothing of the store', async () => {
    expect((await readIndexDir(BUNDLED_INDEX)).texts.some((t) => (t?.length ?? 0) > 500)).toBe(true);
    await warmUp();
    expect(seen.opened).toBe(1);
    // The matching code ran (its lookups went to the index in memory).
    expect(seen.lookups).toBeGreaterThan(0);
  });
});
