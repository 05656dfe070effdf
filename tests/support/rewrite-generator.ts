/**
 * Seeded generator of mechanical rewrites, for the rewrite benchmark and
 * tests: what an editor's quick rewrite does to wire copy, applied by rule —
 * synonyms swapped from a dictionary (tests/fixtures/rewrites/synonyms-*.json),
 * sentences split at a clause boundary and adjacent ones merged, sentences and
 * paragraphs dropped, paragraphs reordered. Strength sets how much of each.
 * "partial" pages mix part of a rewritten original with unrelated text.
 * The hand-written corpus (tests/fixtures/rewrites/*.jsonl) is the real test;
 * this adds volume and variety at every strength.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { OriginalInput } from '../../lib/index/types';
import { jsonl, loadFixtures, paragraphs, rng, sentences, stripSourceTag, type Lang } from './make-pages';

export type Strength = 'light' | 'medium' | 'heavy';
export type DerivationLabel = 'wholly' | 'partial' | 'none';

export interface CorpusPage {
  id: string;
  lang: Lang;
  /** The original it derives from (or, for same-event negatives, is about). */
  source: string;
  label: DerivationLabel;
  kind: string;
  strength: string;
  credited: boolean;
  title: string;
  text: string;
  /**
   * independent: a report of the same event by someone who took only its core facts (≥ 60% own reporting);
   * same-facts: a same-event report written from a full fact sheet of the original (own wording and angle, most of
   * its figures): neither clearly independent nor clearly rewritten, reported apart; rewrite: derived from the original.
   */
  group?: 'rewrite' | 'independent' | 'same-facts';
}

const ROOT = new URL('../../', import.meta.url);
const readJson = (p: string) => JSON.parse(readFileSync(new URL(p, ROOT), 'utf8'));

/** The hand-written corpus: rewrites and reports of the same events, per language. */
export function loadRewriteCorpus(): CorpusPage[] {
  const fx = loadFixtures();
  const originals = new Map([...fx.originals.en, ...fx.originals.zh].map((o) => [o.id, o]));
  const files = ['rewrites-en', 'rewrites2-en', 'paraphrases-en', 'rewrites-zh', 'paraphrases-zh', 'independent-en', 'same-event-en', 'same-event-zh'];
  const out: CorpusPage[] = [];
  for (const f of files) {
    const path = `tests/fixtures/rewrites/${f}.jsonl`;
    if (f === 'rewrites2-en' && !existsSync(new URL(path, ROOT))) continue;
    for (const p of jsonl<CorpusPage>(path)) {
      // same-event-en.jsonl was written from a full fact sheet of each original (it repeats a median 64% of the
      // original's figures, against 25% and 33% for the two sets written from the core facts only).
      const group = p.label !== 'none' ? 'rewrite' : f === 'same-event-en' ? 'same-facts' : 'independent';
      out.push({ ...p, group });
    }
  }
  return out;
}

/** Whether the synonym dictionary of a language is there (the mechanical rewrites need it). */
export function hasSynonyms(lang: Lang): boolean {
  return existsSync(new URL(`tests/fixtures/rewrites/synonyms-${lang}.json`, ROOT));
}

let synonyms: Partial<Record<Lang, Map<string, string[]>>> | undefined;
function dictionary(lang: Lang): Map<string, string[]> {
  synonyms ??= {};
  return (synonyms[lang] ??= new Map(Object.entries(readJson(`tests/fixtures/rewrites/synonyms-${lang}.json`) as Record<string, string[]>)));
}

const pick = <T>(r: () => number, a: readonly T[]): T => a[Math.floor(r() * a.length)]!;

