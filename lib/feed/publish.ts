/**
 * The publisher's side of feeds (Node only): keys, full feeds, deltas, and
 * a folder source so that `index verify` checks a feed exactly as a client does.
 * Shards are reproducible: the same originals and options give byte-identical
 * shards (no dates inside them, gzip without a timestamp); only the manifest
 * carries dates.
 */
import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { IndexBuilder } from '../index/build-index';
import { sliceIndex, type MemoryIndex } from '../index/memory-index';
import type { OriginalInput } from '../index/types';
import {
  decodeShard,
  encodeShard,
  FeedError,
  formatPublicKey,
  joinShards,
  MANIFEST_FILE,
  parseManifest,
  SIGNATURE_FILE,
  toBase64,
  type DeltaRef,
  type Manifest,
  type ShardHead,
  type ShardRef,
} from './format';
import { deltaChain, loadSegment, readManifest, type FeedSource } from './sync';

/** Writes KEY (PKCS#8 PEM, mode 600) and KEY.pub ("ed25519:…"); refuses to overwrite a key. */
export async function keygen(out: string): Promise<string> {
  for (const f of [out, `${out}.pub`]) {
    const exists = await access(f, constants.F_OK).then(() => true, () => false);
    if (exists) throw new FeedError('other', `${f} exists; a key is never overwritten (move it away first)`);
  }
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  await chmod(out, 0o600);
  const pub = formatPublicKey(new Uint8Array(raw));
  await writeFile(`${out}.pub`, pub + '\n');
  return pub;
}

export async function readPrivateKey(file: string) {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (e) {
    throw new FeedError('other', `cannot read the private key ${file} (${(e as NodeJS.ErrnoException).code})`);
  }
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
    return key;
  } catch (e) {
    throw new FeedError('other', `${file} is not an Ed25519 private key (${(e as Error).message})`);
  }
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export interface SegmentSpec {
  feed: string;
  version: number;
  kind: 'full' | 'delta';
  from?: number;
  removed?: string[];
}

/** Splits a segment into shards, writes them (content-addressed) under DIR/shards/, returns their entries. */
export async function writeShards(dir: string, index: MemoryIndex, spec: SegmentSpec, shardOriginals: number, withText: boolean): Promise<ShardRef[]> {
  await mkdir(join(dir, 'shards'), { recursive: true });
  const N = index.metas.length;
  const parts = Math.max(1, Math.ceil(N / shardOriginals));
  const header = { ...index.header, created: '' };
  const refs: ShardRef[] = [];
  for (let p = 0; p < parts; p++) {
    const a = p * shardOriginals;
    const b = Math.min(N, a + shardOriginals);
    const head: ShardHead = {
      format: 'provenance-shard',
      feed: spec.feed,
      version: spec.version,
      kind: spec.kind,
      ...(spec.kind === 'delta' ? { from: spec.from } : {}),
      part: p,
      parts,
      docBase: a,
      segmentOriginals: N,
      header,
      ...(p === 0 && spec.removed?.length ? { removed: spec.removed } : {}),
    };
    const raw = encodeShard(head, sliceIndex(index, a, b, 'whole'), withText);
    const gz = gzipSync(raw, { level: 9 });
    const hash = sha256(gz);
    const path = `shards/${hash}.gz`;
    await writeFile(join(dir, path), gz);
    refs.push({ path, bytes: gz.length, sha256: hash, rawBytes: raw.length, originals: b - a });
  }
  return refs;
}

/**
 * Writes manifest.json and its signature, each through a temporary file. A
 * client that reads between the two renames sees a signature that does not
 * match, refuses that attempt and retries later.
 */
export async function writeManifest(dir: string, manifest: Manifest, keyFile: string): Promise<void> {
  const key = await readPrivateKey(keyFile);
  const bytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
  const sig = sign(null, bytes, key);
  await writeFile(join(dir, `.${SIGNATURE_FILE}.tmp`), toBase64(new Uint8Array(sig)) + '\n');
  await writeFile(join(dir, `.${MANIFEST_FILE}.tmp`), bytes);
  await rename(join(dir, `.${SIGNATURE_FILE}.tmp`), join(dir, SIGNATURE_FILE));
  await rename(join(dir, `.${MANIFEST_FILE}.tmp`), join(dir, MANIFEST_FILE));
}

export interface FeedOptions {
  feed: string;
  title?: string;
  version?: number;
  created?: string;
  /** Days until the manifest expires. */
  expiresDays?: number;
  shardOriginals?: number;
  withText?: boolean;
  registryFile?: string;
}

