/**
 * (hash, doc) pairs sorted in bounded memory (Node only): pairs gather in a
 * buffer; when the buffer is full it is sorted (radix sort, stable, so docs
 * stay ascending within a hash) and written to a temporary file as one run;
 * the runs are then merged k-way. Docs are added in ascending order, so runs
 * cover ascending doc ranges and a merge that breaks hash ties by run order
 * yields each hash's docs ascending — exactly what sorting all pairs in memory
 * gives. The last run stays in memory.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { radixSortPairs } from './radix-sort';

/** A sorted run that can be read from the start any number of times. */
interface Run {
  open(): RunCursor;
  readonly length: number;
}

interface RunCursor {
  /** The run's place among the runs (ties between runs go to the earlier one). */
  rank: number;
  /** Current key and value (valid while !done). */
  key: number;
  val: number;
  done: boolean;
  next(): void;
  close(): void;
}

/** Pairs read from a file in chunks. */
class FileRun implements Run {
  constructor(readonly path: string, readonly length: number) {}
  open(): RunCursor {
    const path = this.path;
    const fd = openSync(path, 'r');
    const chunk = new Uint32Array(1 << 16); // 32k pairs
    const bytes = new Uint8Array(chunk.buffer);
    const total = this.length;
    let filled = 0;
    let at = 0;
    let read = 0;
    let pos = 0;
    const cursor: RunCursor = {
      rank: 0,
      key: 0,
      val: 0,
      done: false,
      next() {
        if (at >= filled) {
          if (read >= total) {
            cursor.done = true;
            return;
          }
          const want = Math.min(chunk.length / 2, total - read);
          let got = 0;
          while (got < want * 8) {
            const n = readSync(fd, bytes, got, want * 8 - got, pos);
            if (n <= 0) throw new Error(`${path}: run ended early`);
            got += n;
            pos += n;
          }
          read += want;
          filled = want * 2;
          at = 0;
        }
        cursor.key = chunk[at]!;
        cursor.val = chunk[at + 1]!;
        at += 2;
      },
      close() {
        closeSync(fd);
      },
    };
    cursor.next();
    return cursor;
  }
}

/** Pairs kept in memory (the last run, or the only one). */
class MemoryRun implements Run {
  constructor(readonly keys: Uint32Array, readonly vals: Uint32Array, readonly length: number) {}
  open(): RunCursor {
    const { keys, vals, length } = this;
    let at = 0;
    const cursor: RunCursor = {
      rank: 0,
      key: 0,
      val: 0,
      done: length === 0,
      next() {
        if (at >= length) {
          cursor.done = true;
          return;
        }
        cursor.key = keys[at]!;
        cursor.val = vals[at]!;
        at++;
      },
      close() {},
    };
    cursor.next();
    return cursor;
  }
}

/** One tier's pairs: add, then merge (as often as needed), then dispose. */
export class ExternalPairs {
  keys: Uint32Array;
  vals: Uint32Array;
  n = 0;
  private readonly runs: Run[] = [];
  private finished = false;
  /** Pairs added in all. */
  total = 0;

  constructor(
    private readonly tmpDir: string,
    private readonly name: string,
    /** Asked before the buffer grows by `bytes`; false: spill instead. */
    private readonly mayGrow: (bytes: number) => boolean,
    initialPairs = 1 << 14,
  ) {
    this.keys = new Uint32Array(initialPairs);
    this.vals = new Uint32Array(initialPairs);
  }

  /** Bytes held by the buffer. */
  get bytes(): number {
    return this.keys.length * 8;
  }

  add(distinct: ArrayLike<number>, doc: number): void {
    const m = distinct.length;
    if (this.n + m > this.keys.length) this.makeRoom(m);
    const { keys, vals } = this;
    let n = this.n;
    for (let i = 0; i < m; i++) {
      keys[n] = distinct[i]!;
      vals[n] = doc;
      n++;
    }
    this.n = n;
    this.total += m;
  }

