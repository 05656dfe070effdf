import type { FingerprintParams } from '../fingerprint';
import type { RewriteParams } from '../rewrite/grams';

/** One original article as given to the index builder (one JSONL line). */
export interface OriginalInput {
  id: string;
  outlet: string;
  url: string;
  title: string;
  published: string;
  lang: string;
  text: string;
}

/** An original as the index keeps it (no text). `doc` is its small integer id. */
export interface OriginalMeta {
  doc: number;
  id: string;
  outlet: string;
  url: string;
  title: string;
  published: string;
  lang: string;
  /** Length in matching units. */
  units: number;
  /** Distinct fingerprints kept in the postings (after stop-hashes). */
  fps: number;
  /** Rewrite-tier grams kept in the postings (its sketch, after stop-hashes; indexes with the rewrite tier only). */
  fps2?: number;
  /** Distinct rewrite-tier grams of the original's text (what the sketch samples). */
  grams?: number;
  /** Syndication group: originals that are near-copies of each other share it. */
  group: number;
  /** Content hash of the text (lib/index/text-sha.ts); absent in indexes built before it existed. */
  sha?: string;
}

export interface IndexHeader {
  format: 'provenance-index';
  version: 1;
  params: FingerprintParams;
  created: string;
  originals: number;
  distinctHashes: number;
  postings: number;
  stopHashes: number;
  /**
   * Present when the index carries the rewrite tier (postings-rewrite.bin): its parameters and counts,
   * and the grams of wording that many of its originals use (sorted), which do not count as shared wording.
   */
  rewrite?: RewriteParams & { distinctHashes: number; postings: number; stopHashes: number; common?: number[] };
  /**
   * Present when the index carries the translation tier (postings-translate.bin, lib/translate/keys.ts):
   * a sketch of language-neutral keys per original, for finding translated copies.
   */
  translate?: { version: number; distinctHashes: number; postings: number };
}

/** The two tiers of postings: k-gram fingerprints (verbatim) and content-term grams (rewrite). */
export type Tier = 'verbatim' | 'rewrite' | 'translate';

/** Postings in three flat arrays: sorted distinct hashes, offsets into docs, docs ascending per hash. */
export interface Postings {
  hashes: Uint32Array;
  offsets: Uint32Array;
  docs: Uint32Array;
}

export interface LookupOptions {
  /** Lists of more docs than this come back empty (a reader may then skip reading them at all). */
  maxDocs?: number;
}

/**
 * The narrow read interface the matcher needs. The in-memory/file index of the
 * command-line tools and the Dexie store of the extension both implement it.
 */
export interface IndexReader {
  readonly params: FingerprintParams;
  /** The rewrite tier's parameters, when the index carries that tier. */
  readonly rewrite?: RewriteParams;
  /**
   * Grams of wording that many originals of the doc's own index segment use (not evidence of
   * rewriting). Per segment: one feed's list never silences another's originals.
   */
  commonGramsOf?(doc: number): ReadonlySet<number> | undefined;
  /** The translation tier's key version, when the index carries that tier (lookups with tier 'translate' need it). */
  readonly translate?: { version: number };
  /** For each hash (same order), the docs of originals that carry it in the given tier (verbatim by default). */
  lookup(hashes: Uint32Array, tier?: Tier, options?: LookupOptions): Promise<Uint32Array[]>;
  /**
   * For each hash, whether the verbatim tier may hold it (in any segment, or with `doc` in that doc's
   * own): 0 means surely not. For a store whose rows cost a read each, kept as membership filters in
   * memory; undefined while they are not (every hash may then be present). A reader without it has
   * cheap lookups: the matcher then looks every hash up.
   */
  mayHold?(hashes: Uint32Array, doc?: number): Uint8Array | undefined;
  /** Metadata of the given docs (same order; undefined for unknown docs). */
  originals(docs: readonly number[]): Promise<Array<OriginalMeta | undefined>>;
  /** Full or partial text of an original, if the index carries it. */
  text(doc: number): Promise<string | undefined>;
}
