import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../lib/cli/cli-support';
import { resolveOriginalOutlet } from '../../lib/cli/read-originals';
import type { OriginalInput } from '../../lib/index/types';

const reg = loadRegistry();
const rec = (outlet: string, url = 'https://example.test/a'): OriginalInput => ({ id: 'x', outlet, url, title: 't', published: '2026-01-01', lang: 'en', text: 'text' });

describe('outlets as people write them', () => {
  it.each([
    ['global-times', 'global-times'],
    ['Global Times', 'global-times'],
    ['GLOBAL TIMES', 'global-times'],
    ['global  times', 'global-times'],
    ['Ｇｌｏｂａｌ Ｔｉｍｅｓ', 'global-times'],
    ['环球时报', 'global-times'],
    ['環球時報', 'global-times'],
    ['People’s Daily', 'peoples-daily'],
    ['新華社', 'xinhua'],
    ['Xinhua News Agency', 'xinhua'],
    ['RT', 'rt'],
    ['GT', 'global-times'],
  ])('"%s" resolves to %s', (value, id) => {
    expect(reg.resolveOutlet(value).outlet?.id).toBe(id);
    expect(resolveOriginalOutlet(rec(value), reg)).toMatchObject({ outlet: id });
  });

  it('takes the outlet from the address when it is left out', () => {
    expect(resolveOriginalOutlet(rec('', 'https://www.globaltimes.cn/page/1.html'), reg)).toMatchObject({ outlet: 'global-times' });
    expect(resolveOriginalOutlet(rec('', 'https://english.news.cn/a'), reg)).toMatchObject({ outlet: 'xinhua' });
    expect(resolveOriginalOutlet(rec('', 'https://blog.example.test/a'), reg)).toMatch(/no outlet, and the domain blog.example.test belongs to no outlet/);
  });

  it('refuses a value close to a known outlet, with the suggestion', () => {
    for (const [value, id] of [
      ['globaltimes', 'global-times'],
      ['Global Tmes', 'global-times'],
      ['Peopels Daily', 'peoples-daily'],
      ['Xinhau', 'xinhua'],
      ['环球时刊', 'global-times'],
    ] as const) {
      const r = resolveOriginalOutlet(rec(value), reg);
      expect(typeof r, value).toBe('string');
      expect(r).toContain(`did you mean "${id}"`);
    }
  });

  it('keeps a truly new outlet as given', () => {
    for (const value of ['Lanmere Gazette', 'pa', '澜州晚报', 'Shanghai Daily']) expect(resolveOriginalOutlet(rec(value), reg)).toMatchObject({ outlet: value });
  });

  it('short forms name an outlet only as written; ids in any case', () => {
    expect(reg.resolveOutlet('gt')).toMatchObject({ how: 'refused', reason: expect.stringContaining('did you mean "global-times"') });
    expect(reg.find('Rt')?.id).toBe('rt');
    expect(reg.find('CNS')?.id).toBe('chinanews');
    expect(reg.find('cns')).toBeUndefined();
  });

  it('the matcher and the badge find an outlet an index names instead of giving its id', () => {
    expect(reg.resolve('Global Times').id).toBe('global-times');
    expect(reg.resolve('環球時報').domains).toContain('globaltimes.cn');
    expect(reg.displayName('GLOBAL TIMES', 'zh-Hans')).toBe('环球时报');
  });
});
