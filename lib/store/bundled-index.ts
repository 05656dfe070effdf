/**
 * Keeps the bundled starter index in the store current. The extension's
 * package carries it; an update of the extension may correct it. Its identity
 * (the header's `created` and the SHA-256 of its files) is kept on its
 * source record: when the package's differs, it is imported again, as one
 * segment replacing the old one, with every feed kept. An empty store (first
 * run, a schema upgrade that cleared it, a rebuild) imports it too.
 */
import { decodeIndex, type EncodedIndex } from '../index/index-codec';
import { importIndex, refreshShadow, sourceOf, type IndexDb } from './index-db';

/** An index folder's files as read (whatever files the index format has: each is part of the identity). */
export type IndexFiles = EncodedIndex;

const utf8 = new TextEncoder();

/** "created sha256": the header's creation date and the SHA-256 over every file, each named and length-prefixed. */
export async function indexIdentity(files: IndexFiles): Promise<string> {
  let created = '';
  try {
    created = String((JSON.parse(files.header) as { created?: unknown }).created ?? '');
  } catch {
    /* decodeIndex says why, when it is imported */
  }
  const parts: Uint8Array[] = [];
  for (const name of Object.keys(files).sort()) {
    const v = (files as unknown as Record<string, string | Uint8Array | undefined>)[name];
    if (v === undefined) continue;
    const bytes = typeof v === 'string' ? utf8.encode(v) : v;
    const head = utf8.encode(`${name} ${bytes.length}\n`);
    parts.push(head, bytes);
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return `${created} ${Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('')}`;
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
  await importIndex(db, decodeIndex(files), { feed: 'bundled', identity });
  await refreshShadow(db);
  return 'imported';
}
