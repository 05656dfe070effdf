/**
 * The publisher's side of feeds (Node only): keys, full feeds, deltas, and
 * a folder source so that `index verify` checks a feed exactly as a client does.
 * Shards are reproducible: the same originals and options give byte-identical
 * shards (no dates inside them, gzip without a timestamp); only the manifest
 * carries dates.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, copyFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { IndexBuilder } from '../index/build-index';
import { DEFAULT_REWRITE_PARAMS, sketchGrams } from '../rewrite/grams';
import { contentTerms } from '../rewrite/terms';
import { MemoryIndex, sliceIndex } from '../index/memory-index';
import type { OriginalInput } from '../index/types';
import type { Dictionary } from '../translate/dictionary';
import { textSketch, TRANSLATE_VERSION } from '../translate/keys';
import {
  decodeShard,
  earliestFor,
  encodeShard,
  encodeTranslateFile,
  FeedError,
  formatPublicKey,
  joinShards,
  keyDigest,
  KeyRevokedError,
  MANIFEST_FILE,
  MAX_LIFETIME_DAYS,
  maxVersionAt,
  parseManifest,
  parsePublicKey,
  shortKey,
  SIGNATURE_FILE,
  toBase64,
  type DeltaRef,
  type FeedKeys,
  type KeyStatement,
  type KeyTrust,
  type Manifest,
  type RetiredKey,
  type ShardHead,
  type ShardRef,
} from './format';
import { followKeys, type StatementBody } from './key-chain';
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
    const code = (e as NodeJS.ErrnoException).code;
    throw new FeedError('other', `cannot read the private key ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a folder, not a file' : code ?? (e as Error).message}`);
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

/** The "ed25519:…" public key of a private key. */
export function publicKeyOf(key: KeyObject): string {
  return formatPublicKey(new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32)));
}

/**
 * The publisher's record of the feed's key statements, in the feed folder
 * (served along, harmless: every statement is public once published). `rotate`
 * and `revoke` add to it; every manifest written lists them all.
 */
export const KEYS_FILE = 'keys.json';
interface KeysFile {
  statements: KeyStatement[];
}

async function readKeysFile(dir: string): Promise<KeysFile> {
  let text: string;
  try {
    text = await readFile(join(dir, KEYS_FILE), 'utf8');
  } catch {
    return { statements: [] };
  }
  try {
    const v = JSON.parse(text) as KeysFile;
    if (!Array.isArray(v.statements)) throw new Error('no statements');
    return { statements: v.statements };
  } catch (e) {
    throw new FeedError('other', `${join(dir, KEYS_FILE)} is not a key statements file (${(e as Error).message})`);
  }
}

async function writeKeysFile(dir: string, file: KeysFile): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `.${KEYS_FILE}.tmp`), JSON.stringify(file, null, 2) + '\n');
  await rename(join(dir, `.${KEYS_FILE}.tmp`), join(dir, KEYS_FILE));
}

/** Statements of both lists, each once, in order. */
function mergeStatements(...lists: KeyStatement[][]): KeyStatement[] {
  const seen = new Set<string>();
  return lists.flat().filter((st) => !seen.has(st.body) && !!seen.add(st.body));
}

/** A public key given as a KEY.pub file or as the "ed25519:…" text. */
export async function readPublicKey(fileOrText: string): Promise<string> {
  const text = fileOrText.trim().startsWith('ed25519:')
    ? fileOrText.trim()
    : (await readFile(fileOrText, 'utf8').catch(() => {
        throw new FeedError('other', `cannot read ${fileOrText} (give the KEY.pub file, or the "ed25519:…" key itself)`);
      })).trim();
  if (/PRIVATE KEY/.test(text)) throw new FeedError('other', `${fileOrText} is a private key: give the public one (KEY.pub)`);
  parsePublicKey(text);
  return text;
}

/**
 * The feed's keys as the previous version left them: its statements (with
 * those recorded since in keys.json) and what a subscriber trusts after
 * following them. A feed folder of format 1 (no keys) and a new feed trust any key.
 */
