/**
 * Rewrite benchmark: the hand-written corpus of rewritten copies and
 * independent same-event articles (tests/fixtures/rewrites/), plus seeded
 * mechanical rewrites, scanned against an index of the fixture originals.
 * Each page's verdict is read as wholly derived (a copy finding on its
 * source), partially derived (a partial finding on its source) or not
 * derived; a finding on another original counts as not derived (and as a
 * false positive on a negative). Reports ternary and binary macro-F1 and the
 * precision on same-event negatives, per language, for the corpus's dev half
 * (originals with odd numbers, which the thresholds were chosen on) and test
 * half (even numbers, never looked at while choosing), with and without the
 * originals' texts in the index.
 */
import { IndexBuilder } from '../../lib/index/build-index';
import type { MemoryIndex } from '../../lib/index/memory-index';
import type { OriginalInput } from '../../lib/index/types';
import { scanPage, type PageScan } from '../../lib/scan-page';
import { loadFixtures, type Lang } from '../support/make-pages';
import { britishSpelling, embedInPage, hardWrap, hasSynonyms, loadRewriteCorpus, mechanicalRewrites, type CorpusPage, type DerivationLabel } from '../support/rewrite-generator';
import { registry } from './accuracy';

export type Split = 'dev' | 'test';
export const LABELS: DerivationLabel[] = ['wholly', 'partial', 'none'];

/** dev: originals with odd numbers (en-001, zh-003 …); test: even. */
export function splitOf(source: string): Split {
  const n = Number(/(\d+)$/.exec(source)?.[1] ?? 0);
  return n % 2 === 1 ? 'dev' : 'test';
}

export interface Judged {
  page: CorpusPage;
  split: Split;
  got: DerivationLabel;
  scan: PageScan;
}

export function fixtureIndex(originals: OriginalInput[], withText: boolean): MemoryIndex {
  const b = new IndexBuilder({ created: '2026-01-01T00:00:00Z', keepText: withText });
  for (const o of originals) b.add(o);
  return b.finish();
}

/** The derivation class a scan gives a page with respect to its source original. */
export function derivationOf(scan: PageScan, source: string): DerivationLabel {
  const f = scan.finding;
  if (!f) return 'none';
  const ids = [f.candidate.original.id, ...f.candidate.alsoIn.map((m) => m.id)];
  if (!ids.includes(source)) return 'none';
  return f.level === 'copy' ? 'wholly' : 'partial';
}

export async function judgeAll(pages: CorpusPage[], index: MemoryIndex, rewrite = true): Promise<Judged[]> {
  const reg = registry();
  const out: Judged[] = [];
  for (const page of pages) {
    const scan = await scanPage({ text: page.text }, index, reg, { match: { rewrite } });
    out.push({ page, split: splitOf(page.source), got: derivationOf(scan, page.source), scan });
  }
  return out;
}

export interface Scores {
  n: number;
  ternaryF1: number;
  binaryF1: number;
  /** Same-event negatives judged not derived (and not matched to any original). */
  negativePrecision: number;
  negatives: number;
  /** confusion[expected][got] */
  confusion: Record<DerivationLabel, Record<DerivationLabel, number>>;
  /** Pages of a negative flagged as derived from any original (false positives). */
  falsePositives: number;
}

function f1(tp: number, fp: number, fn: number): number {
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

export function score(items: Judged[]): Scores {
  const confusion = Object.fromEntries(LABELS.map((a) => [a, Object.fromEntries(LABELS.map((b) => [b, 0]))])) as Scores['confusion'];
  let negatives = 0;
  let negOk = 0;
  let falsePositives = 0;
  for (const j of items) {
    confusion[j.page.label][j.got]++;
    if (j.page.label === 'none') {
      negatives++;
      const flagged = j.scan.verdict !== 'none';
      if (flagged) falsePositives++;
      else negOk++;
    }
  }
  const perClass = LABELS.map((c) => {
    const tp = confusion[c][c];
    const fp = LABELS.filter((x) => x !== c).reduce((s, x) => s + confusion[x][c], 0);
    const fn = LABELS.filter((x) => x !== c).reduce((s, x) => s + confusion[c][x], 0);
    return f1(tp, fp, fn);
  });
  const derived = (l: DerivationLabel) => l !== 'none';
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const j of items) {
    const e = derived(j.page.label);
    const g = derived(j.got);
    if (e && g) tp++;
    else if (!e && g) fp++;
    else if (e && !g) fn++;
    else tn++;
  }
  const binaryF1 = (f1(tp, fp, fn) + f1(tn, fn, fp)) / 2;
  return {
    n: items.length,
    ternaryF1: perClass.reduce((a, b) => a + b, 0) / perClass.length,
    binaryF1,
    negativePrecision: negatives ? negOk / negatives : 1,
    negatives,
    confusion,
    falsePositives,
  };
}

