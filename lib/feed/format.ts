/**
 * The feed format: what a publisher serves and a client checks.
 *
 *   manifest.json       the signed description of one version of a feed
 *   manifest.json.sig   base64 of the Ed25519 signature over manifest.json's exact bytes
 *   shards/<sha256>.gz  content-addressed shards: gzip of one "PFS1" shard (below)
 *
 * A full version is one segment of the index split into shards of at most a
 * few tens of thousands of originals; a delta from version a to b is a
 * segment of the originals added since a plus the ids that b removes (an
 * original that changed is removed and added again). Shards carry the index
 * format's files (lib/index/index-codec.ts) for their slice of the segment,
 * with docs numbered within the shard.
 *
 * Shard bytes: "PFS1", then four or five sections, each a varint byte length
 * and the bytes: the shard head (JSON), originals.ndjson, postings.bin,
 * texts.ndjson (empty when the feed carries no texts), and, when the index
 * carries the rewrite tier, postings-rewrite.bin.
 *
 * The translation tier (postings-translate.bin) is not a sixth section: readers
 * from before it refuse a shard with one ("trailing bytes"). Each shard's part
 * of it is a file of its own, its shard entry's `translate` {path, bytes,
 * sha256, rawBytes} (gzip of the postings, docs numbered within the shard),
 * which older readers do not read (they keep only the entry fields they know)
 * and newer ones check like the shard: the signed manifest names its hash.
 *
 * Everything here runs in the browser and in Node (WebCrypto, streams).
 */
import type { FingerprintParams } from '../fingerprint';
import { decodeIndex, encodeMeta, encodePostings, IndexFormatError } from '../index/index-codec';
import { MemoryIndex } from '../index/memory-index';
import type { IndexHeader, Postings } from '../index/types';
import { ByteReader, ByteWriter } from '../index/varint';

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.json.sig';
/** Largest manifest a client reads. */
export const MAX_MANIFEST_BYTES = 1 << 20;

export interface ShardRef {
  /** Relative to the manifest's address. */
  path: string;
  /** Compressed size and SHA-256 (hex) of the file as served. */
  bytes: number;
  sha256: string;
  /** Size once decompressed (the client stops reading beyond it). */
  rawBytes: number;
  originals: number;
  /** The shard's translation tier in a file of its own (absent: the shard has none; readers before it ignore it). */
  translate?: CompanionRef;
}

/** A file that goes with a shard: its address, size as served and SHA-256, and its size once decompressed. */
export interface CompanionRef {
  path: string;
  bytes: number;
  sha256: string;
  rawBytes: number;
}

export interface FullRef {
  version: number;
  originals: number;
  shards: ShardRef[];
}

export interface DeltaRef {
  from: number;
  to: number;
  /** Originals added (including changed ones) and ids removed. */
  originals: number;
  removed: number;
  shards: ShardRef[];
}

/**
 * A statement about the feed's keys, signed on its own so that it can be
 * carried from manifest to manifest (lib/feed/key-chain.ts): a rotation from
 * one key to the next, or a key's revocation.
 */
export interface KeyStatement {
  /** The statement's JSON text; signatures are over its exact UTF-8 bytes. */
  body: string;
  sigs: Array<{ key: string; sig: string }>;
}

export interface FeedKeys {
  /** The key ("ed25519:…") that signs this manifest. */
  signer: string;
  /** SHA-256 (hex) of the next key's "ed25519:…" text: only that key may then rotate the signer (pre-rotation). */
  next?: string;
  /** Rotations and revocations, oldest first. */
  statements: KeyStatement[];
}

