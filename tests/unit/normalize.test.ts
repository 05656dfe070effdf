import { describe, expect, it } from 'vitest';
import { foldAligned, foldText, segment } from '../../lib/text/normalize';
import { buildT2sPairs, renderTable } from '../../lib/text/gen-t2s-table';
import { readFileSync } from 'node:fs';

const unitsOf = (t: string) => {
  const s = segment(t);
  return Array.from(s.units.subarray(0, s.length));
};
const pieces = (t: string) => {
  const s = segment(t);
  return Array.from({ length: s.length }, (_, i) => t.slice(s.starts[i], s.ends[i]));
};

describe('foldText', () => {
  it('case-folds and turns full-width forms into ASCII', () => {
    expect(foldText('ＨＥＬＬＯ Ｗｏｒｌｄ １２３')).toBe('hello world 123');
  });
  it('folds Traditional to Simplified characters', () => {
    expect(foldText('環球時報報導')).toBe(foldText('环球时报报导'));
    expect(foldText('新華社')).toBe('新华社');
  });
  it('drops zero-width, bidi-control and soft-hyphen characters inside words', () => {
    expect(foldText('Xin\u200bhua\u00ad News\u202e\u202c Agency\ufeff')).toBe('xinhua news agency');
  });
  it('folds Cyrillic and Greek look-alike letters to Latin', () => {
    expect(foldText('Glоbаl Тimеs')).toBe('global times'); // о, а, Т, е are Cyrillic
    expect(foldText('ΑΒΟ')).toBe('abo');
  });
  it('removes accents', () => {
    expect(foldText('Lüshan café')).toBe('lushan cafe');
  });
});

describe('segment', () => {
  it('makes each Han character a unit and each word or number a unit', () => {
    expect(pieces('CGTN记者在2026年报道, hello-world')).toEqual(['CGTN', '记', '者', '在', '2026', '年', '报', '道', 'hello', 'world']);
  });
  it('maps units back to offsets in the source text, through folding', () => {
    const text = '\u200bＡｂｃ  新華社\u202e電 x';
    const s = segment(text);
    expect(s.length).toBe(6);
    expect(text.slice(s.starts[0], s.ends[0])).toBe('Ａｂｃ');
    expect(text.slice(s.starts[4], s.ends[4])).toBe('電');
  });
  it('gives the same units to a page and its obfuscated copy', () => {
    const plain = 'The port handled 4.2 million containers, officials said. 新华社澜州电';
    const noisy = 'Ｔｈｅ p\u200bоrt hаndled ４.２ mil\u00adlion cоntainers，\u202eofficials\u202c said。 新華社瀾州電';
    expect(unitsOf(noisy)).toEqual(unitsOf(plain));
  });
  it('handles astral characters and lone surrogates without losing offsets', () => {
    const text = 'a 𠀀𠀁 b \ud800 c';
    const s = segment(text);
    expect(pieces(text)).toEqual(['a', '𠀀', '𠀁', 'b', 'c']);
    expect(s.hanUnits).toBe(2);
  });
  it('returns no units for empty or punctuation-only text', () => {
    expect(segment('').length).toBe(0);
    expect(segment(' ，。!?—“”\n').length).toBe(0);
  });
});

describe('foldAligned', () => {
  it('keeps the length so offsets stay valid', () => {
    for (const t of ['新華社北京電', 'Ｇｌｏｂａｌ\u200bTimes', 'ﬁne 𠀀 ß']) expect(foldAligned(t).length).toBe(t.length);
    expect(foldAligned('來源：環球時報')).toBe('来源:环球时报');
  });
});

describe('Traditional → Simplified table', () => {
  it('is what the generator makes from the installed opencc-js', () => {
    const committed = readFileSync(new URL('../../lib/text/t2s-table.generated.ts', import.meta.url), 'utf8');
    expect(committed).toBe(renderTable(buildT2sPairs()));
  });
});
