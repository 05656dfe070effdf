/**
 * npm run bench [-- --quick] [-- --sweep] [-- --only accuracy|rewrites|holdout|translations|speed|scale]
 * Prints markdown tables (and writes bench-output/results.json) with the
 * machine and date, for the tables of docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_PARAMS } from '../../lib/fingerprint';
import { loadFixtures, paragraphs } from '../support/make-pages';
import { accuracyTable, recallSummary, runAccuracy } from './accuracy';
import { holdoutTables, runHoldoutBench } from './holdout';
import { rewriteTables, runRewriteBench } from './rewrites';
import { scalePoint, throughput, type ScalePoint } from './speed';
import { runTranslationBench, translationScale, translationScaleLine, translationTable } from './translations';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sweep: { type: 'boolean', default: false },
    only: { type: 'string' },
    max: { type: 'string' },
    sizes: { type: 'string' },
  },
});
const quick = values.quick!;
const want = (s: string) => !values.only || values.only.split(',').includes(s);
const out: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
};
console.log(`# Benchmark — ${out.date}\n${out.machine}\n`);

if (values.sweep) {
  console.log('## k / w sweep (accuracy at 600 pages per language; bytes per fixture original)\n');
  console.log('| k | w | min recall ≥50% | min recall 20–49% | precision | false positives | negatives: max shared units / page share | bytes/original |');
  console.log('|---|---|---|---|---|---|---|---|');
  const rows = [];
  for (const k of [6, 8, 10])
    for (const w of [12, 16, 20, 24, 32]) {
      const r = await runAccuracy({ k, w }, 600);
      const s = recallSummary(r);
      const precision = r.truePositives / Math.max(1, r.truePositives + r.falsePositives);
      rows.push({ k, w, ...s, precision, fp: r.falsePositives, bytes: r.bytesPerOriginal });
      console.log(`| ${k} | ${w} | ${s.min50.toFixed(3)} | ${s.min20.toFixed(3)} | ${precision.toFixed(4)} | ${r.falsePositives} | ${r.negativeMaxUnits} / ${(r.negativeMaxCoverage * 100).toFixed(1)}% | ${r.bytesPerOriginal.toFixed(0)} |`);
    }
  out.sweep = rows;
}

if (want('accuracy')) {
  const perLang = quick ? 500 : 2000;
  console.log(`## Accuracy (${perLang} pages per language, seed 20261122)\n`);
  const t = performance.now();
  const r = await runAccuracy(DEFAULT_PARAMS, perLang);
  console.log(accuracyTable(r));
  const s = recallSummary(r);
  console.log(`\nminimum recall, shares ≥ 50%: ${s.min50.toFixed(3)} (target ≥ 0.98); shares 20–49%: ${s.min20.toFixed(3)} (target ≥ 0.90)`);
  console.log(`(${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
  out.accuracy = { ...r, summary: s };
}

if (want('rewrites')) {
  console.log('## Rewritten copies (hand-written corpus, tests/fixtures/rewrites/; mechanical rewrites)\n');
  const t = performance.now();
  const r = await runRewriteBench();
  console.log(rewriteTables(r));
  console.log(`\n(${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
  out.rewrites = { corpus: r.corpus, sameFacts: r.sameFacts, baseline: r.baseline, mechanical: r.mechanical };
}

if (want('holdout')) {
  console.log('## Held-out corpus (tests/fixtures/holdout/, written 2026-12-02: nothing chosen on its test half)\n');
  const t = performance.now();
  const r = await runHoldoutBench();
  console.log(holdoutTables(r));
  console.log(`\n(${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
  out.holdout = { scores: r.scores, byKind: r.byKind };
}

if (want('translations')) {
  console.log('## Translated copies (Chinese ↔ English; tests/fixtures/translations/)\n');
  const t = performance.now();
  const r = await runTranslationBench();
  console.log(translationTable(r));
  const scale = await translationScale(quick ? 10_000 : 100_000);
  console.log(translationScaleLine(scale));
  console.log(`\n(${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
  out.translations = { ...r, scale };
}

const fx = loadFixtures();
const corpus = [...fx.originals.en, ...fx.originals.zh];

if (want('speed')) {
  console.log('## Fingerprinting throughput\n');
  const t = await throughput(corpus);
  console.log('| what | result |');
  console.log('|---|---|');
  console.log(`| ours: normalise + units + k-gram hash + winnow | ${t.oursMBs.toFixed(1)} MB/s |`);
  console.log(`| naive: all k-gram strings in a JS Set | ${t.naiveMBs.toFixed(1)} MB/s |`);
  console.log(`| ratio (target ≥ 10×) | ${t.ratio.toFixed(1)}× |`);
  console.log(`| scan all ${corpus.length} fixture originals as pages: naive Jaccard vs every original | ${t.naiveScanMs.toFixed(1)} ms |`);
  console.log(`| same with the index (lookup + verify + alignment) | ${t.oursScanMs.toFixed(1)} ms |\n`);
  out.throughput = t;
}

if (want('scale')) {
  // A 10 KB article: four fixture originals with commentary between them.
  const page = [fx.commentary.en[0], ...paragraphs(fx.originals.en[0]!.text), fx.commentary.en[1], ...paragraphs(fx.originals.en[5]!.text), ...paragraphs(fx.originals.en[10]!.text), fx.commentary.en[2], ...paragraphs(fx.originals.en[16]!.text), fx.commentary.en[3], ...paragraphs(fx.originals.en[22]!.text).slice(0, 2)].join('\n\n');
  const sizes = values.sizes ? values.sizes.split(',').map(Number) : quick ? [1_000, 10_000, 100_000] : [1_000, 10_000, 100_000, 1_000_000];
  const max = values.max ? Number(values.max) : Infinity;
  console.log(`## Lookup + verify of a ${(Buffer.byteLength(page) / 1024).toFixed(1)} KB article as the index grows\n`);
  console.log('| originals | build (s) | lookup+verify p50 (ms) | p95 (ms) | index bytes/original | postings in memory (MB) | allocated by one lookup (KB) |');
  console.log('|---|---|---|---|---|---|---|');
  const points: ScalePoint[] = [];
  for (const n of sizes.filter((s) => s <= max)) {
    const p = await scalePoint(n, corpus, page);
    points.push(p);
    console.log(`| ${p.originals.toLocaleString('en')} | ${p.buildSeconds.toFixed(1)} | ${p.lookupMsP50.toFixed(2)} | ${p.lookupMsP95.toFixed(2)} | ${p.bytesPerOriginal.toFixed(0)} | ${p.indexHeapMB.toFixed(0)} | ${p.lookupHeapKB.toFixed(0)} |${p.found ? '' : ' (page not found!)'}`);
    (globalThis as { gc?: () => void }).gc?.();
  }
  const at10k = points.find((p) => p.originals >= 10_000 && p.originals < 100_000);
  const at1m = points[points.length - 1];
  if (at10k && at1m && at1m !== at10k)
    console.log(`\nlookup+verify at ${at1m.originals.toLocaleString('en')} / at 10k: ${(at1m.lookupMsP50 / at10k.lookupMsP50).toFixed(2)}× (target ≤ 2×)\n`);
  out.scale = points;
}

mkdirSync('bench-output', { recursive: true });
writeFileSync('bench-output/results.json', JSON.stringify(out, null, 2));
