import { describe, expect, it } from 'vitest';
import { hanNumeral, numberAnchors, outletAnchors } from '../../lib/translate/anchors';

const keys = (t: string) => numberAnchors(t).map((a) => a.key);

describe('number anchors', () => {
  it('normalises Chinese and English amounts to one value', () => {
    expect(keys('游客18.7万人次')).toEqual(['n:187000']);
    expect(keys('about 187,000 visitors')).toEqual(['n:187000']);
    expect(keys('187 thousand visitors')).toEqual(['n:187000']);
    expect(keys('投资1.2亿元')).toEqual(['n:120000000']);
    expect(keys('an investment of 120 million yuan')).toEqual(['n:120000000']);
    expect(keys('$2.7 billion')).toEqual(['n:2700000000']);
    expect(keys('两万八千名跑手')).toEqual(['n:28000']);
    expect(keys('28,000 runners')).toEqual(['n:28000']);
    expect(keys('1.3万余人')).toEqual(['n:13000']);
  });

  it('normalises percentages', () => {
    expect(keys('增长百分之三十')).toEqual(['p:30']);
    expect(keys('grew 30%')).toEqual(['p:30']);
    expect(keys('grew 30 percent')).toEqual(['p:30']);
    expect(keys('增长37%')).toEqual(['p:37']);
    expect(keys('百分之三十七点五')).toEqual(['p:37.5']);
  });

  it('normalises dates to month and day', () => {
    expect(keys('3月14日上午')).toEqual(['d:3-14']);
    expect(keys('on March 14 the')).toEqual(['d:3-14']);
    expect(keys('on 14 March the')).toEqual(['d:3-14']);
    expect(keys('三月十四日')).toEqual(['d:3-14']);
    expect(keys('Mar. 14th')).toEqual(['d:3-14']);
  });

  it('reads Chinese numerals only where they are numbers', () => {
    expect(hanNumeral('两万八千')).toBe(28000);
    expect(hanNumeral('十五')).toBe(15);
    expect(hanNumeral('三十七')).toBe(37);
    expect(hanNumeral('一百零五')).toBe(105);
    expect(keys('第六届冰雪文化节')).toEqual(['n:6']);
    expect(keys('建成三座隧道')).toEqual(['n:3']);
    // 一 inside ordinary words is no number.
    expect(keys('统一部署，一起努力')).toEqual([]);
    expect(keys('the sixth festival')).toEqual(['n:6']);
    expect(keys('twenty-eight teams')).toEqual(['n:28']);
  });

  it('keeps offsets on the text', () => {
    const t = '全长86.4公里';
    const [a] = numberAnchors(t);
    expect(t.slice(a!.start, a!.end)).toBe('86.4');
    expect(a!.key).toBe('n:86.4');
  });
});

describe('outlet anchors', () => {
  const outlets = [{ id: 'global-times', names: ['Global Times', '环球时报', '環球時報'] }];
  it('finds an outlet by its name in either language', () => {
    expect(outletAnchors('来源：环球时报英文版', outlets).map((a) => a.key)).toEqual(['o:global-times']);
    expect(outletAnchors('translated from the Global Times.', outlets).map((a) => a.key)).toEqual(['o:global-times']);
    expect(outletAnchors('Global Timeshare', outlets)).toEqual([]);
  });
});
