/**
 * Accuracy benchmark: a seeded generator makes English and Chinese
 * page/original pairs from the fixtures (negatives included); every page is
 * scanned against an index of the originals (minus a held-out few used as
 * not-in-index negatives). Reports recall per obfuscation class and share
 * band, and precision on negatives.
 */
import { OutletRegistry, parseRegistry } from '../../lib/credit/registry';
import type { FingerprintParams } from '../../lib/fingerprint';
import { IndexBuilder } from '../../lib/index/build-index';
import type { MemoryIndex } from '../../lib/index/memory-index';
import type { OriginalInput } from '../../lib/index/types';
import { scanPage } from '../../lib/scan-page';
import {
  creditLine, loadFixtures, makeCopy, makeNegative, OBFUSCATIONS, rng, type Fixtures, type GeneratedPage, type Lang,
} from '../support/make-pages';
import { readFileSync } from 'node:fs';

export interface AccuracyResult {
  params: FingerprintParams;
  pages: number;
  /** recall[lang][obfuscation][band] = [hit, total] */
  recall: Record<string, Record<string, Record<string, [number, number]>>>;
  credited: [number, number];
  negatives: Record<string, [number, number]>; // kind → [correct none, total]
  truePositives: number;
  falsePositives: number;
  wrongOriginal: number;
  bytesPerOriginal: number;
  /** Largest shared units / page coverage any negative page had with any original (noise level). */
  negativeMaxUnits: number;
  negativeMaxCoverage: number;
}

export const BANDS = ['100%', '50-99%', '20-49%'] as const;
const bandOf = (s: number) => (s >= 0.999 ? '100%' : s >= 0.5 ? '50-99%' : '20-49%');

export function registry(): OutletRegistry {
  return new OutletRegistry(parseRegistry(JSON.parse(readFileSync(new URL('../../public/outlets.json', import.meta.url), 'utf8'))));
}

export function generatePages(fx: Fixtures, perLang: number, seed: number, heldOut: Record<Lang, OriginalInput[]>, inIndex: Record<Lang, OriginalInput[]>): GeneratedPage[] {
  const r = rng(seed);
  const reg = registry();
  const names = Object.fromEntries(reg.outlets.map((o) => [o.id, o.names]));
  const pages: GeneratedPage[] = [];
  for (const lang of ['en', 'zh'] as Lang[]) {
    const obs = OBFUSCATIONS.filter((o) => !(lang === 'en' && o === 'traditional'));
    for (let i = 0; i < perLang; i++) {
      if (i % 10 < 3) {
        pages.push(makeNegative(r, fx, lang, heldOut[lang]));
        continue;
      }
      const o = inIndex[lang][Math.floor(r() * inIndex[lang].length)]!;
      const band = i % 3;
      const share = band === 0 ? 1 : band === 1 ? 0.5 + r() * 0.49 : 0.2 + r() * 0.29;
      const ob = obs[Math.floor(r() * obs.length)]!;
      const p = makeCopy(r, fx, o, lang, ob, share);
      if (i % 10 === 9) {
        p.text += '\n\n' + creditLine(o, lang, names, r);
        p.expect = 'credited';
      }
      pages.push(p);
    }
  }
  return pages;
}

export function buildFixtureIndex(fx: Fixtures, params: FingerprintParams | undefined, holdOut = 3): { index: MemoryIndex; heldOut: Record<Lang, OriginalInput[]>; inIndex: Record<Lang, OriginalInput[]> } {
  const b = new IndexBuilder({ params, created: '2026-01-01T00:00:00Z' });
  const heldOut = { en: [] as OriginalInput[], zh: [] as OriginalInput[] };
  const inIndex = { en: [] as OriginalInput[], zh: [] as OriginalInput[] };
  for (const lang of ['en', 'zh'] as Lang[]) {
    fx.originals[lang].forEach((o, i) => {
      // Hold out every 8th original (never one of the statement carriers) as not-in-index negatives.
      if (i % 8 === 5 && heldOut[lang].length < holdOut) heldOut[lang].push(o);
      else {
        inIndex[lang].push(o);
        b.add(o);
      }
    });
  }
  return { index: b.finish(), heldOut, inIndex };
}

