/**
 * Unicode bidirectional formatting characters (UAX #9, "Explicit Directional
 * Formatting Characters" and the implicit marks): LRE, RLE, PDF, LRO, RLO
 * (U+202A–202E), LRI, RLI, FSI, PDI (U+2066–2069), LRM, RLM (U+200E, U+200F)
 * and ALM (U+061C). Text that carries them can be shown in another order than
 * it is stored — an address, a name or a note that reads as something else
 * ("Trojan Source", Boucher and Anderson 2021, CVE-2021-42574). Reports are
 * stored and shown without them; the report server refuses them.
 *
 * Pure, no imports: the extension and the report server both use it.
 */

/** Any one bidi control character. */
export const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const EVERY_BIDI_CONTROL = new RegExp(BIDI_CONTROL.source, 'g');

/** The text without bidi control characters. */
export function stripBidiControls(s: string): string {
  return s.replace(EVERY_BIDI_CONTROL, '');
}
