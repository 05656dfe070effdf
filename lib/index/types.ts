import type { FingerprintParams } from '../fingerprint';

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
}

/**
 * The narrow read interface the matcher needs. The in-memory/file index of the
 * command-line tools and the Dexie store of the extension both implement it.
 */
export interface IndexReader {
  readonly params: FingerprintParams;
  /** For each hash (same order), the docs of originals that carry it. */
  lookup(hashes: Uint32Array): Promise<Uint32Array[]>;
  /** Metadata of the given docs (same order; undefined for unknown docs). */
  originals(docs: readonly number[]): Promise<Array<OriginalMeta | undefined>>;
  /** Full or partial text of an original, if the index carries it. */
  text(doc: number): Promise<string | undefined>;
}
