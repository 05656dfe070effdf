/**
 * The command-line tools' pure pieces: what a file given to scan is (a page,
 * or why it cannot be read), the checks on an original's fields, echoed
 * strings made printable, and the marks of a report's shared words.
 */
import { describe, expect, it } from 'vitest';
import { markedPieces, mdText, htmlText } from '../../lib/cli/format-report';
import { canonicalLang, checkPublished, isoPublished, notUtf8Text } from '../../lib/cli/original-fields';
import { garbageShare, readPageBytes, sniffBinary } from '../../lib/cli/page-file';
import { printable } from '../../lib/cli/printable';

const bytes = (s: string) => new TextEncoder().encode(s);
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('readPageBytes: a page, or why not', () => {
  const page = '<html><body><article><p>The harbour opened two new berths on Monday, officials said.</p></article></body></html>';
  it('reads a saved page and a text file', () => {
    const html = readPageBytes(bytes(page), 'html');
    expect('page' in html && html.page.text).toMatch(/harbour opened two new berths/);
    const text = readPageBytes(bytes('Plain words of a note.\n\nA second paragraph.'), 'text');
    expect('page' in text && text.page.text).toBe('Plain words of a note.\n\nA second paragraph.');
  });
  it('reads a file of another extension as HTML when it looks like HTML, else as text', () => {
    const asHtml = readPageBytes(bytes(`<!-- saved -->\n${page}`), 'unknown');
    expect('page' in asHtml && asHtml.page.text).toBe('The harbour opened two new berths on Monday, officials said.');
    const asText = readPageBytes(bytes('a <b> is not a page'), 'unknown');
    expect('page' in asText && asText.page.text).toBe('a <b> is not a page');
  });
  it('decodes a legacy charset it detects instead of judging garbage', () => {
    const r = readPageBytes(latin1('Le café de la gare a rouvert ses portes après des travaux très attendus, a déclaré la mairie. '.repeat(4)), 'text');
    expect('page' in r && r.page.text).toMatch(/café de la gare/);
  });
  for (const [what, input, kind, reason] of [
    ['an empty file', new Uint8Array(0), 'html', /^empty file$/],
    ['a PDF', latin1('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'), 'html', /^a PDF document, not a saved page or text file$/],
    ['a ZIP (docx)', latin1('PK\x03\x04\x14\x00'), 'unknown', /^a ZIP archive/],
    ['a PNG', latin1('\x89PNG\r\n\x1a\n\x00\x00'), 'html', /^a PNG image/],
    ['an MHTML archive', bytes('From: <Saved by Blink>\r\nSnapshot-Content-Location: https://x.test/\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;'), 'html', /^an MHTML web archive/],
    ['a binary file', Uint8Array.from({ length: 512 }, (_, i) => (i * 31) % 256), 'html', /^a binary file, not text \(it holds NUL bytes\)$/],
    ['UTF-16 without its BOM', new Uint8Array(Buffer.from('Words in UTF-16 without a byte order mark. '.repeat(3), 'utf16le')), 'text', /UTF-16 without a byte-order mark/],
    ['a wrong declared charset', new Uint8Array([...bytes('<html><head><meta charset="utf-8"></head><body><p>'), ...Array(80).fill([0xd6, 0xd0, 0xb9, 0xfa]).flat(), ...bytes('</p></body></html>')]), 'html', /^the text does not decode as utf-8, the charset it declares: \d+%/],
    ['a page with no text', bytes('<html><head><script>render()</script></head><body><div id="root"></div></body></html>'), 'html', /^no text found in the page/],
    ['a text of blank space', bytes('  \n\t\n'), 'text', /^no text \(only blank space\)$/],
  ] as const)
    it(`refuses ${what}`, () => {
      const r = readPageBytes(input as Uint8Array, kind as 'html');
      expect('unreadable' in r ? r.unreadable : 'read').toMatch(reason as RegExp);
    });
  it('names known binary formats by their first bytes only', () => {
    expect(sniffBinary(latin1('GIF89a'))).toBe('a GIF image');
    expect(sniffBinary(bytes('<html>%PDF-'))).toBeUndefined();
  });
  it('counts replacement and control characters, not blank space', () => {
    expect(garbageShare('a\tb\nc\r\n')).toBe(0);
    expect(garbageShare('ab\ufffd\u0001')).toBe(0.5);
  });
});

