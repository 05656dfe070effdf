/**
 * The translation tier's keys: language-neutral 32-bit hashes of anchors ("n:187000", "d:3-14",
 * "y:zhou qi") and concepts ("c:<stem id>"). A page looks up all of its keys; the index keeps a
 * small sketch per original (at most TRANSLATE_SKETCH.anchors anchors and
 * TRANSLATE_SKETCH.concepts concepts), which is what bounds its size on the wire.
 */
import { mix32 } from '../text/normalize';
import type { Dictionary } from './dictionary';
import { represent, textLang, type TextRep } from './represent';

/** Changes whenever keys change (dictionary format, anchors, sketch): keys of other versions never match. */
export const TRANSLATE_VERSION = 1;

export const TRANSLATE_SKETCH = { anchors: 20, concepts: 28 };

export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h >>> 0) >>> 0;
}

const conceptKey = (c: number) => keyHash(`c:${c}`);

/** Every key of a page: all its anchors, names and concepts (every sense of a Chinese word). */
export function pageKeys(rep: TextRep): Uint32Array {
  const out = new Set<number>();
  for (const s of rep.sentences) {
    for (const k of s.anchorKeys) out.add(keyHash(k));
    for (const k of s.names.keys()) out.add(keyHash(k));
    for (const t of s.terms) for (const c of t.concepts) out.add(conceptKey(c));
  }
  return Uint32Array.from(out);
}

/**
 * An original's sketch: its numbers, dates and percentages (larger values first: small counts
 * are in every text), its names when English (a Chinese text's character pairs are not all names),
 * and the concepts of its words with the lowest hashes (a Chinese word by its first sense only,
 * so that the sketch samples what an English translation would say).
 */
export function originalSketch(rep: TextRep): Uint32Array {
  const anchors = new Map<string, number>();
  const concepts = new Set<number>();
  for (const s of rep.sentences) {
    for (const a of s.anchors) {
      const v = a.kind === 'number' ? Number(a.key.slice(2)) : 1e9;
      anchors.set(a.key, Math.max(anchors.get(a.key) ?? 0, Number.isInteger(v) && v <= 12 ? 0 : v));
    }
    if (rep.lang === 'en') for (const k of s.names.keys()) anchors.set(k, 1e9);
    for (const t of s.terms) if (t.concepts.length) concepts.add(conceptKey(t.concepts[0]!));
  }
  const a = [...anchors].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, TRANSLATE_SKETCH.anchors).map(([k]) => keyHash(k));
  const c = [...concepts].sort((x, y) => x - y).slice(0, TRANSLATE_SKETCH.concepts);
  return Uint32Array.from(new Set([...a, ...c])).sort();
}

/**
 * The sketch of an original's text, as originalSketch(represent(text, dict)) — what an index keeps
 * of it — without the pinyin pairs of every two adjacent Chinese characters, which the sketch of a
 * Chinese original does not use (about a fifth of its time).
 */
export function textSketch(text: string, dict: Dictionary): Uint32Array {
  const lang = textLang(text);
  return originalSketch(represent(text, dict, lang, { names: lang === 'en' }));
}
