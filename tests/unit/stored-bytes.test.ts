import 'fake-indexeddb/auto';
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { BUNDLED_INDEX } from '../../lib/cli/cli-support';
import { readIndexDir } from '../../lib/index/index-dir';
import { blockRows, IndexDb, importIndex, originalRow } from '../../lib/store/index-db';
import { serializedBytes, storedBytes } from '../../lib/store/stored-bytes';

describe('stored bytes', () => {
  it('weighs values within a few bytes of V8’s own serialization', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const samples: unknown[] = [
      originalRow(3, mem.metas[0]!),
      blockRows(3, mem.metas.slice(0, 64).map((m) => [m.doc, m.id, m] as const))[0]!,
      { gen: 1, bucket: 70000, data: new Uint8Array(1234) },
      { gen: 2, key: '港口', terms: ['港口', 'harbour'], ends: new Uint32Array([3, 9]), docs: new Uint8Array(40) },
      { text: '一段虚构的中文文字，and some English.' },
    ];
    for (const v of samples) {
      const real = serialize(v).length;
      expect(Math.abs(serializedBytes(v) - real)).toBeLessThanOrEqual(Math.max(8, real * 0.05));
    }
  });
  it('sums every table of a store by tier, texts apart', async () => {
    const mem = await readIndexDir(BUNDLED_INDEX);
    const db = new IndexDb('test-stored-bytes');
    await importIndex(db, mem);
    const b = await storedBytes(db);
    for (const k of ['verbatim', 'rewrite', 'translate', 'metadata', 'search', 'texts'] as const) expect(b[k]).toBeGreaterThan(0);
    expect(b.filters.every((f) => f > 0)).toBe(true);
    // Texts weigh at least their characters.
    expect(b.texts).toBeGreaterThanOrEqual(mem.texts.reduce((n, t) => n + (t?.length ?? 0), 0));
    db.close();
  });
});
