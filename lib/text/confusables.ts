/**
 * Letters from other scripts that render like Latin letters (after case
 * folding). Copy-obfuscators swap them in to break naive matching; the engine
 * folds them to the Latin letter. Drawn from the Cyrillic and Greek entries of
 * Unicode's confusables data (UTS #39) that map to a single lowercase Latin
 * letter. Both the page and the original are folded the same way, so Russian
 * or Greek text stays consistent with itself.
 */
const PAIRS: Record<string, string> = {
  // Cyrillic
  'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'һ': 'h', 'і': 'i', 'ї': 'i', 'ј': 'j', 'к': 'k', 'ӏ': 'l',
  'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'ԛ': 'q', 'г': 'r', 'ѕ': 's', 'т': 't', 'у': 'y',
  'х': 'x', 'ԝ': 'w', 'ԁ': 'd', 'ɡ': 'g', 'с': 'c', 'ү': 'y', 'ѵ': 'v', 'ɩ': 'i',
  // Greek
  'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p',
  'τ': 't', 'υ': 'u', 'χ': 'x', 'γ': 'y', 'ϲ': 'c', 'ϳ': 'j', 'ѡ': 'w',
  // Latin look-alikes outside ASCII that NFKD does not fold
  'ı': 'i', 'ȷ': 'j', 'ł': 'l', 'ø': 'o', 'đ': 'd', 'ħ': 'h', 'ŧ': 't', 'ß': 'ss', 'æ': 'ae', 'œ': 'oe',
};

export const CONFUSABLES: ReadonlyMap<number, string> = new Map(
  Object.entries(PAIRS).map(([k, v]) => [k.codePointAt(0)!, v]),
);