/** Swaps dictionary words (longest first) for a synonym with probability p each. */
function swapSynonyms(r: () => number, s: string, lang: Lang, p: number): string {
  const dict = dictionary(lang);
  const keys = [...dict.keys()].sort((a, b) => b.length - a.length);
  const escaped = keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = lang === 'en' ? new RegExp(`\\b(${escaped.join('|')})\\b`, 'gi') : new RegExp(`(${escaped.join('|')})`, 'g');
  return s.replace(re, (m) => {
    if (r() >= p) return m;
    const alt = pick(r, dict.get(m.toLowerCase()) ?? dict.get(m) ?? [m]);
    return /^[A-Z]/.test(m) ? alt.charAt(0).toUpperCase() + alt.slice(1) : alt;
  });
}

/** Splits a sentence at a clause boundary (", and", ", which", "，") when it has one. */
function split(s: string, lang: Lang): string[] {
  if (lang === 'zh') {
    const parts = s.split('，');
    if (parts.length < 3) return [s];
    const mid = Math.floor(parts.length / 2);
    return [parts.slice(0, mid).join('，') + '。', parts.slice(mid).join('，')];
  }
  const m = /, (and|but|which|while|where) /.exec(s);
  if (!m || m.index < 25) return [s];
  const rest = s.slice(m.index + m[0].length);
  const lead = m[1] === 'which' || m[1] === 'where' ? 'It ' : '';
  return [s.slice(0, m.index) + '.', lead + rest.charAt(0).toUpperCase() + rest.slice(1)];
}

function merge(a: string, b: string, lang: Lang): string {
  if (lang === 'zh') return a.replace(/[。！？]$/, '，') + b;
  return a.replace(/[.!?]$/, '') + ', and ' + b.charAt(0).toLowerCase() + b.slice(1);
}

const STRENGTH: Record<Strength, { swap: number; split: number; merge: number; dropSentence: number; reorder: boolean }> = {
  light: { swap: 0.2, split: 0.1, merge: 0.05, dropSentence: 0.05, reorder: false },
  medium: { swap: 0.5, split: 0.3, merge: 0.2, dropSentence: 0.15, reorder: false },
  heavy: { swap: 0.85, split: 0.4, merge: 0.3, dropSentence: 0.3, reorder: true },
};

/** A mechanical rewrite of one original's paragraphs. */
export function rewriteParagraphs(r: () => number, paras: string[], lang: Lang, strength: Strength): string[] {
  const c = STRENGTH[strength];
  let out = paras.map((p) => {
    const ss: string[] = [];
    for (const s of sentences(p, lang)) {
      if (r() < c.dropSentence) continue;
      const swapped = swapSynonyms(r, s, lang, c.swap);
      if (r() < c.split) ss.push(...split(swapped, lang));
      else if (ss.length && r() < c.merge) ss.push(merge(ss.pop()!, swapped, lang));
      else ss.push(swapped);
    }
    return ss.join(lang === 'zh' ? '' : ' ');
  });
  out = out.filter((p) => p.trim());
  if (c.reorder && out.length > 2) {
    const [first, ...rest] = out;
    for (let i = rest.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [rest[i], rest[j]] = [rest[j]!, rest[i]!];
    }
    out = [first!, ...rest];
  }
  return out;
}

/**
 * Mechanical rewrites of every original: one wholly derived page per
 * strength, and a partial page (a rewritten half of the original between
 * paragraphs of an unrelated article).
 */
export function mechanicalRewrites(originals: OriginalInput[], unrelated: string[], seed: number, langOf: (o: OriginalInput) => Lang): CorpusPage[] {
  const r = rng(seed);
  const out: CorpusPage[] = [];
  for (const o of originals) {
    const lang = langOf(o);
    const paras = paragraphs(o.text);
    paras[0] = stripSourceTag(paras[0]!);
    for (const strength of ['light', 'medium', 'heavy'] as Strength[])
      out.push({ id: `mech-${o.id}-${strength}`, lang, source: o.id, label: 'wholly', kind: 'mechanical', strength, credited: false, title: o.title, text: rewriteParagraphs(r, paras, lang, strength).join('\n\n') });
    const start = Math.floor(r() * Math.max(1, paras.length / 2));
    const half = paras.slice(start, start + Math.max(1, Math.ceil(paras.length * 0.4)));
    const other = unrelated.length ? [pick(r, unrelated), pick(r, unrelated), pick(r, unrelated)] : [];
    out.push({
      id: `mech-${o.id}-partial`,
      lang,
      source: o.id,
      label: 'partial',
      kind: 'mechanical',
      strength: 'medium',
      credited: false,
      title: o.title,
      text: [other[0] ?? '', ...rewriteParagraphs(r, half, lang, 'medium'), other[1] ?? '', other[2] ?? ''].filter(Boolean).join('\n\n'),
    });
  }
  return out;
}

