/**
 * Fingerprinting on worker threads (Node only; `index build` uses it). An
 * original's features (every tier's fingerprints, stream-build.ts's
 * originalFeatures) are most of a build's time and depend on its text alone,
 * so batches of texts go to worker threads while the main thread reads,
 * sorts and writes. Results come back in the order the batches were sent, so
 * the build adds originals in input order and its output is byte for byte the
 * one-thread build's.
 */
import { Worker } from 'node:worker_threads';
import type { FingerprintParams } from '../fingerprint';
import type { RewriteParams } from '../rewrite/grams';
import type { OriginalFeatures } from './stream-build';

export interface FeatureWorkerData {
  params: FingerprintParams;
  rewrite: RewriteParams | null;
  /** The translation dictionary's file, or undefined for no translation tier. */
  dictionary?: string;
  entry: string;
}
export interface FeatureJob {
  seq: number;
  texts: string[];
}
export type FeatureReply = { seq: number; features: OriginalFeatures[] } | { seq: number; error: string };

interface Pending {
  resolve(f: OriginalFeatures[]): void;
  reject(e: Error): void;
}

export class FeaturePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private failed?: Error;
  private closing = false;

  constructor(threads: number, opts: Omit<FeatureWorkerData, 'entry'>) {
    if (!Number.isInteger(threads) || threads < 1) throw new Error('a feature pool needs at least one thread');
    const workerData: FeatureWorkerData = { ...opts, entry: new URL('./feature-worker.ts', import.meta.url).href };
    for (let i = 0; i < threads; i++) {
      const w = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData });
      w.on('message', (r: FeatureReply) => this.settle(r));
      w.on('error', (e) => this.fail(new Error(`a fingerprinting thread failed: ${e.message}`)));
      w.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a fingerprinting thread stopped (exit code ${code})`));
      });
      this.workers.push(w);
    }
  }

  /** The texts' features, in their order. Batches are spread over the threads in turn. */
  features(texts: string[]): Promise<OriginalFeatures[]> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.closing) return Promise.reject(new Error('the feature pool is closed'));
    const seq = this.seq++;
    const done = new Promise<OriginalFeatures[]>((resolve, reject) => this.pending.set(seq, { resolve, reject }));
    const job: FeatureJob = { seq, texts };
    this.workers[seq % this.workers.length]!.postMessage(job);
    return done;
  }

  private settle(r: FeatureReply): void {
    const p = this.pending.get(r.seq);
    if (!p) return;
    this.pending.delete(r.seq);
    if ('error' in r) p.reject(new Error(`fingerprinting failed in a worker thread: ${r.error}`));
    else p.resolve(r.features);
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const p of this.pending.values()) p.reject(this.failed);
    this.pending.clear();
  }

  /** Stops the threads (what is still pending is rejected). */
  async close(): Promise<void> {
    this.closing = true;
    this.fail(new Error('the feature pool is closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Adds originals in order with their features computed on a pool: `push`
 * queues one (awaiting when enough batches are in flight), `finish` adds what
 * is left. `add` is called in the order of `push`, on the main thread. The
 * pool is made (threads started, each loading the dictionary) only once more
 * than `warm` originals have come; a smaller input is fingerprinted here.
 */
export class FeaturePipeline<T extends { text: string }> {
  private batch: T[] = [];
  private readonly inFlight: Array<{ recs: T[]; features: Promise<OriginalFeatures[]> }> = [];
  private pool?: FeaturePool;
  private held: T[] | undefined = [];

  constructor(
    private readonly makePool: () => FeaturePool,
    /** Features on this thread (for an input of at most `warm` originals). */
    private readonly local: (text: string) => OriginalFeatures,
    private readonly add: (rec: T, features: OriginalFeatures) => void,
    private readonly options: { batchSize?: number; maxInFlight?: number; warm?: number } = {},
  ) {}

  async push(rec: T): Promise<void> {
    if (this.held) {
      this.held.push(rec);
      if (this.held.length <= (this.options.warm ?? 256)) return;
      this.pool = this.makePool();
      const held = this.held;
      this.held = undefined;
      for (const r of held) await this.push(r);
      return;
    }
    this.batch.push(rec);
    if (this.batch.length < (this.options.batchSize ?? 32)) return;
    this.send();
    while (this.inFlight.length > (this.options.maxInFlight ?? 8)) await this.addOldest();
  }

  async finish(): Promise<void> {
    if (this.held) {
      for (const r of this.held) this.add(r, this.local(r.text));
      this.held = [];
      return;
    }
    if (this.batch.length) this.send();
    while (this.inFlight.length) await this.addOldest();
  }

  /** Stops the pool's threads, if it was made. */
  async close(): Promise<void> {
    await this.pool?.close();
  }

  private send(): void {
    const recs = this.batch;
    this.batch = [];
    const features = this.pool!.features(recs.map((r) => r.text));
    features.catch(() => undefined); // awaited in addOldest; not an unhandled rejection meanwhile
    this.inFlight.push({ recs, features });
  }

  private async addOldest(): Promise<void> {
    const { recs, features } = this.inFlight.shift()!;
    const f = await features;
    for (let i = 0; i < recs.length; i++) this.add(recs[i]!, f[i]!);
  }
}