async function registryEntry(dir: string, file: string | undefined): Promise<Manifest['registry']> {
  if (!file) return undefined;
  const bytes = await readFile(file);
  const hash = sha256(bytes);
  const path = `registry/${hash}.json`;
  await mkdir(join(dir, 'registry'), { recursive: true });
  await writeFile(join(dir, path), bytes);
  return { path, bytes: bytes.length, sha256: hash };
}

function manifestOf(o: FeedOptions, params: Manifest['params'], version: number, full: Manifest['full'], deltas: DeltaRef[], registry: Manifest['registry']): Manifest {
  const created = o.created ?? new Date().toISOString();
  const expires = new Date(Date.parse(created) + (o.expiresDays ?? 30) * 86_400_000).toISOString();
  return {
    format: 'provenance-feed',
    formatVersion: 1,
    feed: o.feed,
    ...(o.title ? { title: o.title } : {}),
    version,
    created,
    expires,
    params,
    ...(registry ? { registry } : {}),
    full,
    deltas,
  };
}

/** Writes a full feed (version 1 unless given) for an index built from originals. */
export async function buildFeed(dir: string, index: MemoryIndex, keyFile: string, o: FeedOptions): Promise<Manifest> {
  await readPrivateKey(keyFile); // fail before writing anything
  const version = o.version ?? 1;
  const shards = await writeShards(dir, index, { feed: o.feed, version, kind: 'full' }, o.shardOriginals ?? 20_000, o.withText ?? true);
  const manifest = manifestOf(o, index.header.params, version, { version, originals: index.metas.length, shards }, [], await registryEntry(dir, o.registryFile));
  await writeManifest(dir, manifest, keyFile);
  return manifest;
}

/** A folder holding a feed, read like the client reads a server. */
export function folderSource(dir: string): FeedSource {
  return {
    async get(path, maxBytes) {
      let bytes: Buffer;
      try {
        bytes = await readFile(join(dir, path));
      } catch {
        throw new FeedError('http', `${path}: HTTP 404 (not found)`);
      }
      if (bytes.length > maxBytes) throw new FeedError('too-large', `${path} is longer than the ${maxBytes} bytes expected`);
      return new Uint8Array(bytes);
    },
  };
}

/** Reads a feed folder's current manifest without checking the signature (the publisher's own folder). */
export async function readOwnManifest(dir: string): Promise<Manifest> {
  const bytes = await readFile(join(dir, MANIFEST_FILE)).catch(() => {
    throw new FeedError('other', `${dir} holds no ${MANIFEST_FILE} (is it a feed folder?)`);
  });
  return parseManifest(new Uint8Array(bytes));
}

/** The full index of a feed folder's current version, as published. */
export async function readFullIndex(dir: string, manifest: Manifest): Promise<MemoryIndex> {
  const decoded = [];
  for (const ref of manifest.full.shards) {
    const raw = gunzipSync(await readFile(join(dir, ref.path)));
    decoded.push(decodeShard(new Uint8Array(raw), ref.path));
  }
  return joinShards(decoded);
}

export interface DeltaOptions extends FeedOptions {
  /** How many earlier deltas the new manifest keeps (so clients a few versions behind can catch up). */
  keepDeltas?: number;
}

/**
 * The next version of a feed: the previous full index less `remove` and less
 * ids that `added` replaces, plus `added`; written as a new full segment and
 * as a delta from the previous version. `out` may be the previous folder.
 */
export async function buildDelta(prevDir: string, out: string, added: OriginalInput[], remove: string[], keyFile: string, o: DeltaOptions): Promise<{ manifest: Manifest; delta: DeltaRef }> {
  await readPrivateKey(keyFile);
  const prev = await readOwnManifest(prevDir);
  if (prev.feed !== o.feed) throw new FeedError('other', `the previous feed is "${prev.feed}", not "${o.feed}"`);
  const old = await readFullIndex(prevDir, prev);
  const addedIds = new Set(added.map((r) => r.id));
  const dropped = new Set([...remove, ...added.map((r) => r.id)]);
  const removedIds = old.metas.filter((m) => dropped.has(m.id)).map((m) => m.id);
  const unknown = remove.filter((id) => !old.metas.some((m) => m.id === id));
  if (unknown.length) throw new FeedError('other', `cannot remove ids that the feed does not hold: ${unknown.slice(0, 5).join(', ')}`);
  // Each kept original's fingerprints, recovered from the postings.
  const perDoc: number[][] = old.metas.map(() => []);
  for (let i = 0; i < old.hashes.length; i++) for (let j = old.offsets[i]!; j < old.offsets[i + 1]!; j++) perDoc[old.docs[j]!]!.push(old.hashes[i]!);
  const builder = new IndexBuilder({ params: old.header.params, keepText: o.withText ?? true, created: '' });
  for (const m of old.metas) {
    if (dropped.has(m.id)) continue;
    builder.addFingerprints({ id: m.id, outlet: m.outlet, url: m.url, title: m.title, published: m.published, lang: m.lang, units: m.units, ...(m.sha ? { sha: m.sha } : {}) }, Uint32Array.from(perDoc[m.doc]!), old.texts[m.doc]);
  }
  const firstNew = builder.size;
  for (const r of added) {
    if (builder.has(r.id)) throw new FeedError('other', `duplicate id ${r.id} in the new originals`);
    builder.add(r);
  }
  if (addedIds.size !== added.length) throw new FeedError('other', 'duplicate ids in the new originals');
  return writeNextVersion(prevDir, out, prev, builder.finish(), firstNew, removedIds, keyFile, o);
}