export interface Manifest {
  format: 'provenance-feed';
  /** 2 since addresses and keys are signed; 1 is read only by the publisher's tool (its own older folders). */
  formatVersion: 1 | 2;
  /** Stable id of the feed (letters, digits, . _ -). */
  feed: string;
  title?: string;
  /** Increases with every publication; at most maxVersionAt(created) (no fast-forward). */
  version: number;
  created: string;
  /** After this the client treats the feed as stale (a frozen feed is not silently trusted); at most MAX_LIFETIME_DAYS after created. */
  expires: string;
  /** Addresses of manifest.json where the publisher serves this feed: a client subscribed at another refuses it (empty only in format 1). */
  urls: string[];
  /** The signing key, the committed next key and the key statements (absent only in format 1). */
  keys?: FeedKeys;
  params: FingerprintParams;
  /** Registry of outlets the feed's originals name (SHA-256 of the file as served). */
  registry?: { path: string; bytes: number; sha256: string };
  full: FullRef;
  /** Deltas into this version from recent earlier ones, newest last; each to ≤ version. */
  deltas: DeltaRef[];
}

export interface ShardHead {
  format: 'provenance-shard';
  feed: string;
  /** The version this shard belongs to and, for a delta, the one it applies to. */
  version: number;
  kind: 'full' | 'delta';
  from?: number;
  /** Position of this shard in its segment, and the segment's size. */
  part: number;
  parts: number;
  docBase: number;
  segmentOriginals: number;
  /** The segment's index header (params, counts). */
  header: IndexHeader;
  /** Delta only, in part 0: ids of originals that this version removes or replaces. */
  removed?: string[];
}

export type FeedErrorCode =
  | 'insecure'
  | 'http'
  | 'timeout'
  | 'too-large'
  | 'signature'
  | 'format'
  | 'rollback'
  | 'replay'
  | 'expired'
  | 'future'
  | 'size'
  | 'hash'
  | 'record'
  | 'params'
  | 'quota'
  | 'fast-forward'
  | 'lifetime'
  | 'address'
  | 'revoked'
  | 'other';

