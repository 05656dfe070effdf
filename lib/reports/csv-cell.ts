/**
 * One CSV cell (RFC 4180) that a spreadsheet shows as text, for the
 * extension's reports export and the report server's export alike.
 *
 * Formula injection ("CSV injection", OWASP): spreadsheets run a cell that
 * starts with = + - @ as a formula, and some do so after leading spaces, or
 * with the full-width (＝＋－＠) and small (﹦﹢﹣﹫) forms that an East Asian
 * input method types. A cell whose first character, after any whitespace,
 * control or invisible format characters (Unicode White_Space, Cc, Cf), is one
 * of those — compared after NFKC, which folds the wide and small forms — or
 * that starts with a tab or a carriage return, gets a leading apostrophe.
 * Bidi control characters are removed (see bidi-controls.ts), so that a cell
 * reads in the order it is stored.
 *
 * Pure, no imports beyond bidi-controls.ts: the server imports it without Dexie.
 */
import { stripBidiControls } from './bidi-controls';

const LEADING_INVISIBLE = /^[\s\p{Cc}\p{Cf}]*/u;
const FORMULA_START = /^[=+\-@]/;

/** True when a spreadsheet could take the text for a formula. */
export function looksLikeFormula(s: string): boolean {
  if (/^[\t\r]/.test(s)) return true;
  const first = String.fromCodePoint(s.replace(LEADING_INVISIBLE, '').codePointAt(0) ?? 32);
  return FORMULA_START.test(first.normalize('NFKC'));
}

/** One cell: bidi controls removed, a formula defused with a leading ', quoted when it holds " , CR or LF. */
export function csvCell(value: unknown): string {
  let s = stripBidiControls(value === undefined || value === null ? '' : String(value));
  if (looksLikeFormula(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