async function currentKeys(dir: string, prev: Manifest | undefined): Promise<{ statements: KeyStatement[]; trust?: KeyTrust }> {
  const statements = mergeStatements(prev?.keys?.statements ?? [], (await readKeysFile(dir)).statements);
  if (!prev?.keys) return { statements };
  const { trust } = await followKeys(statements, prev.feed, { key: prev.keys.signer, ...(prev.keys.next ? { next: prev.keys.next } : {}), retired: [] });
  return { statements, trust };
}

/**
 * The keys section of the next manifest, signed by `keyFile`: the signer must
 * be the key the feed's statements lead to (after a `rotate`, the new key),
 * and not a revoked one; the committed next key stays unless `next` sets one
 * where there was none.
 */
async function keysFor(dir: string, prev: Manifest | undefined, keyFile: string, nextPub: string | undefined): Promise<FeedKeys> {
  const signer = publicKeyOf(await readPrivateKey(keyFile));
  let chain: Awaited<ReturnType<typeof currentKeys>>;
  try {
    chain = await currentKeys(dir, prev);
  } catch (e) {
    if (e instanceof KeyRevokedError)
      throw new FeedError(
        'revoked',
        `${e.message.replace(/: no update.*$/, '')}: this feed cannot be published with it any more; ` +
          (e.trust.next ? 'rotate to the committed next key (index -- rotate --new NEXT_KEY --out DIR)' : 'publish a new feed with a new key, which readers subscribe to again'),
      );
    throw e;
  }
  if (chain.trust && signer !== chain.trust.key) {
    const retired = chain.trust.retired.find((r) => r.key === signer);
    throw new FeedError(
      'other',
      retired
        ? `${keyFile} is the feed's old key, replaced on ${retired.at.slice(0, 10)}: sign with the current key (${shortKey(chain.trust.key)})`
        : `the feed is signed with ${shortKey(chain.trust.key)}, not with ${keyFile} (${shortKey(signer)}): sign with that key, or first record a rotation: index -- rotate --key OLD_KEY --new ${keyFile} --out DIR`,
    );
  }
  let next = chain.trust?.next;
  if (nextPub) {
    const digest = await keyDigest(nextPub);
    if (next && digest !== next) throw new FeedError('other', 'the feed already committed to another next key; only a rotation to that key can commit to a new one (index -- rotate --new NEXT_KEY --next NEW_NEXT.pub)');
    next = digest;
  }
  return { signer, ...(next ? { next } : {}), statements: chain.statements };
}

/** The fast-forward bound (format.ts, maxVersionAt), with the publisher's remedy. */
function checkVersion(version: number, created: string): void {
  const max = maxVersionAt(created);
  if (version > max)
    throw new FeedError(
      'fast-forward',
      `version ${version} is more than a manifest created ${created} may carry: at most ${max} (1,000 versions a day since 2026-01-01; ` +
        `subscribers refuse more, so that one manifest cannot lock a feed out); publish version ${max} or lower now` +
        (earliestFor(version) ? `, or ${version} from ${earliestFor(version)}` : ''),
    );
}

/** Checks what subscribers would check of a manifest before it is signed (limits, version), with the publisher's remedy. */
function checkBeforeSigning(manifest: Manifest): void {
  checkVersion(manifest.version, manifest.created);
  if (!manifest.urls.length) throw new FeedError('other', 'the feed needs the address it is published at: --url https://…/manifest.json (subscribers elsewhere refuse it)');
  parseManifest(Buffer.from(JSON.stringify(manifest)));
}

export interface SegmentSpec {
  feed: string;
  version: number;
  kind: 'full' | 'delta';
  from?: number;
  removed?: string[];
}

/**
 * A segment as its shards are made from it: the whole index's header and size, and
 * docs a … b−1 as an index of their own, groups numbered in the whole index
 * (asked for in order; the streaming builder makes them from its files).
 */
export interface Segment {
  header: MemoryIndex['header'];
  originals: number;
  slice(a: number, b: number): MemoryIndex;
}

function asSegment(index: MemoryIndex | Segment): Segment {
  if (!(index instanceof MemoryIndex)) return index;
  return { header: index.header, originals: index.metas.length, slice: (a, b) => sliceIndex(index, a, b, 'whole') };
}