/** Why a feed was refused, in words a reader can act on. */
export class FeedError extends Error {
  override name = 'FeedError';
  constructor(
    readonly code: FeedErrorCode,
    message: string,
    /** Seconds to wait before trying again, from the server's Retry-After. */
    readonly retryAfter?: number,
    /** The HTTP status, when a server answered with an error. */
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

/** A key whose signatures a feed no longer accepts: replaced by a rotation, or revoked. */
export interface RetiredKey {
  key: string;
  /** When (the statement's date). */
  at: string;
  why: 'rotated' | 'revoked';
  /** The key it was rotated to. */
  to?: string;
  /** The publisher's words, for a revocation. */
  reason?: string;
}

/** What a client trusts for one feed: its current key, the committed next key, and the keys it no longer accepts. */
export interface KeyTrust {
  key: string;
  next?: string;
  retired: RetiredKey[];
}

/** The feed's key was revoked: refused from then on. Carries the trust to keep (so that it is refused next time too). */
export class KeyRevokedError extends FeedError {
  constructor(
    message: string,
    readonly trust: KeyTrust,
    readonly revoked: RetiredKey,
    readonly feed: string,
  ) {
    super('revoked', message);
  }
}

const FEED_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Source ids the extension uses itself. */
const RESERVED_IDS = new Set(['bundled', 'bench']);
/** Limits on what a manifest may declare (a signed manifest is still checked: it sizes allocations). */
export const MAX_SHARD_BYTES = 512 << 20;
export const MAX_ORIGINALS = 50_000_000;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const PUBLIC_KEY = /^ed25519:[A-Za-z0-9+/]{43}=$/;
const DAY_MS = 86_400_000;

/** The longest a manifest may stay valid: a stolen or stale manifest cannot be replayed for long. */
export const MAX_LIFETIME_DAYS = 60;
/**
 * Fast-forward bound: a manifest created at time t may carry a version of at
 * most VERSIONS_PER_DAY × (days from VERSION_EPOCH to t). Versions are then
 * a counter bounded by the clock: one manifest with a huge version (signed by
 * mistake, or by a thief of the key) raises a client's floor at most to what
 * the clock allows at its `created`, which is never more than 10 minutes
 * ahead (later creation dates are refused), so the publisher's next manifests
 * pass it again within minutes instead of never.
 */
export const VERSIONS_PER_DAY = 1000;
export const VERSION_EPOCH = '2026-01-01T00:00:00.000Z';
export function maxVersionAt(created: string): number {
  return Math.max(0, Math.floor(((Date.parse(created) - Date.parse(VERSION_EPOCH)) / DAY_MS) * VERSIONS_PER_DAY));
}
/** When a version becomes allowed (the earliest `created` that may carry it), or undefined when no date can. */
export function earliestFor(version: number): string | undefined {
  const t = Date.parse(VERSION_EPOCH) + Math.ceil((version / VERSIONS_PER_DAY) * DAY_MS);
  return t <= 8.64e15 ? new Date(t).toISOString() : undefined;
}
/** Most addresses and key statements a manifest may list. */
const MAX_URLS = 8;
const MAX_STATEMENTS = 64;

/** Two manifest addresses are the same when their parsed forms are (case of the host, default port). */
export function sameAddress(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}
const SHARD_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

function fail(what: string): never {
  throw new FeedError('format', `manifest: ${what}`);
}
const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
function isoDate(v: unknown, field: string): string {
  if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(v) || Number.isNaN(Date.parse(v))) fail(`${field} must be an ISO date`);
  return v;
}

const isPlainPath = (p: unknown): p is string => typeof p === 'string' && SHARD_PATH.test(p) && !p.split('/').some((x) => x === '..' || x === '.');

function checkShards(list: unknown, where: string): ShardRef[] {
  if (!Array.isArray(list) || !list.length) fail(`${where}.shards must be a non-empty list`);
  return list.map((x, i) => {
    const s = x as Partial<ShardRef> | null;
    const at = `${where}.shards[${i}]`;
    if (!isPlainPath(s?.path)) fail(`${at}.path is not a plain relative path`);
    if (!isCount(s!.bytes) || !isCount(s!.rawBytes) || !isCount(s!.originals)) fail(`${at}: bytes, rawBytes and originals must be counts`);
    if (s!.bytes > MAX_SHARD_BYTES || s!.rawBytes > MAX_SHARD_BYTES || s!.originals > MAX_ORIGINALS) fail(`${at}: larger than a shard may be`);
    if (typeof s!.sha256 !== 'string' || !SHA256_HEX.test(s!.sha256)) fail(`${at}.sha256 must be 64 hex digits`);
    let translate: CompanionRef | undefined;
    if (s!.translate !== undefined) {
      const t = s!.translate as Partial<CompanionRef> | null;
      if (!t || !isPlainPath(t.path) || !isCount(t.bytes) || !isCount(t.rawBytes) || t.bytes > MAX_SHARD_BYTES || t.rawBytes > MAX_SHARD_BYTES || typeof t.sha256 !== 'string' || !SHA256_HEX.test(t.sha256))
        fail(`${at}.translate must be {path, bytes, sha256, rawBytes} of a file`);
      translate = { path: t.path, bytes: t.bytes, sha256: t.sha256, rawBytes: t.rawBytes };
    }
    return { path: s!.path!, bytes: s!.bytes!, sha256: s!.sha256!, rawBytes: s!.rawBytes!, originals: s!.originals!, ...(translate ? { translate } : {}) };
  });
}

function checkKeys(k: unknown): FeedKeys {
  const keys = k as Partial<FeedKeys> | null;
  if (!keys || typeof keys !== 'object') fail('keys must name the signing key');
  if (typeof keys.signer !== 'string' || !PUBLIC_KEY.test(keys.signer)) fail('keys.signer must be an "ed25519:…" key');
  if (keys.next !== undefined && (typeof keys.next !== 'string' || !SHA256_HEX.test(keys.next))) fail('keys.next must be 64 hex digits');
  if (!Array.isArray(keys.statements) || keys.statements.length > MAX_STATEMENTS) fail(`keys.statements must be a list of at most ${MAX_STATEMENTS}`);
  const statements = keys.statements.map((x, i) => {
    const st = x as Partial<KeyStatement> | null;
    if (!st || typeof st.body !== 'string' || st.body.length > 4096) fail(`keys.statements[${i}].body must be text`);
    if (!Array.isArray(st.sigs) || !st.sigs.length || st.sigs.length > 4) fail(`keys.statements[${i}].sigs must list 1–4 signatures`);
    const sigs = st.sigs.map((g) => {
      if (!g || typeof g.key !== 'string' || !PUBLIC_KEY.test(g.key) || typeof g.sig !== 'string' || g.sig.length > 200) fail(`keys.statements[${i}]: bad signature entry`);
      return { key: g.key, sig: g.sig };
    });
    return { body: st.body, sigs };
  });
  return { signer: keys.signer, ...(keys.next ? { next: keys.next } : {}), statements };
}

export interface ParseOptions {
  /** The publisher's tool reading its own folder: format 1 (no addresses, no keys) is read too. */
  legacy?: boolean;
}

/** Parses and checks a manifest's structure and limits (not its signature, its dates against the clock, or its address). */
export function parseManifest(bytes: Uint8Array, options: ParseOptions = {}): Manifest {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    fail(`not valid JSON (${(e as Error).message})`);
  }
  const m = v as Partial<Manifest> | null;
  if (!m || typeof m !== 'object' || m.format !== 'provenance-feed') fail('not a provenance feed');
  if (m.formatVersion === 1 && !options.legacy)
    fail('format version 1 is no longer accepted: it does not sign the address the feed is published at or the key that signs it; the publisher must republish the feed with the current `index` tool (format 2)');
  if (m.formatVersion !== 2 && !(m.formatVersion === 1 && options.legacy)) fail(`unsupported format version ${String(m.formatVersion)}`);
  if (typeof m.feed !== 'string' || !FEED_ID.test(m.feed)) fail('feed id must be 1–64 letters, digits, ".", "_" or "-"');
  if (RESERVED_IDS.has(m.feed)) fail(`feed id "${m.feed}" is reserved`);
  if (!isCount(m.version) || m.version < 1) fail('version must be a positive integer');
  isoDate(m.created, 'created');
  isoDate(m.expires, 'expires');
  if (Date.parse(m.expires!) <= Date.parse(m.created!)) fail('expires must be after created');
  const lifetime = (Date.parse(m.expires!) - Date.parse(m.created!)) / DAY_MS;
  if (lifetime > MAX_LIFETIME_DAYS)
    throw new FeedError(
      'lifetime',
      `the manifest is valid for ${Math.round(lifetime)} days (created ${m.created}, expires ${m.expires}); at most ${MAX_LIFETIME_DAYS} days are accepted, so that a stale or stolen manifest cannot stay in use for long`,
    );
  const maxVersion = maxVersionAt(m.created!);
  if (m.version! > maxVersion)
    throw new FeedError(
      'fast-forward',
      `version ${m.version} is higher than a manifest created ${m.created} may carry (at most ${maxVersion}: ${VERSIONS_PER_DAY} versions a day since ${VERSION_EPOCH.slice(0, 10)}); refused, so that one manifest cannot lock the feed out of later versions`,
    );
  let urls: string[] = [];
  let keys: FeedKeys | undefined;
  if (m.formatVersion === 2) {
    if (!Array.isArray(m.urls) || !m.urls.length || m.urls.length > MAX_URLS) fail(`urls must list 1–${MAX_URLS} addresses of manifest.json`);
    urls = m.urls.map((u, i) => {
      let parsed: URL | undefined;
      try {
        parsed = typeof u === 'string' && u.length <= 2048 ? new URL(u) : undefined;
      } catch {
        parsed = undefined;
      }
      if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) fail(`urls[${i}] is not an http(s) address`);
      return parsed.href;
    });
    keys = checkKeys(m.keys);
  }
  const p = m.params;
  if (!p || !Number.isInteger(p.k) || !Number.isInteger(p.w) || p.k < 1 || p.w < 1) fail('bad params');
  if (m.title !== undefined && typeof m.title !== 'string') fail('title must be text');
  const full = m.full as Partial<FullRef> | undefined;
  if (!full || full.version !== m.version || !isCount(full.originals) || full.originals > MAX_ORIGINALS) fail('full must describe this version');
  const shards = checkShards(full.shards, 'full');
  if (shards.reduce((n, s) => n + s.originals, 0) !== full.originals) fail('full: shard originals do not add up');
  if (!Array.isArray(m.deltas)) fail('deltas must be a list');
  const deltas = m.deltas.map((x, i) => {
    const d = x as Partial<DeltaRef> | null;
    if (!d || !isCount(d.from) || !isCount(d.to) || d.from >= d.to || d.to > m.version!) fail(`deltas[${i}]: from < to ≤ version`);
    if (!isCount(d.originals) || !isCount(d.removed)) fail(`deltas[${i}]: originals and removed must be counts`);
    return { from: d.from, to: d.to, originals: d.originals, removed: d.removed, shards: checkShards(d.shards, `deltas[${i}]`) };
  });
  let registry: Manifest['registry'];
  if (m.registry !== undefined) {
    const r = m.registry;
    if (!r || !isPlainPath(r.path) || !isCount(r.bytes) || r.bytes > 16 << 20 || typeof r.sha256 !== 'string' || !SHA256_HEX.test(r.sha256))
      fail('bad registry entry');
    registry = { path: r.path, bytes: r.bytes, sha256: r.sha256 };
  }
  return {
    format: 'provenance-feed',
    formatVersion: m.formatVersion,
    feed: m.feed,
    ...(m.title !== undefined ? { title: m.title } : {}),
    version: m.version,
    created: m.created!,
    expires: m.expires!,
    urls,
    ...(keys ? { keys } : {}),
    params: { k: p.k, w: p.w },
    ...(registry ? { registry } : {}),
    full: { version: full.version, originals: full.originals, shards },
    deltas,
  };
}