describe('the fields of an original', () => {
  it('published: an ISO 8601 date or date-time of a real day, or empty', () => {
    for (const ok of ['', '2026', '2026-03', '2026-03-14', '2026-03-14T08:00', '2026-03-14T08:00:00Z', '2026-03-14T08:00:00.123+08:00', '2024-02-29']) expect([ok, checkPublished(ok)]).toEqual([ok, undefined]);
    for (const bad of ['yesterday', '14/03/2026', '2026-13-01', '2026-02-30', '2025-02-29', '2026-03-14T25:00', 'March 14, 2026', ' 2026-03-14'])
      expect([bad, checkPublished(bad)]).toEqual([bad, expect.stringMatching(/is not an ISO 8601 date/)]);
  });
  it('lang: a BCP 47 tag whose language ICU names, canonicalised; empty allowed', () => {
    const tags: Array<[string, string]> = [['en', 'en'], ['zh', 'zh'], ['zh-Hans', 'zh-Hans'], ['zh-hant', 'zh-Hant'], ['ZH-cn', 'zh-CN'], ['zh-TW', 'zh-TW'], ['ru', 'ru'], ['fa', 'fa'], ['en-us', 'en-US'], ['', '']];
    for (const [input, tag] of tags) expect([input, canonicalLang(input)]).toEqual([input, { tag }]);
    for (const bad of ['klingon', 'xx', 'english', 'zh_CN', 'und', 'x-private', '12', 'qaa'])
      expect([bad, canonicalLang(bad).error]).toEqual([bad, expect.stringMatching(/is not a language tag/)]);
  });
  it('a page\'s own date becomes ISO, or empty', () => {
    expect(isoPublished('2026-03-14T08:00:00+08:00')).toBe('2026-03-14T08:00:00+08:00');
    expect(isoPublished('Tue, 10 Mar 2026 08:00:00 GMT')).toBe('2026-03-10T08:00:00.000Z');
    expect(isoPublished('last week')).toBe('');
    expect(isoPublished(undefined)).toBe('');
  });
  it('an originals file must be UTF-8 text', () => {
    expect(notUtf8Text(bytes('{"id":"a"}\n'))).toBeUndefined();
    expect(notUtf8Text(new Uint8Array([0x7b, 0, 0x7d]))).toMatch(/binary file/);
    expect(notUtf8Text(latin1('{"title":"caf\xe9"}'))).toMatch(/not UTF-8 text/);
  });
});

describe('printable: echoed strings stay on one inert line', () => {
  it('shows control, bidi and line-break characters as escapes', () => {
    expect(printable('a\x1b[31mb\x07\x00c')).toBe('a\\x1b[31mb\\x07\\x00c');
    expect(printable('one\ntwo\r\tthree')).toBe('one\\ntwo\\r\\tthree');
    expect(printable('gpj.\u202eexe \u2066x\u2069 \u0085')).toBe('gpj.\\u202eexe \\u2066x\\u2069 \\x85');
    expect(printable('环球时报 Global Times')).toBe('环球时报 Global Times');
  });
  it('cuts long strings', () => {
    expect(printable('x'.repeat(500), 10)).toBe('xxxxxxxxx…');
  });
});

describe('reports: marks and escaping', () => {
  it('cuts a text into marked and unmarked pieces, joining marks that only spaces separate', () => {
    expect(markedPieces('the Selva River burst', [[4, 9], [10, 15]])).toEqual([
      { text: 'the ', marked: false },
      { text: 'Selva River', marked: true },
      { text: ' burst', marked: false },
    ]);
    expect(markedPieces('ab, cd', [[0, 2], [4, 6]]).map((p) => p.marked)).toEqual([true, false, true]);
    expect(markedPieces('abc', [[1, 99], [0, 2]])).toEqual([{ text: 'abc', marked: true }]);
  });
  it('makes untrusted text inert in Markdown and HTML', () => {
    expect(mdText('<b>x</b> *y* [z](javascript:1) | https://a.test www.b.test\n#h')).toBe(
      '&lt;b&gt;x&lt;/b&gt; \\*y\\* \\[z\\](javascript:1) \\| https:\\/\\/a.test www\\.b.test \\#h',
    );
    expect(htmlText(`<img src=x onerror="a('1')">\u202e`)).toBe('&lt;img src=x onerror=&quot;a(&#39;1&#39;)&quot;&gt;');
  });
});