/**
 * Writes the next version of a feed: `index` is the new full index, whose
 * docs from `firstNew` on are the originals added since the previous
 * version; `removedIds` lists the previous version's ids that it drops.
 */
export async function writeNextVersion(
  prevDir: string,
  out: string,
  prev: Manifest,
  index: MemoryIndex,
  firstNew: number,
  removedIds: string[],
  keyFile: string,
  o: DeltaOptions,
): Promise<{ manifest: Manifest; delta: DeltaRef }> {
  const version = prev.version + 1;
  const withText = o.withText ?? true;
  await mkdir(out, { recursive: true });
  const fullShards = await writeShards(out, index, { feed: o.feed, version, kind: 'full' }, o.shardOriginals ?? 20_000, withText);
  const deltaIndex = sliceIndex(index, firstNew, index.metas.length, 'own');
  const deltaShards = await writeShards(out, deltaIndex, { feed: o.feed, version, kind: 'delta', from: prev.version, removed: removedIds }, o.shardOriginals ?? 20_000, withText);
  const delta: DeltaRef = { from: prev.version, to: version, originals: deltaIndex.metas.length, removed: removedIds.length, shards: deltaShards };
  // Earlier deltas stay listed (their shards copied along when the folder changes).
  const keep = (o.keepDeltas ?? 8) - 1;
  const kept = keep > 0 ? prev.deltas.slice(-keep) : [];
  if (out !== prevDir)
    for (const d of kept) for (const s of d.shards) await copyFile(join(prevDir, s.path), join(out, s.path));
  let registry = prev.registry;
  if (o.registryFile) registry = await registryEntry(out, o.registryFile);
  else if (registry && out !== prevDir) {
    await mkdir(join(out, 'registry'), { recursive: true });
    await copyFile(join(prevDir, registry.path), join(out, registry.path));
  }
  const manifest = manifestOf({ ...o, title: o.title ?? prev.title }, index.header.params, version, { version, originals: index.metas.length, shards: fullShards }, [...kept, delta], registry);
  await writeManifest(out, manifest, keyFile);
  return { manifest, delta };
}

export interface VerifyReport {
  manifest: Manifest;
  checked: string[];
}

/** Checks a feed folder as a client would: signature, dates, every shard of the full index and of every delta. */
export async function verifyFeed(dir: string, publicKey: string, now = Date.now()): Promise<VerifyReport> {
  const src = folderSource(dir);
  const { manifest } = await readManifest(src, publicKey, now);
  const checked: string[] = [];
  const full = await loadSegment(src, manifest, { kind: 'full', to: manifest.version, shards: manifest.full.shards });
  checked.push(`full index v${manifest.version}: ${full.index.metas.length} originals in ${manifest.full.shards.length} shard(s)`);
  for (const d of manifest.deltas) {
    const seg = await loadSegment(src, manifest, { kind: 'delta', from: d.from, to: d.to, shards: d.shards });
    if (seg.removed.length !== d.removed) throw new FeedError('format', `delta ${d.from}→${d.to} removes ${seg.removed.length} ids, the manifest says ${d.removed}`);
    checked.push(`delta ${d.from}→${d.to}: +${seg.index.metas.length} originals, −${seg.removed.length}`);
  }
  for (const d of manifest.deltas) if (!deltaChain(manifest.deltas, d.from, manifest.version)) throw new FeedError('format', `delta ${d.from}→${d.to} does not lead to version ${manifest.version}`);
  if (manifest.registry) {
    const bytes = await src.get(manifest.registry.path, manifest.registry.bytes);
    if (sha256(bytes) !== manifest.registry.sha256) throw new FeedError('hash', 'the outlet registry does not match its SHA-256');
    checked.push('outlet registry');
  }
  return { manifest, checked };
}