/** Splits a segment into shards, writes them (content-addressed) under DIR/shards/, returns their entries. */
export async function writeShards(dir: string, index: MemoryIndex | Segment, spec: SegmentSpec, shardOriginals: number, withText: boolean): Promise<ShardRef[]> {
  await mkdir(join(dir, 'shards'), { recursive: true });
  const seg = asSegment(index);
  const N = seg.originals;
  const parts = Math.max(1, Math.ceil(N / shardOriginals));
  const header = { ...seg.header, created: '' };
  // The common grams go once, in the first shard's head (joinShards takes the first's header).
  const { common: _common, ...rewriteRest } = header.rewrite ?? {};
  const laterHeader = header.rewrite ? { ...header, rewrite: rewriteRest as NonNullable<typeof header.rewrite> } : header;
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
      header: p === 0 ? header : laterHeader,
      ...(p === 0 && spec.removed?.length ? { removed: spec.removed } : {}),
    };
    const slice = seg.slice(a, b);
    const raw = encodeShard(head, slice, withText);
    const gz = gzipSync(raw, { level: 9 });
    const hash = sha256(gz);
    const path = `shards/${hash}.gz`;
    await writeFile(join(dir, path), gz);
    // The translation tier in a file of its own (readers from before it would refuse a sixth section).
    const tRaw = encodeTranslateFile(slice);
    let translate: ShardRef['translate'];
    if (tRaw) {
      const tGz = gzipSync(tRaw, { level: 9 });
      const tHash = sha256(tGz);
      translate = { path: `shards/${tHash}.gz`, bytes: tGz.length, sha256: tHash, rawBytes: tRaw.length };
      await writeFile(join(dir, translate.path), tGz);
    }
    refs.push({ path, bytes: gz.length, sha256: hash, rawBytes: raw.length, originals: b - a, ...(translate ? { translate } : {}) });
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
  /** Days until the manifest expires (at most MAX_LIFETIME_DAYS). */
  expiresDays?: number;
  shardOriginals?: number;
  withText?: boolean;
  registryFile?: string;
  /** Addresses of manifest.json where the feed is published (required for a new feed; a next version keeps the previous ones unless given). */
  urls?: string[];
  /** The next key ("ed25519:…"), kept offline: only it may rotate the signing key from now on. */
  nextKey?: string;
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

/** Checks the options that a manifest's limits depend on, before anything is written. */
function checkOptions(o: FeedOptions, version: number): void {
  if ((o.expiresDays ?? 30) > MAX_LIFETIME_DAYS)
    throw new FeedError('lifetime', `--expires-days ${o.expiresDays} is more than ${MAX_LIFETIME_DAYS}: subscribers refuse a manifest valid for longer`);
  checkVersion(version, o.created ?? new Date().toISOString());
}

function manifestOf(o: FeedOptions, params: Manifest['params'], version: number, full: Manifest['full'], deltas: DeltaRef[], registry: Manifest['registry'], urls: string[], keys: FeedKeys): Manifest {
  const created = o.created ?? new Date().toISOString();
  const expires = new Date(Date.parse(created) + (o.expiresDays ?? 30) * 86_400_000).toISOString();
  return {
    format: 'provenance-feed',
    formatVersion: 2,
    feed: o.feed,
    ...(o.title ? { title: o.title } : {}),
    version,
    created,
    expires,
    urls,
    keys,
    params,
    ...(registry ? { registry } : {}),
    full,
    deltas,
  };
}

/**
 * Writes a full feed (version 1 unless given) for an index built from
 * originals. Over an existing feed folder (a rebuilt full index under a
 * higher version) its addresses and keys carry on.
 */
