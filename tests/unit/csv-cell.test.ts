/**
 * The one CSV cell function that the extension's reports export, the report
 * server's export and the scan command share: formulas defused however they
 * are dressed (leading whitespace or invisible characters, full-width and
 * small forms), bidi controls removed, RFC 4180 quoting.
 */
import { describe, expect, it } from 'vitest';
import { formatRows, type ScanRow } from '../../lib/cli/format-rows';
import { stripBidiControls } from '../../lib/reports/bidi-controls';
import { csvCell, looksLikeFormula } from '../../lib/reports/csv-cell';

describe('csvCell', () => {
  it.each([
    ['=1+1'],
    ['+1'],
    ['-1'],
    ['@SUM(A1)'],
    ['\t=1'],
    ['\r=1'],
    [' =1+1'],
    ['   +cmd'],
    ['\t\t@x'],
    ['\u00a0=1'], // no-break space
    ['\u3000=1'], // ideographic space
    ['\u2003-1'], // em space
    ['\ufeff=1'], // byte order mark
    ['\u200b=1'], // zero-width space
    ['\u202e=1'], // right-to-left override
    ['\u0001=1'], // a control character
    ['\uff1d1+1'], // full-width =
    ['\uff0b1'], // full-width +
    ['\uff0d1'], // full-width -
    ['\uff20x'], // full-width @
    ['\ufe661'], // small =
    ['\u3000\uff1dHYPERLINK("x")'],
  ])('defuses %j with a leading apostrophe', (text) => {
    expect(looksLikeFormula(stripBidiControls(text))).toBe(true);
    expect(csvCell(text).replace(/^"/, '')).toMatch(/^'/);
  });

  it.each([['plain'], ['a=1'], ['1-2'], ['x@y.example'], [' leading space'], [''], ['\u3000全角']])('leaves %j alone', (text) => {
    expect(looksLikeFormula(text)).toBe(false);
    expect(csvCell(text)).toBe(text);
  });

  it('keeps the text after the apostrophe, quotes what needs quoting, and removes bidi controls', () => {
    expect(csvCell(' =1+1')).toBe("' =1+1");
    expect(csvCell('\uff1dA1,B1')).toBe(`"'\uff1dA1,B1"`);
    expect(csvCell('say "hi"\n')).toBe('"say ""hi""\n"');
    expect(csvCell('gpj.\u202eexe')).toBe('gpj.exe');
    expect(csvCell('\u2066a\u2069\u200e\u200f\u061cb')).toBe('ab');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(0.5)).toBe('0.5');
  });

  it('serves the scan command’s CSV too', () => {
    const row: ScanRow = {
      file: ' =cmd.html',
      verdict: 'copy',
      outlet: 'xinhua',
      originalId: '\uff0bx',
      originalUrl: 'https://www.news.cn/1.htm',
      originalTitle: 'Harbour \u202eopens',
      pageCoverage: 0.5,
      originalCoverage: 0.4,
      credited: false,
      passages: 2,
      reuse: 'verbatim',
    };
    const [, line] = formatRows([row], 'csv').split('\r\n');
    expect(line).toBe("' =cmd.html,copy,xinhua,'\uff0bx,https://www.news.cn/1.htm,Harbour opens,0.5,0.4,false,2,verbatim,,,,,,,,,,,,,,,,,,,,,,,,,");
    // A platform page's fields are page text too: the account, marks and the reposted post.
    const unit = formatRows([{ ...row, unit: '1/2', platform: 'weibo', account: '=HYPERLINK("x")', marks: ['@SUM(1)'], repostOf: { account: '+cmd', accountUrl: '', text: 't' } }], 'csv').split('\r\n')[1]!;
    expect(unit).toContain(`,1/2,weibo,,"'=HYPERLINK(""x"")",`);
    expect(unit).toContain(`,'+cmd: t,'@SUM(1),`);
  });
});
