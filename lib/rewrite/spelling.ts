/**
 * British and American spelling as one (colour/color, centre/center, organisation/organization,
 * programme/program, travelled/traveled, defence/defense …). State media write English in American
 * spelling; outlets in Hong Kong, Singapore, Britain or Australia that rewrite their copy use British
 * spelling, and a rewritten sentence should not lose its shared words to that. The pairs are the
 * `american-english` package's list (about 1,700 words); they are compared at the level of Porter stems,
 * so an inflection that the list lacks ("organisations", "modernises") maps as well.
 */
import spelling from 'american-english';
import { stemmer } from 'stemmer';

let stems: Map<string, string> | undefined;

function build(): Map<string, string> {
  const map = new Map<string, string>();
  const american = new Set<string>();
  for (const us of Object.values(spelling.us_spelling)) american.add(stemmer(us.trim()));
  for (const [uk, raw] of Object.entries(spelling.us_spelling)) {
    const us = raw.trim(); // the list has a few values with stray spaces ("gluing ")
    if (!/^[a-z]+$/.test(uk) || !/^[a-z]+$/.test(us)) continue;
    const a = stemmer(uk);
    const b = stemmer(us);
    // A British stem that is also an American one is left alone (it has a meaning of its own).
    if (a !== b && !american.has(a)) map.set(a, b);
  }
  return map;
}

/** The American form of a Porter stem (itself when it has no other spelling). */
export function americanStem(stem: string): string {
  return (stems ??= build()).get(stem) ?? stem;
}