export async function buildFeed(dir: string, index: MemoryIndex | Segment | ((shardOriginals: number) => Segment), keyFile: string, o: FeedOptions): Promise<Manifest> {
  await readPrivateKey(keyFile); // fail before writing anything
  const prev = await readOwnManifest(dir).catch(() => undefined);
  const version = o.version ?? 1;
  checkOptions(o, version);
  const urls = o.urls?.length ? o.urls : (prev?.urls ?? []);
  if (!urls.length) throw new FeedError('other', 'a new feed needs --url: the address of manifest.json where it will be published (subscribers at another address refuse it)');
  const keys = await keysFor(dir, prev, keyFile, o.nextKey);
  // A streaming build decides its segment once the shard size is known.
  const seg = typeof index === 'function' ? index(o.shardOriginals ?? 20_000) : asSegment(index);
  const shards = await writeShards(dir, seg, { feed: o.feed, version, kind: 'full' }, o.shardOriginals ?? 20_000, o.withText ?? true);
  const manifest = manifestOf(o, seg.header.params, version, { version, originals: seg.originals, shards }, [], await registryEntry(dir, o.registryFile), urls, keys);
  checkBeforeSigning(manifest);
  await writeKeysFile(dir, { statements: keys.statements });
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
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new FeedError('http', `cannot read ${join(dir, path)}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a folder, not a file' : code ?? (e as Error).message}`);
      }
      if (bytes.length > maxBytes) throw new FeedError('too-large', `${path} is longer than the ${maxBytes} bytes expected`);
      return new Uint8Array(bytes);
    },
  };
}

/** Reads a feed folder's current manifest without checking the signature (the publisher's own folder; format 1 too). */
export async function readOwnManifest(dir: string): Promise<Manifest> {
  const bytes = await readFile(join(dir, MANIFEST_FILE)).catch(async () => {
    const st = await stat(dir).catch(() => undefined);
    throw new FeedError('other', !st ? `${dir}: no such folder` : !st.isDirectory() ? `${dir} is a file, not a feed folder` : `${dir} holds no ${MANIFEST_FILE} (is it a feed folder?)`);
  });
  return parseManifest(new Uint8Array(bytes), { legacy: true });
}

/** The full index of a feed folder's current version, as published. */
export async function readFullIndex(dir: string, manifest: Manifest): Promise<MemoryIndex> {
  const decoded = [];
  for (const ref of manifest.full.shards) {
    const raw = gunzipSync(await readFile(join(dir, ref.path)));
    const translate = ref.translate ? new Uint8Array(gunzipSync(await readFile(join(dir, ref.translate.path)))) : undefined;
    decoded.push(decodeShard(new Uint8Array(raw), ref.path, translate));
  }
  return joinShards(decoded);
}

