/**
 * Decodes saved HTML bytes: byte-order mark, then a charset declared in a
 * <meta> tag or XML declaration, then strict UTF-8, then statistical
 * detection (chardet). GB2312/GBK pages decode as GB18030 (a superset).
 */
import chardet from 'chardet';

export interface Decoded {
  text: string;
  encoding: string;
  /** How the encoding was chosen. */
  by: 'bom' | 'declared' | 'utf8' | 'detected' | 'fallback';
}

const ALIASES: Record<string, string> = {
  gb2312: 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
  cp936: 'gb18030',
  'big5-hkscs': 'big5',
  'iso-8859-1': 'windows-1252',
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
};

function decoderFor(label: string): TextDecoder | undefined {
  const l = label.trim().toLowerCase();
  try {
    return new TextDecoder(ALIASES[l] ?? l);
  } catch {
    return undefined;
  }
}

/** The charset declared in the first bytes, if any. */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 8192));
  const m =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head) ??
    /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i.exec(head);
  return m?.[1];
}

export function decodeHtmlBytes(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8', by: 'bom' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', by: 'bom' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', by: 'bom' };

  let utf8: string | undefined;
  try {
    utf8 = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    utf8 = undefined;
  }
  const declared = declaredCharset(bytes);
  const dec = declared ? decoderFor(declared) : undefined;
  if (dec) {
    // A page that declares a legacy charset but is valid UTF-8 with non-ASCII
    // text was re-saved as UTF-8 (browsers' "save page" does this): trust the bytes.
    const nonAscii = bytes.some((b) => b >= 0x80);
    if (utf8 !== undefined && nonAscii && dec.encoding !== 'utf-8') return { text: utf8, encoding: 'utf-8', by: 'utf8' };
    return { text: dec.decode(bytes), encoding: dec.encoding, by: 'declared' };
  }
  if (utf8 !== undefined) return { text: utf8, encoding: 'utf-8', by: 'utf8' };
  const guess = chardet.detect(bytes);
  const gdec = guess ? decoderFor(guess) : undefined;
  if (gdec) return { text: gdec.decode(bytes), encoding: gdec.encoding, by: 'detected' };
  return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8', by: 'fallback' };
}
