/**
 * Translation benchmark (npm run bench -- --only translations): the corpus of tests/fixtures/translations/
 * (faithful translations both ways, partial translations with commentary, credited translations, and
 * same-event articles written independently in the other language) scanned against an index of the
 * starter originals that carries the translation tier. Reports recall on full and partial
 * translations, credited-verdict rate, precision against same-event negatives, page → verdict time,
 * and the translation tier's bytes per original on the wire.
 */
import { IndexBuilder } from '../../lib/index/build-index';
import { encodeIndex } from '../../lib/index/index-codec';
import type { MemoryIndex } from '../../lib/index/memory-index';
import { scanPage } from '../../lib/scan-page';
import { loadDictionary } from '../../lib/translate/load-dictionary';
import { loadTranslationCorpus, starterOriginals, type TranslationKind } from '../support/translations';
import { gzipSync } from 'node:zlib';
import { DEFAULT_PARAMS, kgramHashes, winnow } from '../../lib/fingerprint';
import { originalSketch } from '../../lib/translate/keys';
import type { TranslationOptions } from '../../lib/translate/match-translation';
import { represent } from '../../lib/translate/represent';
import { mix32 } from '../../lib/text/normalize';
import { rng } from '../support/make-pages';
import { registry } from './accuracy';
import { splitOf, type Split } from './rewrites';

export function translationIndex(): MemoryIndex {
  const b = new IndexBuilder({ created: '2026-01-01T00:00:00Z', translate: loadDictionary() });
  for (const o of starterOriginals()) b.add(o);
  return b.finish();
}

export interface SplitResult {
  split: Split | 'all';
  rows: Array<{ kind: TranslationKind; pages: number; found: number; rate: number }>;
  recallFull: number;
  recallPartial: number;
  creditedRate: number;
  precision: number;
  /** Findings (any original) on same-event negatives, and findings in all. */
  falsePositives: number;
  detections: number;
}

export interface TranslationBench {
  rows: Array<{ kind: TranslationKind; pages: number; found: number; rate: number }>;
  /** dev: pages whose original has an odd number (the 0.55 sentence threshold was chosen on the
   * first corpus, which had both halves; the pages added since were not looked at while choosing);
   * test: even numbers. */
  splits: SplitResult[];
  recallFull: number;
  recallPartial: number;
  /** Short posts translating an original's headline and lead. */
  recallPosts: number;
  creditedRate: number;
  precision: number;
  falsePositives: string[];
  missed: string[];
  creditedByDateline: string[];
  p50ms: number;
  p95ms: number;
  bytesPerOriginal: number;
  dictionaryBytes: number;
  originals: number;
}

export async function runTranslationBench(): Promise<TranslationBench> {
  const dict = loadDictionary();
  const reg = registry();
  const index = translationIndex();
  const pages = loadTranslationCorpus((id) => {
    const o = reg.get(id);
    return { zh: o?.names['zh-Hans'] ?? id, en: o?.names.en ?? id };
  });
  const times: number[] = [];
  const counts = new Map<TranslationKind, { pages: number; found: number }>();
  const perSplit = new Map<Split, { counts: Map<TranslationKind, { pages: number; found: number }>; detections: number; correct: number; fp: number }>();
  const half = (s: Split) => perSplit.get(s) ?? (perSplit.set(s, { counts: new Map(), detections: 0, correct: 0, fp: 0 }), perSplit.get(s)!);
  const falsePositives: string[] = [];
  const missed: string[] = [];
  const creditedByDateline: string[] = [];
  let detections = 0;
  let correct = 0;
  for (const p of pages) {
    const t = performance.now();
    const scan = await scanPage({ text: p.text }, index, reg, { translate: { dict } });
    times.push(performance.now() - t);
    const f = scan.finding;
    const onSource = !!f && f.candidate.reuse === 'translated' && f.candidate.original.id === p.source;
    const c = counts.get(p.kind) ?? { pages: 0, found: 0 };
    const h = half(splitOf(p.source));
    const hc = h.counts.get(p.kind) ?? { pages: 0, found: 0 };
    h.counts.set(p.kind, hc);
    c.pages++;
    hc.pages++;
    if (p.kind === 'negative' || p.kind === 'post-negative') {
      if (f) {
        falsePositives.push(`${p.id} → ${f.candidate.original.id} (${scan.verdict})`);
        detections++;
        h.detections++;
        h.fp++;
      } else {
        c.found++;
        hc.found++;
      }
    } else {
      // Found: a translated finding on its source. Credited pages must also be judged credited (a faithful
      // translation that keeps the agency's dateline, "新华社…电" or "(Xinhua)", is rightly credited too).
      const ok = p.kind === 'credited' ? onSource && scan.verdict === 'credited' : onSource;
      if (ok && p.kind !== 'credited' && scan.verdict === 'credited') creditedByDateline.push(p.id);
      if (ok) {
        c.found++;
        hc.found++;
      } else missed.push(`${p.id}: ${scan.verdict}${f ? ` → ${f.candidate.original.id}` : ''}`);
      if (f) {
        detections++;
        h.detections++;
        if (onSource) {
          correct++;
          h.correct++;
        }
      }
    }
    counts.set(p.kind, c);
  }
  times.sort((a, b) => a - b);
  const q = (x: number) => times[Math.min(times.length - 1, Math.floor(x * times.length))]!;
  const enc = encodeIndex(index);
  const rows = [...counts].map(([kind, c]) => ({ kind, ...c, rate: c.found / Math.max(1, c.pages) }));
  const rate = (k: TranslationKind) => rows.find((r) => r.kind === k)?.rate ?? 0;
  const splits: SplitResult[] = (['dev', 'test'] as const).map((split) => {
    const h = half(split);
    const hr = [...h.counts].map(([kind, c]) => ({ kind, ...c, rate: c.found / Math.max(1, c.pages) }));
    const r = (k: TranslationKind) => hr.find((x) => x.kind === k)?.rate ?? 0;
    return { split, rows: hr, recallFull: r('full'), recallPartial: r('partial'), creditedRate: r('credited'), precision: h.correct / Math.max(1, h.detections), falsePositives: h.fp, detections: h.detections };
  });
  const { readFileSync } = await import('node:fs');
  const { DICTIONARY_FILE } = await import('../../lib/translate/load-dictionary');
  return {
    rows,
    splits,
    recallFull: rate('full'),
    recallPartial: rate('partial'),
    recallPosts: rate('post'),
    creditedRate: rate('credited'),
    precision: correct / Math.max(1, detections),
    falsePositives,
    missed,
    creditedByDateline,
    p50ms: q(0.5),
    p95ms: q(0.95),
    bytesPerOriginal: (enc.translate?.length ?? 0) / index.metas.length,
    dictionaryBytes: readFileSync(DICTIONARY_FILE).length,
    originals: index.metas.length,
  };
}