// ---- bytes, hashes, keys ------------------------------------------------------------------------

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
  const bin = atob(text.trim());
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A public key as written in KEY.pub and typed into the options: "ed25519:" and 32 bytes in base64. */
export function parsePublicKey(text: string): Uint8Array {
  const m = /^\s*ed25519:([A-Za-z0-9+/]{43}=)\s*$/.exec(text);
  if (!m) throw new FeedError('signature', 'the public key must look like "ed25519:" followed by 44 base64 characters');
  return fromBase64(m[1]!);
}

export function formatPublicKey(raw: Uint8Array): string {
  return `ed25519:${toBase64(raw)}`;
}

/** Whether `signature` (base64) is publicKey's Ed25519 signature over `bytes`; throws FeedError('signature') when it is no signature at all. */
export async function signatureHolds(bytes: Uint8Array, signature: string, publicKey: string): Promise<boolean> {
  const raw = parsePublicKey(publicKey);
  let sig: Uint8Array;
  try {
    sig = fromBase64(signature);
  } catch {
    throw new FeedError('signature', 'the signature file is not base64');
  }
  if (sig.length !== 64) throw new FeedError('signature', 'the signature file does not hold an Ed25519 signature');
  const key = await crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'Ed25519' }, key, sig as Uint8Array<ArrayBuffer>, bytes as Uint8Array<ArrayBuffer>);
}

