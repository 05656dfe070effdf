/**
 * The client side of feed sync, free of extension APIs so that it runs (and
 * is fault-tested) in Node as in the browser: read and verify the manifest,
 * choose a delta chain or a full download, fetch every shard with its size
 * and hash checked, decode it whole, write each segment as a staging
 * generation in small batches with a checkpoint after each, and switch the
 * active index in one transaction. Any failure leaves the last good index as
 * it was; a sync stopped part-way (the worker was killed) resumes from its
 * checkpoint when it runs again for the same manifest.
 */
import { readBodyUpTo } from './read-body';
import { parseRegistry, type Registry } from '../credit/registry';
import type { MemoryIndex } from '../index/memory-index';
import { retryAfterMs } from '../retry-after';
import { fnv1a } from '../link-key';
import {
  allocate,
  collectGarbage,
  commit,
  docsByKey,
  readOriginals,
  refreshShadow,
  discardStaging,
  replaceSource,
  segmentOf,
  sourceOf,
  withSource,
  writeSegment,
  type ActiveIndex,
  type SourceRecord,
  type IndexDb,
  type JobStep,
  type Segment,
  type SyncJob,
} from '../store/index-db';
import { followKeys, retiredSigner } from './key-chain';
import {
  decodeShard,
  FeedError,
  KeyRevokedError,
  sameAddress,
  shortKey,
  gunzip,
  joinShards,
  MANIFEST_FILE,
  MAX_MANIFEST_BYTES,
  parseManifest,
  sha256Hex,
  SIGNATURE_FILE,
  verifyManifest,
  type DeltaRef,
  type KeyTrust,
  type Manifest,
  type RetiredKey,
  type ShardRef,
} from './format';

/** Where a feed's files come from: over HTTP(S) in the extension, from a folder in `index verify`. */
export interface FeedSource {
  /** The file at `path` (relative to the manifest), refusing more than maxBytes. */
  get(path: string, maxBytes: number): Promise<Uint8Array>;
}

export interface Subscription {
  /** Address of manifest.json. */
  url: string;
  publicKey: string;
}

/** How far in the future a manifest's creation date may lie (clock skew). */
const MAX_SKEW_MS = 10 * 60_000;
/** More segments than this per feed and the next sync downloads the full index instead of a delta. */
export const MAX_SEGMENTS_PER_FEED = 8;

/** Loopback hosts, the only ones allowed over plain http. */
export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Checks a feed address: https anywhere, http only on this computer. */
export function checkFeedUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new FeedError('insecure', `"${url.slice(0, 200)}" is not a web address`);
  }
  if (u.protocol === 'https:') return u;
  if (u.protocol === 'http:' && isLoopback(u.hostname)) return u;
  if (u.protocol === 'http:')
    throw new FeedError('insecure', `plain http is refused for ${u.hostname}: the feed must use https (http is allowed only on this computer, 127.0.0.1 or localhost)`);
  throw new FeedError('insecure', `${u.protocol} addresses cannot serve a feed; use https`);
}

export interface HttpSourceOptions {
  fetch?: typeof fetch;
  /** Whole-request time limit, body included (a server that trickles bytes hits it). */
  timeoutMs?: number;
}

/** Reads a response body up to maxBytes, failing as soon as more arrive ("endless data"). */
function readCapped(res: Response, maxBytes: number, what: string): Promise<Uint8Array> {
  return readBodyUpTo(res, maxBytes, (declared) =>
    declared === undefined
      ? new FeedError('too-large', `${what} sends more than the ${maxBytes} bytes expected`)
      : new FeedError('too-large', `${what} is ${declared} bytes, more than the ${maxBytes} expected`),
  );
}

