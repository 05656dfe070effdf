/**
 * The translation corpus (tests/fixtures/translations/): faithful translations of the starter
 * originals in both directions, same-event negatives, and pages composed from them: partial
 * translations with commentary, and credited translations (a credit line in the target language);
 * short posts translating an original's headline and lead, and short same-event posts (posts.txt).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OriginalInput } from '../../lib/index/types';
import { paragraphs } from './make-pages';

const DIR = fileURLToPath(new URL('../fixtures/translations/', import.meta.url));
const STARTER = fileURLToPath(new URL('../../public/starter/', import.meta.url));

export type TranslationKind = 'full' | 'partial' | 'credited' | 'negative' | 'post' | 'post-negative';

export interface TranslationPage {
  id: string;
  kind: TranslationKind;
  /** The original it translates, or (negatives) the original of the same event. */
  source: string;
  lang: string;
  text: string;
}

function blocks(file: string): Array<{ kind: string; id: string; lang: string; text: string }> {
  const text = readFileSync(DIR + file, 'utf8');
  return text
    .split(/^=== /m)
    .slice(1)
    .map((b) => {
      const nl = b.indexOf('\n');
      const [kind, id, lang] = b.slice(0, nl).trim().split(/\s+/);
      return { kind: kind!, id: id!, lang: lang!, text: b.slice(nl + 1).trim() };
    });
}

export function starterOriginals(): OriginalInput[] {
  const out: OriginalInput[] = [];
  for (const f of ['originals-en.jsonl', 'originals-zh.jsonl'])
    for (const line of readFileSync(STARTER + f, 'utf8').split('\n')) if (line.trim()) out.push(JSON.parse(line) as OriginalInput);
  return out;
}

/** Credit lines in the target language, naming the original's outlet (by its Chinese or English name). */
const CREDIT: Record<string, (outletZh: string, outletEn: string) => string> = {
  'zh-Hans': (zh) => `（本文译自${zh}，来源：${zh}）`,
  'zh-Hant': (zh) => `（本文譯自${zh}，來源：${zh}）`,
  en: (_zh, en) => `Translated from ${en}. Source: ${en}.`,
};

export function loadTranslationCorpus(outletNames: (id: string) => { zh: string; en: string }): TranslationPage[] {
  const originals = new Map(starterOriginals().map((o) => [o.id, o]));
  const full = [...blocks('en-to-zh.txt'), ...blocks('zh-to-en.txt')];
  const commentary = new Map(blocks('commentary.txt').map((b) => [b.id, paragraphs(b.text)]));
  const pages: TranslationPage[] = [];
  for (const b of full) {
    pages.push({ id: `full-${b.id}`, kind: 'full', source: b.id, lang: b.lang, text: b.text });
    // Partial: the first ~45% of the translation's paragraphs (at least three), framed by commentary.
    const paras = paragraphs(b.text);
    const n = Math.max(3, Math.round(paras.length * 0.45));
    const c = commentary.get(b.lang)!;
    pages.push({ id: `partial-${b.id}`, kind: 'partial', source: b.id, lang: b.lang, text: [c[0], ...paras.slice(0, n), c[1], c[2]].join('\n\n') });
    const o = originals.get(b.id)!;
    const names = outletNames(o.outlet);
    pages.push({ id: `credited-${b.id}`, kind: 'credited', source: b.id, lang: b.lang, text: `${b.text}\n\n${CREDIT[b.lang]!(names.zh, names.en)}` });
  }
  for (const b of blocks('negatives.txt')) pages.push({ id: `negative-${b.id}-${pages.length}`, kind: 'negative', source: b.id, lang: b.lang, text: b.text });
  // Short posts that translate an original's headline and lead, and same-event posts that do not.
  for (const b of blocks('posts.txt')) pages.push({ id: `${b.kind}-${b.id}`, kind: b.kind as TranslationKind, source: b.id, lang: b.lang, text: b.text });
  return pages;
}
