/**
 * Names across scripts: a Chinese name written in English is its pinyin ("周启明" = "Zhou Qiming",
 * "青岚" = "Qinglan"). English runs of capitalised words that read wholly as pinyin give their
 * syllables; a Chinese text gives the readings of every pair of adjacent Han characters. Anchors
 * are syllable pairs ("y:zhou qi", "y:qi ming"), so word order and spacing ("Qi-ming") do not matter.
 */
import { foldAligned } from '../text/normalize';
import type { Anchor } from './anchors';
import type { Dictionary } from './dictionary';

/** Syllables of a word read wholly as pinyin (fewest syllables), or undefined. */
export function pinyinSyllables(word: string, syllables: ReadonlySet<string>): string[] | undefined {
  const w = word.toLowerCase().replace(/ü/g, 'u');
  const n = w.length;
  const best: Array<number> = new Array(n + 1).fill(Infinity);
  const from: number[] = new Array(n + 1).fill(-1);
  best[0] = 0;
  for (let i = 0; i < n; i++) {
    if (best[i] === Infinity) continue;
    for (let len = 1; len <= 6 && i + len <= n; len++) {
      if (!syllables.has(w.slice(i, i + len))) continue;
      if (best[i]! + 1 < best[i + len]!) {
        best[i + len] = best[i]! + 1;
        from[i + len] = i;
      }
    }
  }
  if (best[n] === Infinity) return undefined;
  const out: string[] = [];
  for (let at = n; at > 0; at = from[at]!) out.unshift(w.slice(from[at]!, at));
  return out;
}

/** Name anchors of an English text: syllable pairs within runs of capitalised pinyin words. */
export function englishNameAnchors(text: string, dict: Dictionary): Anchor[] {
  const syl = dict.syllables();
  const out: Anchor[] = [];
  // Runs of capitalised words joined by a space or hyphen: "Zhou Qiming", "Wen Lisha", "Qi-ming".
  for (const m of text.matchAll(/\p{Lu}[a-zü]+(?:[ -]\p{Lu}?[a-zü]+)*/gu)) {
    const words = m[0].split(/[ -]/);
    let run: Array<{ s: string; at: number }> = [];
    let offset = m.index!;
    const flush = () => {
      for (let i = 0; i + 1 < run.length; i++) out.push({ key: `y:${run[i]!.s} ${run[i + 1]!.s}`, kind: 'name', start: run[i]!.at, end: run[i + 1]!.at + run[i + 1]!.s.length });
      run = [];
    };
    for (const w of words) {
      const s = /^\p{Lu}/u.test(w) || run.length ? pinyinSyllables(w, syl) : undefined;
      if (s) for (const x of s) run.push({ s: x, at: offset });
      else flush();
      offset += w.length + 1;
    }
    flush();
  }
  return out;
}

/** Name anchors of a Chinese text: the readings of every pair of adjacent Han characters. */
export function chineseNameAnchors(text: string, dict: Dictionary): Anchor[] {
  const folded = foldAligned(text);
  const out: Anchor[] = [];
  let prev: readonly string[] = [];
  for (let i = 0; i < folded.length; i++) {
    const r = dict.readings(folded[i]!).slice(0, 2);
    for (const a of prev) for (const b of r) out.push({ key: `y:${a} ${b}`, kind: 'name', start: i - 1, end: i + 1 });
    prev = r;
  }
  return out;
}