export interface DeltaOptions extends FeedOptions {
  /**
   * Builds the translation tier with this dictionary: the kept originals' keys are carried over from
   * the previous version (made again from their texts when it had none, or keys of another version).
   */
  translate?: Dictionary;
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
  // Each kept original's fingerprints (and rewrite-tier grams), recovered from the postings.
  const perDoc = (p: { hashes: Uint32Array; offsets: Uint32Array; docs: Uint32Array }) => {
    const out: number[][] = old.metas.map(() => []);
    for (let i = 0; i < p.hashes.length; i++) for (let j = p.offsets[i]!; j < p.offsets[i + 1]!; j++) out[p.docs[j]!]!.push(p.hashes[i]!);
    return out;
  };
  const fps = perDoc(old.postings('verbatim'));
  // The previous version's rewrite grams are kept when they are this tool's kind of grams; otherwise they
  // are made again from the original's text (a feed published before a change of the term definition),
  // and an original without text in the feed has none (it is still found word for word).
  const rw = DEFAULT_REWRITE_PARAMS;
  const reuse = old.header.rewrite?.terms === rw.terms && old.header.rewrite.k === rw.k;
  const grams = reuse ? perDoc(old.postings('rewrite')) : undefined;
  const tr = o.translate;
  const keys = tr && old.header.translate?.version === TRANSLATE_VERSION && old.translatePostings ? perDoc(old.postings('translate')) : undefined;
  const builder = new IndexBuilder({ params: old.header.params, keepText: o.withText ?? true, created: '', common: reuse ? old.header.rewrite?.common : undefined, translate: tr });
  for (const m of old.metas) {
    if (dropped.has(m.id)) continue;
    const text = old.texts[m.doc];
    const remade = !reuse && text !== undefined ? sketchGrams(contentTerms(text), rw) : undefined;
    const meta = {
      id: m.id, outlet: m.outlet, url: m.url, title: m.title, published: m.published, lang: m.lang, units: m.units,
      ...(reuse && m.grams !== undefined ? { grams: m.grams } : remade ? { grams: remade.grams } : {}),
      ...(m.sha ? { sha: m.sha } : {}),
    };
    const translateKeys = keys ? Uint32Array.from(keys[m.doc]!) : tr && text !== undefined ? textSketch(text, tr) : undefined;
    builder.addFingerprints(meta, Uint32Array.from(fps[m.doc]!), text, grams ? Uint32Array.from(grams[m.doc]!) : remade?.sketch, translateKeys);
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
  const version = o.version ?? prev.version + 1;
  if (version <= prev.version) throw new FeedError('other', `the next version must be higher than ${prev.version}`);
  checkOptions(o, version);
  const urls = o.urls?.length ? o.urls : prev.urls;
  if (!urls.length) throw new FeedError('other', `${prevDir} is a feed of format 1, which names no address: give --url (the address of manifest.json where it is published)`);
  const keys = await keysFor(prevDir, prev, keyFile, o.nextKey);
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
    for (const d of kept)
      for (const s of d.shards) {
        await copyFile(join(prevDir, s.path), join(out, s.path));
        if (s.translate) await copyFile(join(prevDir, s.translate.path), join(out, s.translate.path));
      }
  let registry = prev.registry;
  if (o.registryFile) registry = await registryEntry(out, o.registryFile);
  else if (registry && out !== prevDir) {
    await mkdir(join(out, 'registry'), { recursive: true });
    await copyFile(join(prevDir, registry.path), join(out, registry.path));
  }
  const manifest = manifestOf({ ...o, title: o.title ?? prev.title }, index.header.params, version, { version, originals: index.metas.length, shards: fullShards }, [...kept, delta], registry, urls, keys);
  checkBeforeSigning(manifest);
  await writeKeysFile(out, { statements: keys.statements });
  await writeManifest(out, manifest, keyFile);
  return { manifest, delta };
}

export interface VerifyReport {
  manifest: Manifest;
  checked: string[];
}

/**
 * Checks a feed folder as a client subscribed with `publicKey` (at `url`,
 * when given) would: key rotations from that key, signature, limits, dates,
 * address, every shard of the full index and of every delta.
 */
export async function verifyFeed(dir: string, publicKey: string, now = Date.now(), url?: string): Promise<VerifyReport> {
  const src = folderSource(dir);
  const { manifest, rotated } = await readManifest(src, () => ({ key: publicKey.trim(), retired: [] }), now, url === undefined ? {} : { url });
  const checked: string[] = [];
  for (const r of rotated) checked.push(`key ${shortKey(r.key)} rotated to ${shortKey(r.to ?? '')} on ${r.at.slice(0, 10)}`);
  if (url !== undefined) checked.push(`published at ${url}`);
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

/** Signs a statement's exact bytes with each key. */
export async function signStatement(body: StatementBody, keyFiles: string[]): Promise<KeyStatement> {
  const text = JSON.stringify(body);
  const sigs = [];
  for (const f of keyFiles) {
    const key = await readPrivateKey(f);
    sigs.push({ key: publicKeyOf(key), sig: toBase64(new Uint8Array(sign(null, Buffer.from(text), key))) });
  }
  return { body: text, sigs };
}

export interface RotateOptions {
  /** The feed's current private key (signs the hand-over; not needed when the new key is the committed next key). */
  oldKeyFile?: string;
  /** The key after the new one ("ed25519:…"), to commit to now. */
  nextKey?: string;
  created?: string;
}

/**
 * Records a rotation of the feed's key to `newKeyFile`'s key in DIR/keys.json,
 * signed by the new key and (when given) the old one. The next version
 * published with the new key carries it; subscribers then trust only the new key.
 */
export async function rotateKey(dir: string, newKeyFile: string, o: RotateOptions = {}): Promise<{ from: string; to: string; statement: KeyStatement }> {
  const prev = await readOwnManifest(dir);
  if (!prev.keys) throw new FeedError('other', `${dir} is a feed of format 1: publish its next version (delta or build with --url) before rotating its key`);
  const to = publicKeyOf(await readPrivateKey(newKeyFile));
  // The key now in charge: the end of the chain; a revoked key can be rotated only by the committed next key.
  const statements = mergeStatements(prev.keys.statements, (await readKeysFile(dir)).statements);
  let trust: KeyTrust;
  try {
    trust = (await followKeys(statements, prev.feed, { key: prev.keys.signer, ...(prev.keys.next ? { next: prev.keys.next } : {}), retired: [] })).trust;
  } catch (e) {
    if (!(e instanceof KeyRevokedError)) throw e;
    trust = e.trust;
  }
  const from = trust.key;
  if (from === to) throw new FeedError('other', `${newKeyFile} is already the feed's key`);
  if (trust.retired.some((r) => r.key === to)) throw new FeedError('other', `${newKeyFile} is a key the feed left behind; a feed never returns to one`);
  const signers = [newKeyFile];
  if (trust.next) {
    if ((await keyDigest(to)) !== trust.next) throw new FeedError('other', `${newKeyFile} is not the next key this feed committed to: only that key may take over`);
  } else {
    if (!o.oldKeyFile) throw new FeedError('other', `rotate needs --key OLD_KEY (the feed's current key, ${shortKey(from)}) to sign the hand-over: the feed committed to no next key`);
    if (trust.retired.some((r) => r.key === from && r.why === 'revoked')) throw new FeedError('revoked', 'the feed\'s key is revoked and it committed to no next key: publish a new feed with a new key instead');
  }
  if (o.oldKeyFile) {
    const old = publicKeyOf(await readPrivateKey(o.oldKeyFile));
    if (old !== from) throw new FeedError('other', `${o.oldKeyFile} is not the feed's current key (${shortKey(from)})`);
    signers.push(o.oldKeyFile);
  }
  const next = o.nextKey ? await keyDigest(o.nextKey) : undefined;
  const body: StatementBody = { type: 'rotate', feed: prev.feed, from, to, ...(next ? { next } : {}), created: o.created ?? new Date().toISOString() };
  const statement = await signStatement(body, signers);
  await writeKeysFile(dir, { statements: [...statements, statement] });
  return { from, to, statement };
}

/**
 * Revokes the feed's current key: a statement signed by that key, added to
 * DIR/keys.json and to the current manifest (re-signed in place). Subscribers
 * refuse every later manifest signed with it; the feed continues only through
 * a rotation by the committed next key, or as a new subscription.
 */
export async function revokeKey(dir: string, keyFile: string, o: { reason?: string; created?: string } = {}): Promise<{ key: string; revoked: RetiredKey; manifest: Manifest }> {
  const prev = await readOwnManifest(dir);
  if (!prev.keys) throw new FeedError('other', `${dir} is a feed of format 1, which no subscriber accepts any more: nothing to revoke`);
  const key = publicKeyOf(await readPrivateKey(keyFile));
  const statements = mergeStatements(prev.keys.statements, (await readKeysFile(dir)).statements);
  let current: string;
  try {
    current = (await followKeys(statements, prev.feed, { key: prev.keys.signer, ...(prev.keys.next ? { next: prev.keys.next } : {}), retired: [] })).trust.key;
  } catch (e) {
    if (e instanceof KeyRevokedError) throw new FeedError('other', `the feed's key ${shortKey(e.trust.key)} is already revoked`);
    throw e;
  }
  if (key !== current) throw new FeedError('other', `${keyFile} is not the feed's current key (${shortKey(current)}): a key the feed left behind is refused by subscribers already`);
  const created = o.created ?? new Date().toISOString();
  const body: StatementBody = { type: 'revoke', feed: prev.feed, key, created, ...(o.reason ? { reason: o.reason } : {}) };
  const statement = await signStatement(body, [keyFile]);
  const all = [...statements, statement];
  await writeKeysFile(dir, { statements: all });
  const manifest: Manifest = { ...prev, keys: { ...prev.keys, statements: all } };
  await writeManifest(dir, manifest, keyFile);
  return { key, revoked: { key, at: created, why: 'revoked', ...(o.reason ? { reason: o.reason } : {}) }, manifest };
}