export interface RewriteBenchResult {
  /** rows[text|no-text][lang][split]: rewrites and independent reports (same-facts pages apart) */
  corpus: Record<string, Record<string, Record<string, Scores>>>;
  /** Same-facts pages per language: [judged derived, total]. */
  sameFacts: Record<string, [number, number]>;
  /** The verbatim tier alone on the same pages (texts in the index, all pages), per language. */
  baseline: Record<string, Scores>;
  /** Texts in the index, pages and originals hard-wrapped (plain-text files, wire copy), per language. */
  wrapped: Record<string, Scores>;
  /** Texts in the index, each page inside one three times longer (derived pages labelled partial), per language. */
  embedded: Record<string, Scores>;
  /** Texts in the index, English pages in British spelling: how many pages the respelling changed, and the scores. */
  british?: { pages: number; scores: Scores };
  /** Mechanical rewrites: recall per strength (wholly pages judged derived) and partial pages judged derived, per language. */
  mechanical: Record<string, Record<string, [number, number]>>;
  items: Judged[];
}

export async function runRewriteBench(): Promise<RewriteBenchResult> {
  const fx = loadFixtures();
  const originals = [...fx.originals.en, ...fx.originals.zh];
  const corpus = loadRewriteCorpus();
  const res: RewriteBenchResult = { corpus: {}, sameFacts: {}, baseline: {}, wrapped: {}, embedded: {}, mechanical: {}, items: [] };
  {
    const judged = (await judgeAll(corpus, fixtureIndex(originals, true), false)).filter((j) => j.page.group !== 'same-facts');
    for (const lang of ['en', 'zh'] as Lang[]) res.baseline[lang] = score(judged.filter((j) => j.page.lang === lang));
  }
  for (const withText of [true, false]) {
    const index = fixtureIndex(originals, withText);
    const judged = await judgeAll(corpus, index);
    if (withText) res.items = judged;
    const mode = withText ? 'text' : 'no-text';
    const main = judged.filter((j) => j.page.group !== 'same-facts');
    for (const lang of ['en', 'zh'] as Lang[])
      for (const split of ['dev', 'test', 'all'] as const) {
        const items = main.filter((j) => j.page.lang === lang && (split === 'all' || j.split === split));
        ((res.corpus[mode] ??= {})[lang] ??= {})[split] = score(items);
      }
    if (withText)
      for (const j of judged.filter((x) => x.page.group === 'same-facts')) {
        const slot = (res.sameFacts[j.page.lang] ??= [0, 0]);
        slot[1]++;
        if (j.scan.verdict !== 'none') slot[0]++;
      }
  }
  const langOf = (o: OriginalInput): Lang => (o.lang.startsWith('zh') ? 'zh' : 'en');
  {
    // The same corpus as plain-text files give it: pages and originals hard-wrapped.
    const wrappedIndex = fixtureIndex(originals.map((o) => ({ ...o, text: hardWrap(o.text, langOf(o)) })), true);
    const pages = corpus.filter((p) => p.group !== 'same-facts').map((p) => ({ ...p, text: hardWrap(p.text, p.lang) }));
    const judged = await judgeAll(pages, wrappedIndex);
    for (const lang of ['en', 'zh'] as Lang[]) res.wrapped[lang] = score(judged.filter((j) => j.page.lang === lang));
  }
  {
    // Each page inside a page three times longer (unrelated paragraphs around it): derived pages are partial.
    const pages = corpus.filter((p) => p.group !== 'same-facts').map((p, i) => embedInPage(p, fx.filler[p.lang], i));
    const judged = await judgeAll(pages, fixtureIndex(originals, true));
    for (const lang of ['en', 'zh'] as Lang[]) res.embedded[lang] = score(judged.filter((j) => j.page.lang === lang));
  }
  {
    // English pages respelled the British way (the originals keep the American spelling state media use).
    const english = corpus.filter((p) => p.group !== 'same-facts' && p.lang === 'en');
    const pages = english.map((p) => ({ ...p, text: britishSpelling(p.text) }));
    res.british = { pages: pages.filter((p, i) => p.text !== english[i]!.text).length, scores: score(await judgeAll(pages, fixtureIndex(originals, true))) };
  }
  const index = fixtureIndex(originals, true);
  const mech = mechanicalRewrites(originals.filter((o) => hasSynonyms(langOf(o))), [...fx.filler.en, ...fx.filler.zh], 20261130, langOf);
  for (const j of await judgeAll(mech, index)) {
    const key = j.page.label === 'partial' ? 'partial' : j.page.strength;
    const slot = ((res.mechanical[j.page.lang] ??= {})[key] ??= [0, 0]);
    slot[1]++;
    if (j.got !== 'none') slot[0]++;
  }
  return res;
}

