/** The on-device translator check (lib/translate/on-device.ts): feature detection, languages, agreement, the API's use. */
import { describe, expect, it } from 'vitest';
import { AGREES, agreement, apiLanguage, checkPairs, translatorApi, type TranslatorApi } from '../../lib/translate/on-device';

function fakeApi(answers: Record<string, string>, availability = 'available') {
  const calls: string[] = [];
  let destroyed = 0;
  const api: TranslatorApi = {
    availability: async () => availability,
    create: async (o) => {
      calls.push(`${o.sourceLanguage}->${o.targetLanguage}`);
      return { translate: async (t: string) => answers[t] ?? '', destroy: () => void destroyed++ };
    },
  };
  return { api, calls, destroyed: () => destroyed };
}

describe('the on-device translator check', () => {
  it('is found only where the API has both functions (no Translator in Node, Firefox or a worker)', () => {
    expect(translatorApi()).toBeUndefined();
    expect(translatorApi({ Translator: { create() {} } })).toBeUndefined();
    const api = { create: async () => ({ translate: async () => '' }), availability: async () => 'available' };
    expect(translatorApi({ Translator: api })).toBe(api);
  });

  it('names languages as the API does', () => {
    expect(apiLanguage('en')).toBe('en');
    expect(apiLanguage('zh')).toBe('zh');
    expect(apiLanguage('zh-Hans')).toBe('zh');
    expect(apiLanguage('zh-Hant')).toBe('zh-Hant');
  });

  it('measures how much of the original sentence the browser\'s translation shares, in English and in Chinese', () => {
    const orig = 'The station sits in the narrow channel between the old fish market and Kessan Island.';
    expect(agreement('The station is located in the narrow channel between the old fish market and Kessan Island.', orig)).toBeGreaterThan(0.8);
    expect(agreement('Twelve turbines turn with the tide twice a day.', orig)).toBeLessThan(0.1);
    // Chinese by character pairs; numbers by value whatever their commas.
    expect(agreement('今年冬季越冬候鸟总数约18.7万只', '今年冬季在保护区越冬的候鸟总数达到约18.7万只')).toBeGreaterThanOrEqual(AGREES);
    expect(agreement('石岭乡中心学校新校区启用', '今年冬季在保护区越冬的候鸟总数达到约18.7万只')).toBeLessThan(0.1);
    expect(agreement('About 187000 birds', 'about 187,000 birds')).toBe(1);
    expect(agreement('anything', '')).toBe(0);
  });

  it('translates each page sentence from the page\'s language into the original\'s and scores it; the translator is released', async () => {
    const f = fakeApi({ 'Page one.': 'Original sentence one about the port.', 'Page two.': 'Unrelated words here.' });
    const out = await checkPairs(f.api, [
      { pageText: 'Page one.', originalText: 'Original sentence one about the port.' },
      { pageText: 'Page two.', originalText: 'The second sentence of the original.' },
    ], 'zh-Hant', 'en');
    expect(f.calls).toEqual(['zh-Hant->en']);
    expect(out.map((c) => c.translation)).toEqual(['Original sentence one about the port.', 'Unrelated words here.']);
    expect(out[0]!.agreement).toBe(1);
    expect(out[1]!.agreement).toBeLessThan(0.2);
    expect(f.destroyed()).toBe(1);
  });

  it('says so when the browser cannot translate between the two languages', async () => {
    const f = fakeApi({}, 'unavailable');
    await expect(checkPairs(f.api, [{ pageText: 'x', originalText: 'y' }], 'en', 'zh')).rejects.toThrow('no on-device translation from en to zh');
    expect(f.calls).toEqual([]);
  });
});
