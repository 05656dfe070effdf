/**
 * A file given to the scan command, as a page or as the reason it cannot be
 * read: no input is ever judged without text to judge. Unreadable are an
 * empty file; a known binary format (by its first bytes: PDF, ZIP and the
 * Office and EPUB formats built on it, old Office, images, gzip, RTF, MHTML);
 * any other file with NUL bytes (binary, or UTF-16 without a byte-order
 * mark); text that decodes to garbage (replacement and control characters
 * over GARBAGE_SHARE of it: a wrong declared charset, or a binary file with a
 * page's name); a page or text with no words. Pure: bytes in, result out
 * (`now`, when the figures of a platform page are read, defaults to the clock).
 */
import type { PageContext } from '../credit/detect-credit';
import { decodeHtmlBytes } from '../extract/decode-html';
import { extractSavedUnits } from '../extract/saved-units';
import { unitContexts, type UnitContext } from '../platforms/contexts';

export const HTML_EXT = ['.html', '.htm', '.xhtml', '.shtml'];
export const TEXT_EXT = ['.txt', '.text', '.md'];

/** Share of the decoded characters that are U+FFFD or control characters above which the text is garbage. */
export const GARBAGE_SHARE = 0.02;

/** A readable input: its page and, on a platform page (lib/platforms), one context per unit (post, video, article). */
export type PageFile = { page: PageContext; encoding: string; units?: UnitContext[] } | { unreadable: string };

const SIGNATURES: Array<[RegExp, string]> = [
  [/^%PDF-/, 'a PDF document'],
  [/^PK\x03\x04/, 'a ZIP archive (or a .docx, .odt or .epub document, which are ZIP archives)'],
  [/^\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1/, 'an old Microsoft Office document'],
  [/^\x89PNG\r\n\x1a\n/, 'a PNG image'],
  [/^\xff\xd8\xff/, 'a JPEG image'],
  [/^GIF8[79]a/, 'a GIF image'],
  [/^RIFF[\s\S]{4}WEBP/, 'a WebP image'],
  [/^\x1f\x8b/, 'gzip-compressed data'],
  [/^\{\\rtf/, 'an RTF document'],
  [/^(?:From: <Saved by|MIME-Version: 1\.0)[\s\S]{0,400}(?:multipart\/related|Content-Location:)/i, 'an MHTML web archive (save the page as "Webpage, HTML only" or "Webpage, Complete")'],
];

/** What the first bytes say the file is, when it is a known binary format. */
export function sniffBinary(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  for (const [re, what] of SIGNATURES) if (re.test(head)) return what;
  return undefined;
}

/** Why the bytes are no text, if they are not: NUL bytes that no text encoding of a page contains. */
function notText(bytes: Uint8Array): string | undefined {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return undefined; // UTF-16 with its BOM
  const head = bytes.subarray(0, 64 * 1024);
  let nul = 0;
  let nulOdd = 0;
  for (let i = 0; i < head.length; i++)
    if (head[i] === 0) {
      nul++;
      if (i % 2) nulOdd++;
    }
  if (!nul) return undefined;
  const pairs = Math.floor(head.length / 2);
  if (nul > pairs * 0.3 && (nulOdd > nul * 0.95 || nulOdd < nul * 0.05)) return 'not text: a NUL byte in every other place, as in UTF-16 without a byte-order mark (save it as UTF-8)';
  return 'a binary file, not text (it holds NUL bytes)';
}

/** Share of characters that are U+FFFD (undecodable bytes) or control characters other than blank space. */
export function garbageShare(text: string): number {
  if (!text.length) return 0;
  const bad = text.match(/[\ufffd\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g)?.length ?? 0;
  return bad / text.length;
}

/**
 * The page in `bytes`. `kind` says how to read it: a saved page (HTML), a
 * text file, or unknown (an explicitly named file with another extension:
 * HTML if it looks like HTML, text if it decodes cleanly).
 */
export function readPageBytes(bytes: Uint8Array, kind: 'html' | 'text' | 'unknown', now?: string): PageFile {
  if (!bytes.length) return { unreadable: 'empty file' };
  const binary = sniffBinary(bytes);
  if (binary) return { unreadable: `${binary}, not a saved page or text file` };
  const nul = notText(bytes);
  if (nul) return { unreadable: nul };
  const decoded = decodeHtmlBytes(bytes);
  const share = garbageShare(decoded.text);
  if (share > GARBAGE_SHARE) {
    const how = decoded.by === 'declared' ? `as ${decoded.encoding}, the charset it declares` : decoded.by === 'detected' ? `as ${decoded.encoding}, the charset detected` : `as ${decoded.encoding}`;
    return { unreadable: `the text does not decode ${how}: ${Math.round(share * 100)}% of its characters are unreadable or control characters` };
  }
  const looksHtml = /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article|div|p)[\s>/]/i.test(decoded.text.slice(0, 4096)) || /<(?:html|body)[\s>]/i.test(decoded.text.slice(0, 4096));
  const asHtml = kind === 'html' || (kind === 'unknown' && looksHtml);
  if (asHtml) {
    const { page, platform } = extractSavedUnits(bytes, now);
    // A platform page may hold its posts only in its script data (m.weibo.cn): its units are its text.
    if (platform) return { page, encoding: page.encoding, units: unitContexts(page, platform) };
    if (!page.text.trim()) return { unreadable: 'no text found in the page (a page that builds its text with scripts must be saved after it has rendered)' };
    return { page, encoding: page.encoding };
  }
  if (!decoded.text.trim()) return { unreadable: 'no text (only blank space)' };
  return { page: { text: decoded.text, links: [], bylines: [] }, encoding: decoded.encoding };
}