const fmt = (x: number) => x.toFixed(3);

export function rewriteTables(r: RewriteBenchResult): string {
  const lines: string[] = [];
  lines.push('| index | lang | split | pages | ternary macro-F1 | binary macro-F1 | same-event precision | false positives |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const [mode, byLang] of Object.entries(r.corpus))
    for (const [lang, bySplit] of Object.entries(byLang))
      for (const [split, s] of Object.entries(bySplit))
        lines.push(`| ${mode} | ${lang} | ${split} | ${s.n} | ${fmt(s.ternaryF1)} | ${fmt(s.binaryF1)} | ${fmt(s.negativePrecision)} (n=${s.negatives}) | ${s.falsePositives} |`);
  for (const [lang, s] of Object.entries(r.wrapped))
    lines.push(`| text, hard-wrapped | ${lang} | all | ${s.n} | ${fmt(s.ternaryF1)} | ${fmt(s.binaryF1)} | ${fmt(s.negativePrecision)} (n=${s.negatives}) | ${s.falsePositives} |`);
  for (const [lang, s] of Object.entries(r.embedded))
    lines.push(`| text, inside a page 3× longer (derived = partial) | ${lang} | all | ${s.n} | ${fmt(s.ternaryF1)} | ${fmt(s.binaryF1)} | ${fmt(s.negativePrecision)} (n=${s.negatives}) | ${s.falsePositives} |`);
  if (r.british) {
    const s = r.british.scores;
    lines.push(`| text, British spelling (${r.british.pages} pages respelled) | en | all | ${s.n} | ${fmt(s.ternaryF1)} | ${fmt(s.binaryF1)} | ${fmt(s.negativePrecision)} (n=${s.negatives}) | ${s.falsePositives} |`);
  }
  for (const [lang, s] of Object.entries(r.baseline))
    lines.push(`| verbatim tier only | ${lang} | all | ${s.n} | ${fmt(s.ternaryF1)} | ${fmt(s.binaryF1)} | ${fmt(s.negativePrecision)} (n=${s.negatives}) | ${s.falsePositives} |`);
  lines.push('');
  lines.push('Confusion (texts in the index, all pages; rows: expected, columns: judged wholly / partial / none):');
  lines.push('');
  lines.push('| lang | expected | wholly | partial | none |');
  lines.push('|---|---|---|---|---|');
  for (const lang of Object.keys(r.corpus.text ?? {})) {
    const c = r.corpus.text![lang]!.all!.confusion;
    for (const e of LABELS) lines.push(`| ${lang} | ${e} | ${c[e].wholly} | ${c[e].partial} | ${c[e].none} |`);
  }
  lines.push('');
  for (const [lang, [d, n]] of Object.entries(r.sameFacts))
    lines.push(`Same-facts pages (${lang}: same-event reports restating most of the original's figures, not scored above): ${d} of ${n} judged derived.`);
  lines.push('');
  lines.push('| mechanical rewrites | ' + ['light', 'medium', 'heavy', 'partial'].join(' | ') + ' |');
  lines.push('|---|---|---|---|---|');
  for (const [lang, m] of Object.entries(r.mechanical))
    lines.push(`| ${lang} (judged derived) | ${['light', 'medium', 'heavy', 'partial'].map((k) => (m[k] ? `${fmt(m[k]![0] / m[k]![1])} (n=${m[k]![1]})` : '—')).join(' | ')} |`);
  return lines.join('\n');
}