export async function runAccuracy(params: FingerprintParams | undefined, perLang = 2000, seed = 20261122): Promise<AccuracyResult> {
  const fx = loadFixtures();
  const reg = registry();
  const { index, heldOut, inIndex } = buildFixtureIndex(fx, params);
  const pages = generatePages(fx, perLang, seed, heldOut, inIndex);
  const res: AccuracyResult = {
    params: index.params, pages: pages.length, recall: {}, credited: [0, 0], negatives: {},
    truePositives: 0, falsePositives: 0, wrongOriginal: 0,
    bytesPerOriginal: 0, negativeMaxUnits: 0, negativeMaxCoverage: 0,
  };
  for (const p of pages) {
    const v = await scanPage({ text: p.text, url: p.url }, index, reg);
    const got = v.finding?.candidate;
    const gotIds = got ? [got.original.id, ...got.alsoIn.map((m) => m.id)] : [];
    if (p.expect === 'none') {
      for (const c of v.match.candidates) {
        res.negativeMaxUnits = Math.max(res.negativeMaxUnits, c.matchedUnits);
        res.negativeMaxCoverage = Math.max(res.negativeMaxCoverage, c.pageCoverage);
      }
      const slot = (res.negatives[p.kind] ??= [0, 0]);
      slot[1]++;
      if (v.verdict === 'none') slot[0]++;
      else res.falsePositives++;
      continue;
    }
    const right = gotIds.includes(p.originalId!);
    const ok = right && (p.expect === 'credited' ? v.verdict === 'credited' : v.verdict === 'uncredited' || v.verdict === 'partial');
    if (v.verdict !== 'none') {
      if (right) res.truePositives++;
      else {
        res.falsePositives++;
        res.wrongOriginal++;
      }
    }
    if (p.expect === 'credited') {
      res.credited[1]++;
      if (ok) res.credited[0]++;
      continue;
    }
    const byOb = ((res.recall[p.lang] ??= {})[p.kind] ??= {});
    const slot = (byOb[bandOf(p.share)] ??= [0, 0]);
    slot[1]++;
    if (ok) slot[0]++;
  }
  let bytes = 0;
  {
    const { encodeMeta, encodePostings } = await import('../../lib/index/index-codec');
    bytes = encodePostings(index.hashes, index.offsets, index.docs).length;
    const rw = index.postings('rewrite');
    if (index.header.rewrite) bytes += encodePostings(rw.hashes, rw.offsets, rw.docs).length;
    bytes += index.metas.map((m) => Buffer.byteLength(encodeMeta(m)) + 1).reduce((a, b) => a + b, 0);
  }
  res.bytesPerOriginal = bytes / index.metas.length;
  return res;
}

const pct = (x: [number, number] | undefined) => (x && x[1] ? (x[0] / x[1]).toFixed(3) : '—');

export function accuracyTable(res: AccuracyResult): string {
  const lines: string[] = [];
  lines.push(`k=${res.params.k} w=${res.params.w}; ${res.pages} pages`);
  lines.push('| lang | obfuscation | recall 100% | recall 50–99% | recall 20–49% |');
  lines.push('|---|---|---|---|---|');
  for (const lang of Object.keys(res.recall)) {
    for (const ob of Object.keys(res.recall[lang]!).sort()) {
      const b = res.recall[lang]![ob]!;
      lines.push(`| ${lang} | ${ob} | ${BANDS.map((band) => `${pct(b[band])} (n=${b[band]?.[1] ?? 0})`).join(' | ')} |`);
    }
  }
  lines.push('');
  lines.push('| negatives | correct "none" |');
  lines.push('|---|---|');
  for (const [k, v] of Object.entries(res.negatives)) lines.push(`| ${k} | ${pct(v)} (n=${v[1]}) |`);
  const precision = res.truePositives / Math.max(1, res.truePositives + res.falsePositives);
  lines.push('');
  lines.push(`credited copies judged credited: ${pct(res.credited)} (n=${res.credited[1]})`);
  lines.push(`precision over all flagged pages: ${precision.toFixed(4)} (false positives ${res.falsePositives}, of which wrong original ${res.wrongOriginal})`);
  lines.push(`index bytes per original (both tiers' postings + metadata, no texts): ${res.bytesPerOriginal.toFixed(0)}`);
  lines.push(`noise on negatives: at most ${res.negativeMaxUnits} shared units, ${(res.negativeMaxCoverage * 100).toFixed(1)}% of a page (thresholds: 40 units and 15% / 20%)`);
  return lines.join('\n');
}

/** Minimum recall over classes for shares ≥ 50% and for 20–49%. */
export function recallSummary(res: AccuracyResult): { min50: number; min20: number } {
  let min50 = 1;
  let min20 = 1;
  for (const lang of Object.values(res.recall))
    for (const b of Object.values(lang)) {
      for (const band of ['100%', '50-99%'] as const) {
        const s = b[band];
        if (s && s[1]) min50 = Math.min(min50, s[0] / s[1]);
      }
      const s = b['20-49%'];
      if (s && s[1]) min20 = Math.min(min20, s[0] / s[1]);
    }
  return { min50, min20 };
}
