/**
 * Keeps the bundled starter index in the store current. The extension's
 * package carries it; an update of the extension may correct it. Its identity
 * (the header's `created` and the SHA-256 of its four files) is kept on its
 * source record: when the package's differs, it is imported again, as one
 * segment replacing the old one, with every feed kept. An empty store (first
 * run, a schema upgrade that cleared it, a rebuild) imports it too.
 */
import { decodeIndex, type EncodedIndex } from '../index/index-codec';
import { importIndex, refreshShadow, sourceOf, type IndexDb } from './index-db';

export interface IndexFiles {
  header: string;
  originals: string;
  postings: Uint8Array;
  texts: string;
}

const utf8 = new TextEncoder();

async function sha256Hex(parts: Uint8Array[]): Promise<string> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length + 8, 0));
  let at = 0;
  for (const p of parts) {
    // Each part's length first, so that moving bytes between files changes the identity.
    new DataView(all.buffer).setFloat64(at, p.length);
    all.set(p, at + 8);
    at += p.length + 8;
  }
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** "created sha256" of an index folder's files. */
export async function indexIdentity(files: IndexFiles): Promise<string> {
  let created = '';
  try {
    created = String((JSON.parse(files.header) as { created?: unknown }).created ?? '');
  } catch {
    /* decodeIndex says why, when it is imported */
  }
  return `${created} ${await sha256Hex([utf8.encode(files.header), utf8.encode(files.originals), files.postings, utf8.encode(files.texts)])}`;
}

/**
 * Imports the bundled index when the store has none, or when the installed
 * one is not this one (by identity). A store whose state holds other sources
 * but no bundled index (a benchmark's) is left as it is.
 */
export async function ensureBundled(db: IndexDb, files: IndexFiles): Promise<'current' | 'imported'> {
  const identity = await indexIdentity(files);
  const active = await db.active();
  const rec = sourceOf(active, 'bundled');
  if (rec?.identity === identity) return 'current';
  if (active?.segments.length && !rec) return 'current';
  const enc: EncodedIndex = { header: files.header, originals: files.originals, postings: files.postings, texts: files.texts };
  await importIndex(db, decodeIndex(enc), { feed: 'bundled', identity });
  await refreshShadow(db);
  return 'imported';
}