/** Checks the detached signature over the exact manifest bytes; throws FeedError('signature') if it does not hold. */
export async function verifyManifest(manifest: Uint8Array, signature: string, publicKey: string): Promise<void> {
  if (!(await signatureHolds(manifest, signature, publicKey)))
    throw new FeedError('signature', 'the manifest is not signed by this feed’s key (it was altered, or signed with another key)');
}

/** The digest a manifest commits to for the next key: SHA-256 (hex) of its "ed25519:…" text. */
export function keyDigest(publicKey: string): Promise<string> {
  return sha256Hex(utf8.encode(publicKey.trim()));
}

/** A key shortened for messages: "ed25519:AbCdEf…". */
export const shortKey = (k: string) => `${k.slice(0, 16)}…`;

// ---- shards -------------------------------------------------------------------------------------

const SHARD_MAGIC = [0x50, 0x46, 0x53, 0x31]; // PFS1
const utf8 = new TextEncoder();

/**
 * The raw (uncompressed) bytes of one shard. `slice` holds the shard's
 * originals numbered from 0, with groups numbered in the whole segment
 * (sliceIndex(…, 'whole')); head.docBase is the slice's place in it.
 */
export function encodeShard(head: ShardHead, slice: MemoryIndex, withText: boolean): Uint8Array {
  const metas = slice.metas.map((m) => encodeMeta(m, head.docBase));
  const postings = encodePostings(slice.hashes, slice.offsets, slice.docs);
  let texts = '';
  if (withText) slice.texts.forEach((text, doc) => text !== undefined && (texts += JSON.stringify({ doc, text }) + '\n'));
  const sections = [utf8.encode(JSON.stringify(head)), utf8.encode(metas.join('\n') + (metas.length ? '\n' : '')), postings, utf8.encode(texts)];
  if (head.header.rewrite) {
    const r = slice.postings('rewrite');
    sections.push(encodePostings(r.hashes, r.offsets, r.docs));
  }
  const w = new ByteWriter(sections.reduce((n, s) => n + s.length + 5, 8));
  for (const x of SHARD_MAGIC) w.varint(x);
  const parts: Uint8Array[] = [];
  for (const s of sections) {
    w.varint(s.length);
    parts.push(w.bytes(), s);
    w.length = 0;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface DecodedShard {
  head: ShardHead;
  /** The shard's originals and postings, docs numbered within the shard. */
  index: MemoryIndex;
}

/** The raw bytes of a shard's translation file: the postings of its slice's translation tier (docs within the shard). */
export function encodeTranslateFile(slice: MemoryIndex): Uint8Array | undefined {
  if (!slice.header.translate || !slice.translatePostings) return undefined;
  const t = slice.translatePostings;
  return encodePostings(t.hashes, t.offsets, t.docs);
}

/**
 * Decodes one shard (with its translation file's raw bytes, when it has one); any malformed part or
 * record throws FeedError('record') and the whole shard is refused.
 */
export function decodeShard(raw: Uint8Array, where: string, translate?: Uint8Array): DecodedShard {
  try {
    const r = new ByteReader(raw);
    for (const x of SHARD_MAGIC) if (r.varint() !== x) throw new IndexFormatError('not a feed shard');
    const section = () => {
      const n = r.varint();
      if (r.pos + n > raw.length) throw new IndexFormatError('section longer than the shard');
      const s = raw.subarray(r.pos, r.pos + n);
      r.pos += n;
      return s;
    };
    const dec = new TextDecoder('utf-8', { fatal: true });
    const headBytes = section();
    const originals = dec.decode(section());
    const postings = section();
    const texts = dec.decode(section());
    const rewrite = r.done ? undefined : section();
    if (!r.done) throw new IndexFormatError('trailing bytes');
    let head: ShardHead;
    try {
      head = JSON.parse(dec.decode(headBytes)) as ShardHead;
    } catch {
      throw new IndexFormatError('shard head is not JSON');
    }
    if (!head || head.format !== 'provenance-shard' || (head.kind !== 'full' && head.kind !== 'delta')) throw new IndexFormatError('bad shard head');
    for (const k of ['version', 'part', 'parts', 'docBase', 'segmentOriginals'] as const)
      if (!isCount(head[k])) throw new IndexFormatError(`shard head: ${k} must be a count`);
    if (head.removed !== undefined && (!Array.isArray(head.removed) || !head.removed.every((x) => typeof x === 'string')))
      throw new IndexFormatError('shard head: removed must be a list of ids');
    const count = originals.split('\n').filter((l) => l.trim()).length;
    const header = JSON.stringify({ ...head.header, originals: count });
    const index = decodeIndex({ header, originals, postings, texts, rewrite, ...(translate ? { translate } : {}) }, { docBase: head.docBase, groups: head.segmentOriginals });
    return { head, index };
  } catch (e) {
    if (e instanceof FeedError) throw e;
    throw new FeedError('record', `${where}: ${(e as Error).message}; the whole shard is refused`);
  }
}

/** Joins the decoded shards of one segment (in part order) into one index with docs 0 … n−1. */
export function joinShards(shards: DecodedShard[]): MemoryIndex {
  if (!shards.length) throw new FeedError('format', 'a segment without shards');
  const first = shards[0]!.head;
  let docBase = 0;
  shards.forEach((s, i) => {
    const h = s.head;
    if (h.part !== i || h.parts !== shards.length || h.docBase !== docBase || h.version !== first.version || h.kind !== first.kind || h.feed !== first.feed || h.segmentOriginals !== first.segmentOriginals)
      throw new FeedError('format', `shard ${i} does not follow shard ${i - 1} of the same segment`);
    docBase += s.index.metas.length;
  });
  if (docBase !== first.segmentOriginals) throw new FeedError('format', `the shards hold ${docBase} originals, the segment ${first.segmentOriginals}`);
  if (shards.length === 1) return shards[0]!.index;
  const v = mergePostings(shards.map((s) => [s.index.postings('verbatim'), s.head.docBase]));
  const r = first.header.rewrite ? mergePostings(shards.map((s) => [s.index.postings('rewrite'), s.head.docBase])) : undefined;
  // The translation tier when every shard brought its part (a segment with a part missing has none).
  const t = first.header.translate && shards.every((s) => s.index.translatePostings) ? mergePostings(shards.map((s) => [s.index.postings('translate'), s.head.docBase])) : undefined;
  const metas = shards.flatMap((s) => s.index.metas.map((m) => ({ ...m, doc: m.doc + s.head.docBase })));
  const texts: Array<string | undefined> = [];
  for (const s of shards) s.index.texts.forEach((t, d) => (texts[d + s.head.docBase] = t));
  const header: IndexHeader = { ...first.header, originals: metas.length, distinctHashes: v.hashes.length, postings: v.docs.length };
  if (r && header.rewrite) header.rewrite = { ...header.rewrite, distinctHashes: r.hashes.length, postings: r.docs.length };
  if (t && header.translate) header.translate = { ...header.translate, distinctHashes: t.hashes.length, postings: t.docs.length };
  else delete header.translate;
  return new MemoryIndex(header, metas, v.hashes, v.offsets, v.docs, texts, r, t);
}

/** Concatenates the per-shard lists of each hash (docs stay ascending: shard i's docs precede shard i+1's). */
function mergePostings(parts: Array<[Postings, number]>): Postings {
  const total = parts.reduce((n, [p]) => n + p.docs.length, 0);
  const pos = parts.map(() => 0);
  const hashes: number[] = [];
  const offsets: number[] = [0];
  const docs = new Uint32Array(total);
  let at = 0;
  for (;;) {
    let h = Infinity;
    parts.forEach(([p], i) => {
      if (pos[i]! < p.hashes.length) h = Math.min(h, p.hashes[pos[i]!]!);
    });
    if (h === Infinity) break;
    parts.forEach(([p, base], i) => {
      if (pos[i]! < p.hashes.length && p.hashes[pos[i]!] === h) {
        for (let j = p.offsets[pos[i]!]!; j < p.offsets[pos[i]! + 1]!; j++) docs[at++] = p.docs[j]! + base;
        pos[i]!++;
      }
    });
    hashes.push(h);
    offsets.push(at);
  }
  return { hashes: Uint32Array.from(hashes), offsets: Uint32Array.from(offsets), docs };
}

/** Decompresses gzip bytes, refusing output longer than `limit` (a "gzip bomb") or different from it when `exact`. */
export async function gunzip(bytes: Uint8Array, limit: number, exact = true): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const out = new Uint8Array(limit);
  let at = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (at + value.length > limit) {
        await reader.cancel();
        throw new FeedError('size', `a shard decompresses to more than the ${limit} bytes declared`);
      }
      out.set(value, at);
      at += value.length;
    }
  } catch (e) {
    if (e instanceof FeedError) throw e;
    throw new FeedError('record', `a shard is not valid gzip (${(e as Error).message})`);
  }
  if (exact && at !== limit) throw new FeedError('size', `a shard decompresses to ${at} bytes, ${limit} declared`);
  return out.subarray(0, at);
}
