import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndexBuilder } from '../../lib/index/build-index';
import { decodeIndex, decodePostings, encodeIndex, IndexFormatError } from '../../lib/index/index-codec';
import { readIndexDir, writeIndexDir } from '../../lib/index/index-dir';
import { radixSortPairs } from '../../lib/index/radix-sort';
import { textSha } from '../../lib/index/text-sha';
import type { OriginalInput } from '../../lib/index/types';
import { loadFixtures, rng } from '../support/make-pages';

const fx = loadFixtures();
const some = [...fx.originals.en.slice(0, 6), ...fx.originals.zh.slice(0, 6)];

function build(originals: OriginalInput[], keepText = true) {
  const b = new IndexBuilder({ created: '2026-01-01T00:00:00Z', keepText });
  for (const o of originals) b.add(o);
  return b.finish();
}

describe('radixSortPairs', () => {
  it('sorts by key and keeps equal keys in insertion order', () => {
    const r = rng(1);
    const n = 5000;
    const keys = Uint32Array.from({ length: n }, () => Math.floor(r() * 2 ** 32) % 997 * 4_000_000);
    const vals = Uint32Array.from({ length: n }, (_, i) => i);
    const expected = Array.from(keys, (k, i) => [k, i]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    radixSortPairs(keys, vals, n);
    expect(Array.from(keys)).toEqual(expected.map((e) => e[0]));
    expect(Array.from(vals)).toEqual(expected.map((e) => e[1]));
  });
});

describe('IndexBuilder', () => {
  it('gives postings that find each original from its own text', async () => {
    const idx = build(some);
    for (const o of some) {
      const { fingerprintText } = await import('../../lib/fingerprint');
      const fp = fingerprintText(o.text, idx.params);
      const lists = await idx.lookup(fp.hashes);
      const doc = idx.metas.find((m) => m.id === o.id)!.doc;
      const hits = lists.filter((l) => l.includes(doc)).length;
      expect(hits / fp.hashes.length).toBeGreaterThan(0.9);
    }
  });
  it('drops fingerprints of a statement quoted by several unrelated originals (stop-hashes)', async () => {
    const statementCarriers = fx.originals.en.filter((o) => ['en-003', 'en-009', 'en-015', 'en-021'].includes(o.id));
    const idx = build(statementCarriers);
    expect(idx.header.stopHashes).toBeGreaterThan(3);
    const statement = fx.negatives.en.find((n) => n.id === 'en-neg-011')!.text;
    const { fingerprintText } = await import('../../lib/fingerprint');
    const lists = await idx.lookup(fingerprintText(statement, idx.params).hashes);
    expect(lists.filter((l) => l.length > 0).length).toBeLessThan(3);
  });
  it('puts syndicated near-copies in one group and keeps their shared text', () => {
    const o = fx.originals.en[1]!;
    const copy = { ...o, id: 'syndicated', outlet: 'peoples-daily', url: 'https://en.people.cn/x.html', text: o.text + '\n\nEditor: Lin.' };
    const other = { ...fx.originals.en[2]! };
    const third = { ...o, id: 'syndicated-2', outlet: 'china-daily', url: 'https://www.chinadaily.com.cn/x.html' };
    const idx = build([o, copy, other, third]);
    const [a, b, c, d] = idx.metas;
    expect(a!.group).toBe(b!.group);
    expect(a!.group).toBe(d!.group);
    expect(c!.group).not.toBe(a!.group);
    expect(idx.header.stopHashes).toBe(0); // three copies of one story are one group, not three quotes
  });
  it('refuses a duplicate id', () => {
    const b = new IndexBuilder();
    b.add(some[0]!);
    expect(() => b.add(some[0]!)).toThrow(/duplicate id/);
  });
});

describe('index format', () => {
  it('round-trips through the files', async () => {
    const idx = build(some);
    const dir = mkdtempSync(join(tmpdir(), 'idx-'));
    await writeIndexDir(dir, idx);
    const back = await readIndexDir(dir);
    expect(back.header).toEqual(idx.header);
    expect(back.metas).toEqual(idx.metas);
    expect(Array.from(back.hashes)).toEqual(Array.from(idx.hashes));
    expect(Array.from(back.docs)).toEqual(Array.from(idx.docs));
    expect(await back.text(3)).toBe(some[3]!.text);
    rmSync(dir, { recursive: true, force: true });
  });
  it('is reproducible: the same input gives the same bytes', () => {
    const a = encodeIndex(build(some));
    const b = encodeIndex(build(some));
    expect(Buffer.from(a.postings).equals(Buffer.from(b.postings))).toBe(true);
    expect(a.originals).toBe(b.originals);
  });
  it('rejects corrupt postings with a reason, never a crash', () => {
    const enc = encodeIndex(build(some));
    const bad = (bytes: Uint8Array) => () => decodePostings(bytes, 12);
    expect(bad(enc.postings.slice(0, enc.postings.length - 3))).toThrow(IndexFormatError);
    expect(bad(Uint8Array.from([1, 2, 3, 4]))).toThrow(/bad magic/);
    const longer = new Uint8Array(enc.postings.length + 1);
    longer.set(enc.postings);
    expect(bad(longer)).toThrow(/trailing bytes/);
    expect(() => decodePostings(enc.postings, 2)).toThrow(/out of range/);
  });
  it('rejects a bad header or originals table', () => {
    const enc = encodeIndex(build(some));
    expect(() => decodeIndex({ ...enc, header: '{"format":"x"}' })).toThrow(/not a provenance index/);
    expect(() => decodeIndex({ ...enc, header: 'nope' })).toThrow(/not valid JSON/);
    expect(() => decodeIndex({ ...enc, originals: enc.originals.split('\n').slice(1).join('\n') })).toThrow(/header says/);
    expect(() => decodeIndex({ ...enc, originals: enc.originals.replace('"outlet"', '"outlett"') })).toThrow(/field outlet missing/);
  });
  it('keeps a hash of each original\'s text, also without texts, and refuses a malformed one; older lines without it still decode', () => {
    const withText = build(some);
    const without = build(some, false);
    expect(without.texts.every((t) => t === undefined)).toBe(true);
    for (const [i, o] of some.entries()) {
      expect(withText.metas[i]!.sha).toMatch(/^[0-9a-f]{16}$/);
      expect(without.metas[i]!.sha).toBe(withText.metas[i]!.sha);
      expect(withText.metas[i]!.sha).toBe(textSha(o.text));
    }
    // NFC and trimming: the same text in decomposed form, with spaces around, hashes the same; another text does not.
    expect(textSha(`  caf\u0065\u0301 au lait\n`)).toBe(textSha('caf\u00e9 au lait'));
    expect(textSha('caf\u00e9 au lait.')).not.toBe(textSha('caf\u00e9 au lait'));
    const enc = encodeIndex(without);
    expect(decodeIndex(enc).metas[0]!.sha).toBe(without.metas[0]!.sha);
    const legacy = enc.originals.replace(/,"sha":"[0-9a-f]{16}"/g, '');
    expect(legacy).not.toContain('"sha"');
    expect(decodeIndex({ ...enc, originals: legacy }).metas[0]!.sha).toBeUndefined();
    expect(() => decodeIndex({ ...enc, originals: enc.originals.replace(/"sha":"[0-9a-f]{16}"/, '"sha":"XYZ"') })).toThrow(/line 1: field sha must be 16 hex digits/);
  });
  it('reports a missing index folder clearly', async () => {
    await expect(readIndexDir('/nonexistent/index')).rejects.toThrow(/not found \(is \/nonexistent\/index an index folder\?\)/);
  });
});

describe('bundled starter index', () => {
  it('is what the index command builds from the starter originals', async () => {
    const { readOriginals } = await import('../../lib/cli/read-originals');
    const { loadRegistry, BUNDLED_ORIGINALS, BUNDLED_INDEX } = await import('../../lib/cli/cli-support');
    const skipped: Array<{ where: string; reason: string }> = [];
    const b = new IndexBuilder({ created: '2026-10-31T00:00:00.000Z' });
    for await (const o of readOriginals(BUNDLED_ORIGINALS, loadRegistry(), skipped)) b.add(o);
    expect(skipped).toEqual([]);
    const enc = encodeIndex(b.finish());
    expect(b.size).toBeGreaterThanOrEqual(40);
    expect(readFileSync(join(BUNDLED_INDEX, 'originals.ndjson'), 'utf8')).toBe(enc.originals);
    expect(Buffer.from(readFileSync(join(BUNDLED_INDEX, 'postings.bin'))).equals(Buffer.from(enc.postings))).toBe(true);
    expect(readFileSync(join(BUNDLED_INDEX, 'texts.ndjson'), 'utf8')).toBe(enc.texts);
  });
});
