/**
 * The streaming builder (index build) writes byte for byte what the in-memory
 * builder writes: index folders and signed feeds, with the translation tier and
 * without, with texts and without, with everything in memory and with the
 * (hash, doc) pairs spilled to many sorted runs on disk.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_ORIGINALS, loadRegistry } from '../../lib/cli/cli-support';
import { readOriginals, type Skipped } from '../../lib/cli/read-originals';
import { buildFeed, keygen } from '../../lib/feed/publish';
import { IndexBuilder, type BuildOptions } from '../../lib/index/build-index';
import { writeIndexDir } from '../../lib/index/index-dir';
import { StreamingIndexBuilder } from '../../lib/index/stream-build';
import type { OriginalInput } from '../../lib/index/types';
import { loadDictionary } from '../../lib/translate/load-dictionary';
import { syntheticOriginal } from '../support/synthetic-text';

const root = mkdtempSync(join(tmpdir(), 'stream-build-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const dict = loadDictionary();
let dirs = 0;
const fresh = (name: string) => join(root, `${name}-${dirs++}`);

/** Every file under dir (relative path → bytes). */
function tree(dir: string, prefix = ''): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of tree(dir, rel)) out.set(k, v);
    else out.set(rel, readFileSync(join(dir, rel)));
  }
  return out;
}

function expectSameTree(a: string, b: string): void {
  const ta = tree(a);
  const tb = tree(b);
  expect([...tb.keys()].sort()).toEqual([...ta.keys()].sort());
  for (const [name, bytes] of ta) expect(tb.get(name)!.equals(bytes), `${name} differs`).toBe(true);
}

/** Both builders over the same originals (duplicates skipped the way `index build` skips them). */
function both(originals: OriginalInput[], opts: BuildOptions, memoryBytes?: number) {
  const mem = new IndexBuilder(opts);
  const stream = new StreamingIndexBuilder({ ...opts, memoryBytes, tmpDir: fresh('tmp') });
  for (const o of originals) {
    if (!mem.has(o.id)) mem.add(o);
    if (!stream.has(o.id)) stream.add(o);
  }
  expect(stream.size).toBe(mem.size);
  return { mem, stream };
}

async function starter(): Promise<OriginalInput[]> {
  const skipped: Skipped[] = [];
  const out: OriginalInput[] = [];
  for await (const o of readOriginals(BUNDLED_ORIGINALS, loadRegistry(), skipped)) out.push(o);
  expect(skipped).toEqual([]);
  return out;
}

/** English and Chinese synthetic originals with near-copies and boilerplate, and a repeated id. */
function synthetic(n: number): OriginalInput[] {
  const list = Array.from({ length: n }, (_, i) => syntheticOriginal(i, 3));
  list.push({ ...list[5]!, text: 'A later record with an id seen before is skipped.' });
  return list;
}

const created = '2026-11-30T00:00:00.000Z';
const inputs: Array<[string, () => Promise<OriginalInput[]>]> = [
  ['the starter originals', starter],
  ['300 synthetic English and Chinese originals', async () => synthetic(300)],
];

describe('streaming index build', () => {
  for (const [what, load] of inputs)
    for (const [label, opts, memory] of [
      ['all tiers, texts, in memory', { created, translate: dict }, undefined],
      ['all tiers, runs spilled', { created, translate: dict }, 16 * 1024],
      ['no translation tier, no texts, runs spilled', { created, keepText: false }, 16 * 1024],
    ] as Array<[string, BuildOptions, number | undefined]>)
      it(`writes the same index folder: ${what}, ${label}`, async () => {
        const originals = await load();
        const { mem, stream } = both(originals, opts, memory);
        if (memory) expect(stream.spilledRuns).toBeGreaterThan(2);
        const a = fresh('mem');
        const b = fresh('stream');
        const withText = opts.keepText !== false;
        await writeIndexDir(a, mem.finish(), withText);
        const { header, sizes } = stream.writeIndexDir(b, withText);
        stream.dispose();
        expectSameTree(a, b);
        expect(header.originals).toBe(mem.size);
        expect(sizes['postings.bin']).toBe(statSync(join(b, 'postings.bin')).size);
        // Grouping and stop-hashes are exercised, not vacuous.
        expect(header.stopHashes).toBeGreaterThan(0);
        if (what.startsWith('300')) expect(readFileSync(join(b, 'originals.ndjson'), 'utf8')).toMatch(/"group":\d+/);
      }, 300_000);

  for (const [what, load] of inputs)
    it(`writes the same signed feed: ${what}, several shards, runs spilled`, async () => {
      const originals = await load();
      const key = fresh('key');
      await keygen(key);
      const opts: BuildOptions = { created: '', translate: dict };
      const { mem, stream } = both(originals, opts, 16 * 1024);
      const a = fresh('feed-mem');
      const b = fresh('feed-stream');
      const o = { feed: 'test-feed', urls: ['https://feeds.example.org/test/manifest.json'], created, shardOriginals: 17, withText: true };
      const ma = await buildFeed(a, mem.finish(), key, o);
      const mb = await buildFeed(b, (shardOriginals) => stream.segment(shardOriginals, true), key, o);
      stream.dispose();
      expect(mb.full.shards.length).toBeGreaterThan(2);
      expect(mb).toEqual(ma);
      expectSameTree(a, b);
    }, 300_000);

  it('keeps temporary files inside its own folder and removes them', () => {
    const tmp = fresh('tmp-own');
    const s = new StreamingIndexBuilder({ tmpDir: tmp, memoryBytes: 16 * 1024 });
    for (const o of synthetic(50)) if (!s.has(o.id)) s.add(o);
    expect(readdirSync(tmp)).toHaveLength(1);
    s.writeIndexDir(fresh('out'));
    s.dispose();
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('refuses a duplicate id and tells ids with equal hashes apart', () => {
    const s = new StreamingIndexBuilder({ tmpDir: fresh('tmp') });
    const o = syntheticOriginal(1, 9);
    s.add(o);
    expect(s.has(o.id)).toBe(true);
    expect(s.has(`${o.id} `)).toBe(false);
    expect(() => s.add({ ...o })).toThrow(/duplicate id/);
    s.dispose();
  });
});
