/**
 * Untrusted strings echoed by the command-line tools (file names, option
 * values, lines of an input file, strings of an index or a feed), made safe
 * for one terminal line: C0 and C1 control characters (ESC sequences that
 * recolour or move the cursor, BEL, NUL, line breaks), DEL, bidi controls
 * (see lib/reports/bidi-controls.ts) and the line and paragraph separators
 * become visible escapes (\x1b, \n, \u202e), and a long string is cut.
 *
 * Pure, no imports.
 */

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `s` with every control character shown as an escape, cut to `max` characters (with …). */
export function printable(s: string, max = 300): string {
  const safe = s.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
  const chars = [...safe];
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : safe;
}