/**
 * The text as a plain-text file, wire copy or e-mail gives it: every line broken at a fixed width
 * (68 columns in English, 34 characters in Chinese), a blank line between paragraphs.
 */
export function hardWrap(text: string, lang: Lang): string {
  return text
    .split(/\n+/)
    .map((para) =>
      (lang === 'zh'
        ? (para.match(/[\s\S]{1,34}/g) ?? [])
        : para.split(/\s+/).reduce<string[]>((lines, w) => {
            if (lines.length && lines[lines.length - 1]!.length + 1 + w.length <= 68) lines[lines.length - 1] += ' ' + w;
            else lines.push(w);
            return lines;
          }, [])
      ).join('\n'),
    )
    .join('\n\n');
}

/** American → British spellings that news copy uses (a hand-made list, independent of the matcher's). */
const BRITISH: Record<string, string> = Object.fromEntries(
  (
    'center:centre centers:centres centered:centred program:programme programs:programmes organization:organisation ' +
    'organizations:organisations organize:organise organized:organised organizing:organising recognize:recognise ' +
    'recognized:recognised modernize:modernise modernization:modernisation realize:realise realized:realised ' +
    'analyze:analyse analyzed:analysed labor:labour defense:defence color:colour colors:colours favor:favour ' +
    'neighbor:neighbour neighbors:neighbours neighboring:neighbouring harbor:harbour meter:metre meters:metres ' +
    'kilometer:kilometre kilometers:kilometres liter:litre liters:litres traveled:travelled traveling:travelling ' +
    'canceled:cancelled catalog:catalogue dialog:dialogue aging:ageing fulfill:fulfil enrollment:enrolment ' +
    'gray:grey behavior:behaviour honor:honour mobilize:mobilise prioritize:prioritise stabilize:stabilise ' +
    'utilize:utilise urbanization:urbanisation industrialization:industrialisation optimize:optimise ' +
    'authorized:authorised emphasized:emphasised criticized:criticised minimize:minimise maximize:maximise ' +
    'specialized:specialised standardized:standardised digitalization:digitalisation subsidized:subsidised'
  )
    .split(' ')
    .map((pair) => pair.split(':') as [string, string]),
);

/** The text as an outlet writing British English would spell it (case kept). */
export function britishSpelling(text: string): string {
  return text.replace(/[A-Za-z]+/g, (w) => {
    const b = BRITISH[w.toLowerCase()];
    if (!b) return w;
    return w[0] === w[0]!.toUpperCase() ? b[0]!.toUpperCase() + b.slice(1) : b;
  });
}

/**
 * A page three times longer than the text, the text in its middle: unrelated paragraphs (the filler
 * fixtures) before and after it, as a live blog, a portal page or a post among comments holds a story.
 * Whatever the text was, the page derives at most a quarter of itself from an original: partial.
 */
export function embedInPage(page: CorpusPage, filler: readonly string[], seed: number): CorpusPage {
  const n = Math.ceil((page.text.length * 3) / 600);
  const paras: string[] = [];
  for (let j = 0; j < n * 2; j++) paras.push(filler[(seed * 7 + j) % filler.length]!);
  return { ...page, label: page.label === 'none' ? 'none' : 'partial', text: [...paras.slice(0, n), page.text, ...paras.slice(n)].join('\n\n') };
}
