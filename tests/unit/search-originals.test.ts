import { describe, expect, it } from 'vitest';
import { DIRECT_LIMIT, OriginalSearch } from '../../lib/search-originals';

const item = (i: number, title: string, outlet = 'xinhua') => ({ id: `o-${i}`, title, outlet, outletName: outlet === 'xinhua' ? 'Xinhua' : 'CGTN', published: `2026-03-${String((i % 28) + 1).padStart(2, '0')}` });

describe('original search', () => {
  const small = [item(1, 'Port opens new berths'), item(2, 'Rice farmers bring in record harvest', 'cgtn'), item(3, '澜州港新泊位投入使用')];
  it('searches a small set fuzzily: typos, outlet names, Chinese', () => {
    expect(new OriginalSearch(small).search('harvset')[0]!.id).toBe('o-2');
    expect(new OriginalSearch(small).search('CGTN').map((o) => o.id)).toContain('o-2');
    expect(new OriginalSearch(small).search('新泊位')[0]!.id).toBe('o-3');
    expect(new OriginalSearch(small).search('   ')).toEqual([]);
    // Words need not be next to each other.
    expect(new OriginalSearch(small).search('rice harvest')[0]!.id).toBe('o-2');
  });
  it('narrows a large set to the originals containing every word, and falls back to fuzzy search for typos', () => {
    const many = Array.from({ length: DIRECT_LIMIT + 5000 }, (_, i) => item(i, `Synthetic article number ${i} about an invented event`));
    many.push(item(999_999, 'Lanfeng Valley rice farmers bring in record harvest', 'cgtn'));
    const s = new OriginalSearch(many);
    expect(s.search('lanfeng harvest')[0]!.id).toBe('o-999999');
    expect(s.search('number 24242')[0]!.id).toBe('o-24242');
    expect(s.search('Lanfneg Vally')[0]!.id).toBe('o-999999'); // no exact words: fuzzy over all
  });
});