export function httpSource(manifestUrl: string, options: HttpSourceOptions = {}): FeedSource {
  const base = checkFeedUrl(manifestUrl);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 60_000;
  return {
    async get(path, maxBytes) {
      const url = path === MANIFEST_FILE ? base : new URL(path, base);
      checkFeedUrl(url.href);
      const what = url.pathname.split('/').pop() || url.href;
      const ctrl = new AbortController();
      const timer = setTimeout(() => ctrl.abort(), timeoutMs);
      try {
        const res = await doFetch(url.href, { signal: ctrl.signal, cache: 'no-cache', credentials: 'omit', redirect: 'error' });
        if (!res.ok) {
          const afterMs = retryAfterMs(res.headers.get('retry-after'), Date.now());
          const after = afterMs === undefined ? undefined : Math.ceil(afterMs / 1000);
          const why =
            res.status === 404 ? 'not found' : res.status === 429 ? 'too many requests' : res.status >= 500 ? 'server error' : res.statusText || 'refused';
          throw new FeedError('http', `${what}: HTTP ${res.status} (${why})`, after, res.status);
        }
        return await readCapped(res, maxBytes, what);
      } catch (e) {
        if (e instanceof FeedError) throw e;
        if (ctrl.signal.aborted) throw new FeedError('timeout', `${what}: no complete answer within ${Math.round(timeoutMs / 1000)} s`);
        throw new FeedError('http', `${what}: ${(e as Error).message || 'network error'}`);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export interface VerifiedManifest {
  manifest: Manifest;
  bytes: Uint8Array;
  sha256: string;
  /** What to trust for the feed once this manifest is installed (its signing key, the committed next key, keys left behind). */
  trust: KeyTrust;
  /** Key rotations followed to reach the signing key. */
  rotated: RetiredKey[];
}

/** The JSON of a manifest not yet checked, for its feed id and key statements (the signature is checked next). */
function peek(bytes: Uint8Array): { feed: string; statements: unknown } {
  try {
    const v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as { feed?: unknown; keys?: { statements?: unknown } } | null;
    return { feed: typeof v?.feed === 'string' ? v.feed : '', statements: v?.keys?.statements };
  } catch {
    return { feed: '', statements: undefined };
  }
}

export interface ReadOptions {
  /** The address the reader subscribed at: the manifest must name it. */
  url?: string;
}

/**
 * Fetches manifest and signature; follows the feed's key statements from
 * what the client trusts (`trustOf` the feed id the manifest gives, checked
 * by the signature next); checks the signature with the key reached, the
 * structure and limits, the dates, and the address.
 */
export async function readManifest(src: FeedSource, trustOf: (feed: string) => KeyTrust | Promise<KeyTrust>, now: number, options: ReadOptions = {}): Promise<VerifiedManifest> {
  const bytes = await src.get(MANIFEST_FILE, MAX_MANIFEST_BYTES);
  const sigBytes = await src.get(SIGNATURE_FILE, 1024).catch((e: unknown) => {
    if (e instanceof FeedError && e.code === 'http' && /404/.test(e.message)) throw new FeedError('signature', 'the feed has no signature (manifest.json.sig is missing)');
    throw e;
  });
  const sig = new TextDecoder().decode(sigBytes);
  const seen = peek(bytes);
  const { trust, rotated } = await followKeys(seen.statements, seen.feed, await trustOf(seen.feed));
  try {
    await verifyManifest(bytes, sig, trust.key);
  } catch (e) {
    // Signed with a key the feed left behind: say so.
    const old = e instanceof FeedError && e.code === 'signature' ? await retiredSigner(bytes, sig, trust.retired) : undefined;
    if (old)
      throw new FeedError(
        'revoked',
        `the manifest is signed with the key ${shortKey(old.key)}, which the publisher ${old.why === 'rotated' ? `replaced with ${shortKey(old.to ?? '')}` : 'revoked'} on ${old.at.slice(0, 10)}: refused`,
      );
    throw e;
  }
  const manifest = parseManifest(bytes);
  const keys = manifest.keys!;
  if (keys.signer !== trust.key) throw new FeedError('signature', `the manifest names ${shortKey(keys.signer)} as its signing key, but is signed by ${shortKey(trust.key)}: refused`);
  // The committed next key changes only through a rotation that key signs.
  if (trust.next && keys.next !== trust.next)
    throw new FeedError('signature', 'the manifest changes the next key the feed committed to, without a rotation signed by that key: refused (a thief of the current key cannot take the feed over)');
  const after: KeyTrust = { ...trust, ...(keys.next ? { next: keys.next } : {}) };
  if (Date.parse(manifest.created) > now + MAX_SKEW_MS)
    throw new FeedError('future', `the manifest is dated ${manifest.created}, in the future: refused (check the computer's clock)`);
  if (Date.parse(manifest.expires) <= now)
    throw new FeedError('expired', `the feed expired on ${manifest.expires} (the publisher has not renewed it): the index you have is kept, but may be out of date`);
  if (options.url !== undefined && !manifest.urls.some((u) => sameAddress(u, options.url!)))
    throw new FeedError(
      'address',
      `the feed is published at ${manifest.urls.join(', ')}, not at ${options.url} where you subscribed: refused (a feed copied to another address cannot be served there)`,
    );
  return { manifest, bytes, sha256: await sha256Hex(bytes), trust: after, rotated };
}

/** Downloads one shard and checks its size and SHA-256. */
export async function fetchShard(src: FeedSource, ref: Pick<ShardRef, 'path' | 'bytes' | 'sha256'>): Promise<Uint8Array> {
  const bytes = await src.get(ref.path, ref.bytes);
  if (bytes.length !== ref.bytes) throw new FeedError('size', `shard ${ref.path} is ${bytes.length} bytes, the manifest says ${ref.bytes} (truncated?)`);
  if ((await sha256Hex(bytes)) !== ref.sha256) throw new FeedError('hash', `shard ${ref.path} does not match its SHA-256 in the manifest (altered or corrupted)`);
  return bytes;
}

export interface LoadedSegment {
  index: MemoryIndex;
  removed: string[];
}

/** Downloads, checks and decodes the shards of one segment (a full index or a delta). */
export async function loadSegment(src: FeedSource, manifest: Manifest, step: { kind: 'full' | 'delta'; from?: number; to: number; shards: ShardRef[] }): Promise<LoadedSegment> {
  const decoded = [];
  for (const ref of step.shards) {
    const raw = await gunzip(await fetchShard(src, ref), ref.rawBytes);
    // The shard's translation tier, a file of its own, checked like the shard (the signed manifest names its hash).
    const translate = ref.translate ? await gunzip(await fetchShard(src, ref.translate), ref.translate.rawBytes) : undefined;
    const shard = decodeShard(raw, `shard ${ref.path}`, translate);
    const h = shard.head;
    if (h.feed !== manifest.feed || h.kind !== step.kind || h.version !== step.to || (step.kind === 'delta' && h.from !== step.from))
      throw new FeedError('format', `shard ${ref.path} belongs to another feed or version`);
    if (shard.index.metas.length !== ref.originals) throw new FeedError('format', `shard ${ref.path} holds ${shard.index.metas.length} originals, the manifest says ${ref.originals}`);
    if (h.header.params.k !== manifest.params.k || h.header.params.w !== manifest.params.w) throw new FeedError('params', `shard ${ref.path} uses other fingerprint parameters than its manifest`);
    decoded.push(shard);
  }
  return { index: joinShards(decoded), removed: decoded[0]?.head.removed ?? [] };
}

/** Deltas leading from `from` to `to`, or undefined when the manifest has no such chain. */
export function deltaChain(deltas: DeltaRef[], from: number, to: number): DeltaRef[] | undefined {
  const chain: DeltaRef[] = [];
  let at = from;
  while (at < to) {
    // The longest jump available from here.
    const next = deltas.filter((d) => d.from === at).sort((a, b) => b.to - a.to)[0];
    if (!next) return undefined;
    chain.push(next);
    at = next.to;
  }
  return at === to ? chain : undefined;
}

export interface SyncDeps {
  db: IndexDb;
  now?: () => number;
  /** Rows per write batch. */
  batch?: number;
  /** Called between write batches: the extension yields there so that open pages stay responsive. */
  pause?: () => Promise<void>;
  /** Told what the sync is doing (for the popup). */
  onStage?: (stage: string) => void;
  /** Told the feed's verified manifest (its id, for the status). */
  onManifest?: (manifest: Manifest) => void;
  /** The highest version installed before from this feed id and key, kept outside the index database. */
  floorFor?: (feed: string, publicKey: string) => Promise<number | undefined>;
  /** What the client trusts for a feed's keys, kept outside the index database (a rebuilt database forgets no rotation or revocation). */
  trustFor?: (feed: string) => Promise<KeyTrust | undefined>;
  saveTrust?: (feed: string, trust: KeyTrust) => Promise<void>;
}

export type SyncOutcome =
  | { status: 'installed'; feed: string; version: number; from?: number; kind: 'full' | 'delta'; originals: number; resumed: boolean; expires: string; publicKey: string; rotated: RetiredKey[] }
  | { status: 'up-to-date'; feed: string; version: number; expires: string; publicKey: string; rotated: RetiredKey[] };

/** The trust a source record keeps, or undefined for a record from before keys were kept (or the bundled index). */
export function trustOfRecord(rec: SourceRecord | undefined): KeyTrust | undefined {
  if (!rec?.publicKey) return undefined;
  return { key: rec.publicKey, ...(rec.nextKey ? { next: rec.nextKey } : {}), retired: rec.retiredKeys ?? [] };
}

/** Whether `key` is the trusted key of `trust` or one it left behind (the same publisher). */
const knows = (trust: KeyTrust | undefined, key: string) => !!trust && (trust.key === key || trust.retired.some((r) => r.key === key));

const isStorageFull = (e: unknown) => {
  const err = e as { name?: string; inner?: { name?: string }; message?: string };
  return err?.name === 'QuotaExceededError' || err?.inner?.name === 'QuotaExceededError' || /quota/i.test(err?.message ?? '');
};

/**
 * Syncs one feed into the store. Throws FeedError with the reason when the
 * feed is refused or unreachable; the active index is then unchanged.
 */
export async function syncFeed(deps: SyncDeps, src: FeedSource, sub: Subscription): Promise<SyncOutcome> {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  deps.onStage?.('manifest');
  // Rows of replaced generations that a stopped worker did not finish deleting.
  await collectGarbage(db);
  const subKey = sub.publicKey.trim();
  const before = await db.active();
  // What to trust for the feed's keys: what was kept for it (outside the database, else in its record) when the
  // subscription's key is one of its keys; the subscription's key for a feed not installed.
  const trustOf = async (feed: string): Promise<KeyTrust> => {
    const kept = await deps.trustFor?.(feed);
    const fromRecord = trustOfRecord(sourceOf(before, feed));
    if (knows(kept, subKey)) return kept!;
    if (knows(fromRecord, subKey)) return fromRecord!;
    return { key: subKey, retired: [] };
  };
  let verified: VerifiedManifest;
  try {
    verified = await readManifest(src, trustOf, now(), { url: sub.url });
  } catch (e) {
    // A revocation holds from now on, whatever else happens: kept outside the database and marked on the installed feed.
    if (e instanceof KeyRevokedError) await keepRevocation(deps, e).catch(() => undefined);
    throw e;
  }
  const { manifest, sha256, trust } = verified;
  deps.onManifest?.(manifest);
  const active = await db.active();
  const installed = sourceOf(active, manifest.feed);
  // A feed id belongs to the key that first installed it (and the keys it rotated to): another publisher cannot take it over.
  if (installed?.publicKey && !knows(trust, installed.publicKey))
    throw new FeedError('signature', `feed "${manifest.feed}" is installed from another publisher's key: refused`);
  if (installed?.manifestSha256 && installed.manifestSha256 === sha256) {
    // A job left by a worker stopped between the switch and its clean-up is done.
    if ((await db.jobs.get(manifest.feed))?.manifestSha256 === sha256) await db.jobs.delete(manifest.feed);
  }
  // The highest version ever installed from this feed and key (or a key it rotated from), kept outside the index
  // database: a rebuilt database or a re-added feed does not reopen the door to older versions.
  const floors = await Promise.all([trust.key, ...trust.retired.map((r) => r.key)].map((k) => deps.floorFor?.(manifest.feed, k)));
  const known = floors.filter((f): f is number => f !== undefined);
  const floor = known.length ? Math.max(...known) : undefined;
  if (floor !== undefined && manifest.version < floor)
    throw new FeedError('rollback', `the feed offers version ${manifest.version}, older than version ${floor} installed before: refused (an index is never rolled back)`);
  if (installed && installed.version > manifest.version)
    throw new FeedError('rollback', `the feed offers version ${manifest.version}, older than version ${installed.version} installed: refused (an index is never rolled back)`);
  if (installed && installed.version === manifest.version) {
    if (installed.manifestSha256 === sha256) return { status: 'up-to-date', feed: manifest.feed, version: manifest.version, expires: manifest.expires, publicKey: trust.key, rotated: [] };
    throw new FeedError('replay', `the feed offers a different manifest for version ${manifest.version}, which is already installed: refused`);
  }
  const others = (active?.segments ?? []).filter((s) => s.feed !== manifest.feed);
  if (others.length && (active!.params.k !== manifest.params.k || active!.params.w !== manifest.params.w))
    throw new FeedError('params', `the feed uses k=${manifest.params.k}, w=${manifest.params.w}; the installed index uses k=${active!.params.k}, w=${active!.params.w}`);

  // Plan: a chain of deltas from the installed version when there is one, else the full index.
  const own = (active?.segments ?? []).filter((s) => s.feed === manifest.feed);
  const chain = installed ? deltaChain(manifest.deltas, installed.version, manifest.version) : undefined;
  const useDeltas = !!chain && own.length + chain.length <= MAX_SEGMENTS_PER_FEED;
  const plan = useDeltas
    ? chain!.map((d) => ({ kind: 'delta' as const, from: d.from, to: d.to, shards: d.shards, originals: d.originals }))
    : [{ kind: 'full' as const, to: manifest.version, shards: manifest.full.shards, originals: manifest.full.originals }];

  // A job for this very manifest resumes; any other job of this feed is abandoned.
  let job = await db.jobs.get(manifest.feed);
  let resumed = false;
  if (job && (job.manifestSha256 !== sha256 || job.steps.length !== plan.length || job.steps.some((s, i) => s.kind !== plan[i]!.kind || s.to !== plan[i]!.to || s.from !== (plan[i] as { from?: number }).from))) {
    await abandonJob(db, manifest.feed);
    job = undefined;
  }
  if (job) resumed = true;
  else {
    // Generations and doc ranges are reserved only once each segment's shards have been checked (below).
    const steps: JobStep[] = plan.map((p) => ({ kind: p.kind, from: p.kind === 'delta' ? p.from : undefined, to: p.to, gen: -1, docBase: -1, progress: { bucket: 0, metas: 0 }, written: false }));
    job = { feed: manifest.feed, manifestSha256: sha256, steps, startedAt: new Date(now()).toISOString() };
    await db.jobs.put(job);
  }

  const discard = () => abandonJob(db, manifest.feed).catch(() => undefined);
  try {
    const segments: Segment[] = [];
    // Ids each delta removes, and the generations they may be removed from (those before it).
    const removals: Array<{ ids: string[]; from: Segment[] }> = [];
    for (let i = 0; i < plan.length; i++) {
      const step = job.steps[i]!;
      deps.onStage?.(`download ${step.kind}${step.kind === 'delta' ? ` ${step.from}→${step.to}` : ''}`);
      const seg = await loadSegment(src, manifest, plan[i]!);
      if (seg.index.metas.length !== plan[i]!.originals) throw new FeedError('format', `the ${step.kind} holds ${seg.index.metas.length} originals, the manifest says ${plan[i]!.originals}`);
      if (seg.removed.length) removals.push({ ids: seg.removed, from: [...own, ...segments] });
      if (step.gen < 0) {
        // Reserved and recorded together: a worker stopped in between leaves no generation that nothing owns.
        const n = seg.index.metas.length;
        await db.transaction('rw', db.state, db.jobs, async () => {
          Object.assign(step, await allocate(db, n));
          await db.jobs.put(job!);
        });
      }
      if (!step.written) {
        deps.onStage?.(`import ${step.kind}`);
        await writeSegment(db, step.gen, step.docBase, seg.index, {
          batch: deps.batch,
          from: step.progress,
          onProgress: async (done) => {
            step.progress = done;
            await db.jobs.put(job!);
            await deps.pause?.();
          },
        });
        step.written = true;
        await db.jobs.put(job);
      }
      segments.push(segmentOf(step.gen, step.docBase, manifest.feed, seg.index));
    }
    // The feed's outlet registry (names, domains, partners of its outlets), checked like a shard.
    let registry: Registry | undefined;
    if (manifest.registry) {
      const ref = manifest.registry;
      const bytes = await src.get(ref.path, ref.bytes);
      if (bytes.length !== ref.bytes || (await sha256Hex(bytes)) !== ref.sha256) throw new FeedError('hash', 'the feed’s outlet registry does not match its size and SHA-256 in the manifest');
      try {
        registry = parseRegistry(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
      } catch (e) {
        throw new FeedError('record', `the feed’s outlet registry is malformed (${(e as Error).message})`);
      }
    }
    deps.onStage?.('switch');
    // Removed ids: their docs in this feed's older segments and in earlier deltas of the chain
    // (a changed original is removed and added again by the same delta).
    const removedRows: Array<{ gen: number; doc: number }> = [];
    for (const r of removals) {
      // By the id tier (a hash may name other originals: the metadata says which are these ids).
      const ids = new Set(r.ids);
      const hits = await docsByKey(db, r.from, 'id', [...new Set(r.ids.map(fnv1a))]);
      const metas = await readOriginals(db, hits.map((h) => [h.seg, h.doc] as const));
      for (const [i, h] of hits.entries()) if (metas[i] && ids.has(metas[i].id)) removedRows.push({ gen: h.seg.gen, doc: h.doc });
    }
    const record: SourceRecord = {
      id: manifest.feed,
      ...(manifest.title ? { title: manifest.title } : {}),
      version: manifest.version,
      created: manifest.created,
      expires: manifest.expires,
      manifestSha256: sha256,
      publicKey: trust.key,
      ...(trust.next ? { nextKey: trust.next } : {}),
      ...(trust.retired.length ? { retiredKeys: trust.retired } : {}),
      installedAt: new Date(now()).toISOString(),
      ...(registry ? { registry } : {}),
    };
    await commit(db, (current) => {
      const currentOwn = (current?.segments ?? []).filter((s) => s.feed === manifest.feed);
      if (sourceOf(current, manifest.feed)?.version !== installed?.version) throw new FeedError('other', 'another sync changed this feed meanwhile');
      if (!useDeltas) return replaceSource(current, manifest.feed, segments, record);
      // Deltas: keep this feed's segments, add the new ones; a removed id is dropped where it was before its removal.
      const all = [...currentOwn.map((s) => ({ ...s, removed: [...s.removed] })), ...segments];
      for (const r of removedRows) {
        const s = all.find((x) => x.gen === r.gen);
        if (s && !s.removed.includes(r.doc)) s.removed.push(r.doc);
      }
      return replaceSource(current, manifest.feed, all, record);
    });
    await db.jobs.delete(manifest.feed);
    await deps.saveTrust?.(manifest.feed, trust);
    await refreshShadow(db);
    return {
      status: 'installed',
      feed: manifest.feed,
      version: manifest.version,
      ...(useDeltas ? { from: installed!.version } : {}),
      kind: useDeltas ? 'delta' : 'full',
      originals: plan.reduce((n, p) => n + p.originals, 0),
      resumed,
      expires: manifest.expires,
      publicKey: trust.key,
      rotated: verified.rotated,
    };
  } catch (e) {
    // Network trouble keeps the job (and what it wrote) for the next attempt; anything else starts over.
    const transient = e instanceof FeedError && (e.code === 'timeout' || (e.code === 'http' && (e.httpStatus === undefined || e.httpStatus >= 500 || e.httpStatus === 429 || e.httpStatus === 408)));
    if (!transient) await discard();
    if (isStorageFull(e)) throw new FeedError('quota', 'not enough storage space for the new index (the browser’s quota is full): the current index is kept');
    if (e instanceof FeedError) throw e;
    throw new FeedError('other', `import failed: ${(e as Error).message}`);
  }
}

/** Keeps a revocation: outside the index database, and on the installed feed's record (whose originals then lapse). */
async function keepRevocation(deps: SyncDeps, e: KeyRevokedError): Promise<void> {
  const feed = e.feed;
  if (!feed) return;
  await deps.saveTrust?.(feed, e.trust);
  const active = await deps.db.active();
  const rec = sourceOf(active, feed);
  if (!rec || rec.revoked) return;
  await commit(deps.db, (current) => {
    const now = sourceOf(current, feed);
    if (!now) return current!;
    const { nextKey: _next, ...rest } = now;
    const record: SourceRecord = { ...rest, publicKey: e.trust.key, ...(e.trust.next ? { nextKey: e.trust.next } : {}), retiredKeys: e.trust.retired, revoked: e.revoked };
    return { ...current!, sources: withSource(current!.sources, feed, record) };
  });
}

/** Drops a feed's unfinished import: its staging generations and its checkpoint. */
export async function abandonJob(db: IndexDb, feed: string): Promise<void> {
  const job = await db.jobs.get(feed);
  for (const s of job?.steps ?? []) await discardStaging(db, s.gen);
  await db.jobs.delete(feed);
}

/** Whether an installed feed's manifest has expired (its index is then shown as stale). */
export function isStale(active: ActiveIndex | undefined, feed: string, now: number): boolean {
  const exp = sourceOf(active, feed)?.expires;
  return !!exp && Date.parse(exp) <= now;
}