  private makeRoom(extra: number): void {
    let size = this.keys.length;
    while (size < this.n + extra) size *= 2;
    if (size > this.keys.length && (this.n === 0 || this.mayGrow((size - this.keys.length) * 8))) {
      this.grow(size);
      return;
    }
    this.spill();
    if (extra > this.keys.length) this.grow(extra);
  }

  private grow(size: number): void {
    const k = new Uint32Array(size);
    k.set(this.keys.subarray(0, this.n));
    const v = new Uint32Array(size);
    v.set(this.vals.subarray(0, this.n));
    this.keys = k;
    this.vals = v;
  }

  /** Sorts the buffer and writes it as a run. */
  spill(): void {
    if (this.n === 0) return;
    radixSortPairs(this.keys, this.vals, this.n);
    const path = join(this.tmpDir, `${this.name}-${this.runs.length}.run`);
    const fd = openSync(path, 'w');
    const out = new Uint32Array(1 << 17);
    try {
      for (let a = 0; a < this.n; a += out.length / 2) {
        const b = Math.min(this.n, a + out.length / 2);
        for (let i = a, j = 0; i < b; i++, j += 2) {
          out[j] = this.keys[i]!;
          out[j + 1] = this.vals[i]!;
        }
        const bytes = new Uint8Array(out.buffer, 0, (b - a) * 8);
        let done = 0;
        while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
      }
    } finally {
      closeSync(fd);
    }
    this.runs.push(new FileRun(path, this.n));
    this.n = 0;
  }

  /** Ends adding: the buffer becomes the last run (in memory). */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    radixSortPairs(this.keys, this.vals, this.n);
    this.runs.push(new MemoryRun(this.keys, this.vals, this.n));
  }

  /** How many runs went to disk. */
  get spilled(): number {
    return this.runs.filter((r) => r instanceof FileRun).length;
  }

  /**
   * Calls `each(hash, docs, count)` for every distinct hash in ascending order,
   * its docs ascending in docs[0 … count−1] (a buffer reused between calls).
   */
  forEachHash(each: (hash: number, docs: Uint32Array, count: number) => void): void {
    this.finish();
    const cursors = this.runs.map((r, i) => Object.assign(r.open(), { rank: i })).filter((c) => {
      if (c.done) c.close();
      return !c.done;
    });
    let docs = new Uint32Array(1024);
    try {
      // Binary heap of cursors by (key, run order).
      const heap = cursors.slice();
      const less = (a: RunCursor, b: RunCursor) => a.key < b.key || (a.key === b.key && a.rank < b.rank);
      const down = (i: number) => {
        const n = heap.length;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= n) return;
          const r = l + 1;
          const m = r < n && less(heap[r]!, heap[l]!) ? r : l;
          if (!less(heap[m]!, heap[i]!)) return;
          [heap[i], heap[m]] = [heap[m]!, heap[i]!];
          i = m;
        }
      };
      for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
      let count = 0;
      let hash = -1;
      while (heap.length) {
        const top = heap[0]!;
        if (top.key !== hash) {
          if (count) each(hash, docs, count);
          hash = top.key;
          count = 0;
        }
        // Take this run's pairs of this hash at once.
        const k = top.key;
        do {
          if (count === docs.length) {
            const d = new Uint32Array(docs.length * 2);
            d.set(docs);
            docs = d;
          }
          docs[count++] = top.val;
          top.next();
        } while (!top.done && top.key === k);
        if (top.done) {
          top.close();
          const last = heap.pop()!;
          if (heap.length) {
            heap[0] = last;
            down(0);
          }
        } else down(0);
      }
      if (count) each(hash, docs, count);
    } finally {
      for (const c of cursors) if (!c.done) c.close();
    }
  }

  /** Deletes the runs and frees the buffer. */
  dispose(): void {
    for (const r of this.runs) if (r instanceof FileRun) rmSync(r.path, { force: true });
    this.runs.length = 0;
    this.keys = new Uint32Array(0);
    this.vals = new Uint32Array(0);
    this.n = 0;
  }
}
