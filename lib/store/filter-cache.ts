/**
 * A copy of each segment's membership filters as one file per tier, kept beside the store (the
 * origin private file system), because the store reads its filter parts slowly: about 12 MB/s in
 * Chromium (80 MB at a million originals took 7 s after every start of the service worker, and
 * pages meanwhile read buckets the filters would have spared), where a file of 64 MB reads in about
 * 0.3 s.
 *
 * The store's parts stay the record: a copy is written by the reader once it has read a tier's
 * parts, and used only when it names the same generation, tier and shape and its checksum holds.
 * A segment's filter never changes (a generation is written once), so a copy cannot go stale; copies
 * of generations no longer in the index are deleted when a reader starts loading.
 */

/** Where copies live: read, write, list and delete files by name. */
export interface FilterCache {
  read(name: string): Promise<Uint8Array | undefined>;
  write(name: string, bytes: Uint8Array): Promise<void>;
  names(): Promise<string[]>;
  remove(name: string): Promise<void>;
}

const MAGIC = 0x31465650; // "PVF1", little-endian
const HEADER = 16;

/** The file name of a tier's copy: generation, tier and the filter's shape. */
export function cacheName(gen: number, tier: number, shape: { bytes: number; partBytes: number; probes: number }): string {
  return `g${gen}-t${tier}-${shape.bytes}-${shape.partBytes}-${shape.probes}`;
}

/** The generation a copy's file name names (undefined: not a copy's name). */
export function cacheGeneration(name: string): number | undefined {
  const m = /^g(\d+)-t\d+-\d+-\d+-\d+$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** A 32-bit checksum of the bytes (a multiple of 4 long, 4-aligned): multiply–rotate over words. */
function checksum(bytes: Uint8Array): number {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
  let h = 0x811c9dc5 ^ bytes.length;
  for (let i = 0; i < words.length; i++) {
    h = Math.imul(h ^ words[i]!, 0x9e3779b1);
    h = (h << 13) | (h >>> 19);
  }
  return h >>> 0;
}

/** A buffer for a copy's file of a filter of `bytes` bytes: the filter goes at copyBits(file), then sealCopy writes the header. */
export function copyBuffer(bytes: number): Uint8Array {
  return new Uint8Array(HEADER + bytes);
}

/** Where the filter's bytes go in a copy's file. */
export function copyBits(file: Uint8Array): Uint8Array {
  return file.subarray(HEADER);
}

/** Writes a copy's header (magic, generation, tier, checksum of the bytes after it). */
export function sealCopy(file: Uint8Array, gen: number, tier: number): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset, HEADER);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, gen, true);
  view.setUint32(8, tier, true);
  view.setUint32(12, checksum(file.subarray(HEADER)), true);
  return file;
}

/** The filter's bytes from a copy's file, or undefined unless it is whole and of this generation, tier and length. */
export function decodeCopy(file: Uint8Array, gen: number, tier: number, bytes: number): Uint8Array | undefined {
  if (file.length !== HEADER + bytes || bytes % 4 || file.byteOffset % 4) return undefined;
  const view = new DataView(file.buffer, file.byteOffset, HEADER);
  if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== gen || view.getUint32(8, true) !== tier) return undefined;
  const bits = file.subarray(HEADER);
  return checksum(bits) === view.getUint32(12, true) ? bits : undefined;
}

/** Copies in the origin private file system's directory `filters`, where the context has one (undefined otherwise). */
export function opfsFilterCache(): FilterCache | undefined {
  const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
  if (typeof storage?.getDirectory !== 'function') return undefined;
  let dir: Promise<FileSystemDirectoryHandle> | undefined;
  const directory = () => {
    dir ??= storage.getDirectory().then((root) => root.getDirectoryHandle('filters', { create: true }));
    dir.catch(() => (dir = undefined));
    return dir;
  };
  return {
    async read(name) {
      try {
        const file = await (await (await directory()).getFileHandle(name)).getFile();
        return new Uint8Array(await file.arrayBuffer());
      } catch {
        return undefined; // no copy (or none readable): the store's parts are read
      }
    },
    async write(name, bytes) {
      const handle = await (await directory()).getFileHandle(name, { create: true });
      const w = await handle.createWritable();
      try {
        await w.write(bytes as Uint8Array<ArrayBuffer>);
        await w.close();
      } catch (e) {
        await w.abort().catch(() => undefined);
        throw e;
      }
    },
    async names() {
      const out: string[] = [];
      for await (const key of (await directory()) as unknown as AsyncIterable<[string, unknown]>) out.push(key[0]);
      return out;
    },
    async remove(name) {
      await (await directory()).removeEntry(name);
    },
  };
}

/** Copies in memory (tests, and contexts without a private file system that want one anyway). */
export function memoryFilterCache(): FilterCache & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    read: async (name) => (files.has(name) ? files.get(name)!.slice() : undefined),
    write: async (name, bytes) => void files.set(name, bytes.slice()),
    names: async () => [...files.keys()],
    remove: async (name) => void files.delete(name),
  };
}
