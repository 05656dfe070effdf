/**
 * Fingerprinting on worker threads (lib/index/feature-pool.ts): the features
 * are the main thread's own, in the order asked, whatever the threads' timing;
 * a failure in a thread fails the build with the reason instead of hanging.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BUILD } from '../../lib/index/build-index';
import { FeaturePipeline, FeaturePool } from '../../lib/index/feature-pool';
import { originalFeatures, type OriginalFeatures } from '../../lib/index/stream-build';
import type { OriginalInput } from '../../lib/index/types';
import { DICTIONARY_FILE, loadDictionary } from '../../lib/translate/load-dictionary';
import { syntheticOriginal } from '../support/synthetic-text';

const opts = { params: DEFAULT_BUILD.params, rewrite: DEFAULT_BUILD.rewrite };
const local = (text: string): OriginalFeatures => originalFeatures(text, { ...opts, translate: loadDictionary() });
let pool: FeaturePool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('feature pool', () => {
  it('gives each text the features the main thread computes, every tier, in order', async () => {
    pool = new FeaturePool(3, { ...opts, dictionary: DICTIONARY_FILE });
    const recs = Array.from({ length: 60 }, (_, i) => syntheticOriginal(i, 11));
    // Batches of different sizes, all in flight at once: they finish out of order across threads.
    const batches = [recs.slice(0, 25), recs.slice(25, 26), recs.slice(26, 60)];
    const got = (await Promise.all(batches.map((b) => pool!.features(b.map((r) => r.text))))).flat();
    expect(got).toHaveLength(60);
    for (let i = 0; i < recs.length; i++) {
      const want = local(recs[i]!.text);
      expect(got[i]!.sha).toBe(want.sha);
      expect(Array.from(got[i]!.distinct)).toEqual(Array.from(want.distinct));
      expect(Array.from(got[i]!.sketch!)).toEqual(Array.from(want.sketch!));
      expect(Array.from(got[i]!.wording!)).toEqual(Array.from(want.wording!));
      expect(Array.from(got[i]!.keys!)).toEqual(Array.from(want.keys!));
      expect([got[i]!.units, got[i]!.grams]).toEqual([want.units, want.grams]);
    }
    expect(recs.some((r) => r.lang.startsWith('zh')) && recs.some((r) => r.lang === 'en')).toBe(true);
  });

  it('without a dictionary, no translation keys', async () => {
    pool = new FeaturePool(1, opts);
    const [f] = await pool.features([syntheticOriginal(3).text]);
    expect(f!.keys).toBeUndefined();
    expect(f!.distinct.length).toBeGreaterThan(0);
  });

  it('the pipeline adds originals in the order they were pushed, each with its own features; threads only for more than `warm`', async () => {
    for (const [n, warm] of [[37, 5], [12, 20]] as const) {
      let made = 0;
      let local = 0;
      const added: Array<[string, string]> = [];
      const pipe = new FeaturePipeline<OriginalInput>(
        () => (made++, (pool = new FeaturePool(2, opts))),
        (text) => (local++, originalFeatures(text, opts)),
        (rec, f) => added.push([rec.id, f.sha]),
        { batchSize: 4, maxInFlight: 2, warm },
      );
      const recs = Array.from({ length: n }, (_, i) => syntheticOriginal(i, 5));
      for (const r of recs) await pipe.push(r);
      await pipe.finish();
      await pipe.close();
      expect(added.map((a) => a[0])).toEqual(recs.map((r) => r.id));
      expect(added.map((a) => a[1])).toEqual(recs.map((r) => originalFeatures(r.text, opts).sha));
      // More than warm: one pool, nothing here; at most warm: no thread started.
      expect([made, local]).toEqual(n > warm ? [1, 0] : [0, n]);
    }
  });

  it('a text a thread cannot fingerprint fails its batch with the reason, and the pool stays usable', async () => {
    pool = new FeaturePool(2, opts);
    await expect(pool.features([syntheticOriginal(1).text, 42 as unknown as string])).rejects.toThrow(/fingerprinting failed in a worker thread: .*TypeError/);
    const [f] = await pool.features([syntheticOriginal(2).text]);
    expect(f!.sha).toBe(originalFeatures(syntheticOriginal(2).text, opts).sha);
  });

  it('a thread that stops fails what is pending and every later batch', async () => {
    pool = new FeaturePool(1, { ...opts, dictionary: '/nonexistent/zh-en.txt' });
    await expect(pool.features(['some text'])).rejects.toThrow(/fingerprinting thread failed: ENOENT/);
    await expect(pool.features(['more text'])).rejects.toThrow(/fingerprinting thread/);
  });

  it('closing rejects what is pending and refuses more', async () => {
    pool = new FeaturePool(1, opts);
    const pending = expect(pool.features(Array.from({ length: 200 }, (_, i) => syntheticOriginal(i).text))).rejects.toThrow(/closed/);
    await pool.close();
    await pending;
    await expect(pool.features(['x'])).rejects.toThrow(/closed/);
    expect(() => new FeaturePool(0, opts)).toThrow(/at least one thread/);
  });
});