export function translationTable(r: TranslationBench): string {
  const lines = ['| pages | n | found (negatives: judged none) | rate |', '|---|---|---|---|'];
  for (const x of r.rows) lines.push(`| ${x.kind} | ${x.pages} | ${x.found} | ${x.rate.toFixed(3)} |`);
  lines.push('');
  lines.push('| split | full (n) | recall full | partial (n) | recall partial | credited judged credited | negatives (n) | findings on negatives | precision |');
  lines.push('|---|---|---|---|---|---|---|---|---|');
  for (const h of r.splits) {
    const n = (k: TranslationKind) => h.rows.find((x) => x.kind === k)?.pages ?? 0;
    lines.push(`| ${h.split} | ${n('full')} | ${h.recallFull.toFixed(3)} | ${n('partial')} | ${h.recallPartial.toFixed(3)} | ${h.creditedRate.toFixed(3)} | ${n('negative')} | ${h.falsePositives} | ${h.precision.toFixed(4)} |`);
  }
  lines.push('(dev: originals with odd numbers, test: even; the sentence threshold 0.55 is not tuned on the test half)');
  lines.push('');
  lines.push(`recall on full translations: ${r.recallFull.toFixed(3)} (target ≥ 0.90); on partial translations with commentary: ${r.recallPartial.toFixed(3)} (target ≥ 0.75)`);
  lines.push(`short posts translating an original's headline and lead: ${r.recallPosts.toFixed(3)} (no target; same-event posts are in the precision)`);
  lines.push(`credited translations judged credited: ${r.creditedRate.toFixed(3)}`);
  lines.push(`precision (findings on the right original, same-event negatives included): ${r.precision.toFixed(4)} (target ≥ 0.98); false positives: ${r.falsePositives.length ? r.falsePositives.join('; ') : 'none'}`);
  lines.push(`full/partial translations judged credited because the translation keeps the original's dateline or byline: ${r.creditedByDateline.length ? r.creditedByDateline.join(', ') : 'none'}`);
  if (r.missed.length) lines.push(`missed: ${r.missed.join('; ')}`);
  lines.push(`page → verdict with the translation tier (Node, ${r.originals} originals): p50 ${r.p50ms.toFixed(1)} ms, p95 ${r.p95ms.toFixed(1)} ms`);
  lines.push(`translation tier on the wire: ${r.bytesPerOriginal.toFixed(0)} bytes per original (target ≤ 200); dictionary public/translate/zh-en.txt: ${(r.dictionaryBytes / 1024).toFixed(0)} KiB (target ≤ 2048)`);
  return lines.join('\n');
}

export interface TranslationScale {
  originals: number;
  buildSeconds: number;
  p50ms: number;
  p95ms: number;
  /** Full translations whose finding is on their own original, at this size. */
  recallFull: number;
  /** Short posts whose finding is on their own original, and findings on short same-event posts. */
  recallPosts: number;
  postFalsePositives: number;
  missed: string[];
  pages: number;
  /** The translation section (postings-translate.bin) per original: raw, and gzipped as on the wire. */
  bytesPerOriginal: number;
  gzipBytesPerOriginal: number;
}

