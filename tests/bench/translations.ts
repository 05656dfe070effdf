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
import { registry } from './accuracy';

export function translationIndex(): MemoryIndex {
  const b = new IndexBuilder({ created: '2026-01-01T00:00:00Z', translate: loadDictionary() });
  for (const o of starterOriginals()) b.add(o);
  return b.finish();
}

export interface TranslationBench {
  rows: Array<{ kind: TranslationKind; pages: number; found: number; rate: number }>;
  recallFull: number;
  recallPartial: number;
  creditedRate: number;
  precision: number;
  falsePositives: string[];
  missed: string[];
  creditedByDateline: string[];
  p50ms: number;
  p95ms: number;
  bytesPerOriginal: number;
  dictionaryBytes: number;
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
    c.pages++;
    if (p.kind === 'negative') {
      if (f) {
        falsePositives.push(`${p.id} → ${f.candidate.original.id} (${scan.verdict})`);
        detections++;
      } else c.found++;
    } else {
      // Found: a translated finding on its source. Credited pages must also be judged credited (a faithful
      // translation that keeps the agency's dateline, "新华社…电" or "(Xinhua)", is rightly credited too).
      const ok = p.kind === 'credited' ? onSource && scan.verdict === 'credited' : onSource;
      if (ok && p.kind !== 'credited' && scan.verdict === 'credited') creditedByDateline.push(p.id);
      if (ok) c.found++;
      else missed.push(`${p.id}: ${scan.verdict}${f ? ` → ${f.candidate.original.id}` : ''}`);
      if (f) {
        detections++;
        if (onSource) correct++;
      }
    }
    counts.set(p.kind, c);
  }
  times.sort((a, b) => a - b);
  const q = (x: number) => times[Math.min(times.length - 1, Math.floor(x * times.length))]!;
  const enc = encodeIndex(index);
  const rows = [...counts].map(([kind, c]) => ({ kind, ...c, rate: c.found / Math.max(1, c.pages) }));
  const rate = (k: TranslationKind) => rows.find((r) => r.kind === k)?.rate ?? 0;
  const { readFileSync } = await import('node:fs');
  const { DICTIONARY_FILE } = await import('../../lib/translate/load-dictionary');
  return {
    rows,
    recallFull: rate('full'),
    recallPartial: rate('partial'),
    creditedRate: rate('credited'),
    precision: correct / Math.max(1, detections),
    falsePositives,
    missed,
    creditedByDateline,
    p50ms: q(0.5),
    p95ms: q(0.95),
    bytesPerOriginal: (enc.translate?.length ?? 0) / index.metas.length,
    dictionaryBytes: readFileSync(DICTIONARY_FILE).length,
  };
}

export function translationTable(r: TranslationBench): string {
  const lines = ['| pages | n | found (negatives: judged none) | rate |', '|---|---|---|---|'];
  for (const x of r.rows) lines.push(`| ${x.kind} | ${x.pages} | ${x.found} | ${x.rate.toFixed(3)} |`);
  lines.push('');
  lines.push(`recall on full translations: ${r.recallFull.toFixed(3)} (target ≥ 0.90); on partial translations with commentary: ${r.recallPartial.toFixed(3)} (target ≥ 0.75)`);
  lines.push(`credited translations judged credited: ${r.creditedRate.toFixed(3)}`);
  lines.push(`precision (findings on the right original, same-event negatives included): ${r.precision.toFixed(4)} (target ≥ 0.98); false positives: ${r.falsePositives.length ? r.falsePositives.join('; ') : 'none'}`);
  lines.push(`full/partial translations judged credited because the translation keeps the original's dateline or byline: ${r.creditedByDateline.length ? r.creditedByDateline.join(', ') : 'none'}`);
  if (r.missed.length) lines.push(`missed: ${r.missed.join('; ')}`);
  lines.push(`page → verdict with the translation tier (Node, ${48} originals): p50 ${r.p50ms.toFixed(1)} ms, p95 ${r.p95ms.toFixed(1)} ms`);
  lines.push(`translation tier on the wire: ${r.bytesPerOriginal.toFixed(0)} bytes per original (target ≤ 200); dictionary public/translate/zh-en.txt: ${(r.dictionaryBytes / 1024).toFixed(0)} KiB (target ≤ 2048)`);
  return lines.join('\n');
}