/**
 * Page → verdict with the translation tier at `n` synthetic originals plus the 48 starter originals.
 * Each synthetic original gets a sketch shaped like the real ones: every key that two or more of
 * the 48 real sketches share is in it with the share of real sketches that have it (the most common
 * key is in 31 of 48: common concepts with low hashes are in most sketches, so their postings lists
 * grow with the index), and fresh random keys for the rest (the real sketches' keys found once),
 * up to the real sketches' mean size. So that aligning a candidate costs what it would, each also
 * carries the text of a real starter original (cycled; a verdict on it would be on the wrong
 * original, which the recall below counts).
 */
export async function translationScale(n: number, options: Partial<TranslationOptions> = {}): Promise<TranslationScale> {
  const dict = loadDictionary();
  const reg = registry();
  const real = starterOriginals();
  const pages = loadTranslationCorpus((id) => ({ zh: reg.get(id)?.names['zh-Hans'] ?? id, en: reg.get(id)?.names.en ?? id }));
  const t0 = performance.now();
  const b = new IndexBuilder({ created: '2026-01-01T00:00:00Z', translate: dict });
  for (const o of real) b.add(o);
  const df = new Map<number, number>();
  let sketched = 0;
  for (const o of real) {
    const sk = originalSketch(represent(o.text, dict));
    sketched += sk.length;
    for (const k of sk) df.set(k, (df.get(k) ?? 0) + 1);
  }
  const shared = [...df].filter(([, d]) => d >= 2).sort((a, c) => a[0] - c[0]);
  const size = Math.round(sketched / real.length);
  const units = new Uint32Array(1000);
  for (let i = 0; i < n; i++) {
    const r = rng(20261201 * 31 + i);
    const keys = new Set<number>();
    for (const [k, d] of shared) if (r() < d / real.length) keys.add(k);
    while (keys.size < size) keys.add((r() * 2 ** 32) >>> 0);
    const len = 300 + Math.floor(r() * 600);
    for (let j = 0; j < len; j++) units[j] = mix32(Math.floor(Math.pow(60000, r())));
    const fp = winnow(kgramHashes(units, len, DEFAULT_PARAMS.k), DEFAULT_PARAMS.w);
    const text = real[i % real.length]!;
    b.addFingerprints(
      { id: `syn-${i}`, outlet: 'synthetic', url: `https://www.synthetic-outlet.test/news/${i}.html`, title: `Synthetic article ${i}`, published: '2026-03-14', lang: text.lang, units: len },
      Uint32Array.from(new Set(fp.hashes)),
      text.text,
      undefined,
      Uint32Array.from(keys),
    );
  }
  const index = b.finish();
  const buildSeconds = (performance.now() - t0) / 1000;
  const full = pages.filter((p) => p.kind !== 'credited');
  const times: number[] = [];
  let found = 0;
  let fulls = 0;
  let posts = 0;
  let postsFound = 0;
  let postFalsePositives = 0;
  const missed: string[] = [];
  for (const p of full) await scanPage({ text: p.text }, index, reg, { translate: { dict, ...options } }); // warm up
  for (const p of full) {
    const t = performance.now();
    const scan = await scanPage({ text: p.text }, index, reg, { translate: { dict, ...options } });
    times.push(performance.now() - t);
    if (p.kind === 'full') {
      fulls++;
      if (scan.finding?.candidate.original.id === p.source) found++;
      else missed.push(`${p.id}: ${scan.verdict}${scan.finding ? ` → ${scan.finding.candidate.original.id}` : ''}`);
    } else if (p.kind === 'post') {
      posts++;
      if (scan.finding?.candidate.original.id === p.source) postsFound++;
    } else if (p.kind === 'post-negative' && scan.finding) postFalsePositives++;
  }
  times.sort((a, c) => a - c);
  const q = (x: number) => times[Math.min(times.length - 1, Math.floor(x * times.length))]!;
  const enc = encodeIndex(index).translate ?? new Uint8Array();
  return {
    originals: index.metas.length,
    buildSeconds,
    p50ms: q(0.5),
    p95ms: q(0.95),
    recallFull: found / Math.max(1, fulls),
    recallPosts: postsFound / Math.max(1, posts),
    postFalsePositives,
    missed,
    pages: full.length,
    bytesPerOriginal: enc.length / index.metas.length,
    gzipBytesPerOriginal: gzipSync(enc, { level: 9 }).length / index.metas.length,
  };
}

export function translationScaleLine(s: TranslationScale): string {
  return (
    `page → verdict with the translation tier at ${s.originals.toLocaleString('en')} originals (Node; synthetic sketches shaped like the real ones, ${s.pages} pages: full, partial, posts and negatives): ` +
    `p50 ${s.p50ms.toFixed(1)} ms, p95 ${s.p95ms.toFixed(1)} ms (build ${s.buildSeconds.toFixed(0)} s); full translations found on their original at this size: ${s.recallFull.toFixed(3)}${s.missed.length ? ` (missed: ${s.missed.join('; ')})` : ''}; short posts found on their original: ${s.recallPosts.toFixed(3)}, findings on short same-event posts: ${s.postFalsePositives}; ` +
    `translation section: ${s.bytesPerOriginal.toFixed(0)} bytes per original raw, ${s.gzipBytesPerOriginal.toFixed(0)} gzipped`
  );
}
