/**
 * Translated copies in the browser: the background loads the dictionary, runs the translation tier
 * when the other tiers find nothing, and the badge names both languages and shows the evidence as
 * sentence pairs (page sentence ↔ original sentence, the items that translate each other marked),
 * as text. Credit in the target language counts; a same-event report in the other language gets no badge.
 */
import { badge, expect, newestTabId, test } from './fixtures';

/** The badge's translated passages: each side's text, its marked items, and whether it holds elements other than <mark>. */
interface Pair {
  page: string;
  original: string;
  pageMarks: string[];
  originalMarks: string[];
  otherElements: number;
}
const pairs = (b: ReturnType<typeof badge>) =>
  b.call<Pair[]>(`(root) => [...root.querySelectorAll('li.passage-translated')].map((li) => {
    const [page, original] = [...li.querySelectorAll('blockquote')];
    return {
      page: page.textContent, original: original.textContent,
      pageMarks: [...page.querySelectorAll('mark')].map((m) => m.textContent),
      originalMarks: [...original.querySelectorAll('mark')].map((m) => m.textContent),
      otherElements: li.querySelectorAll('blockquote *:not(mark)').length,
    };
  })`);

test('a Chinese → English translated copy: badge names the languages, evidence pairs with shared anchors marked', async ({ context, server }) => {
  const page = await context.newPage();
  await page.goto(`${server.origin}/demo/en-translated-uncredited.html`);
  const b = badge(page);
  await expect.poll(() => b.verdict(), { timeout: 15_000 }).toBe('uncredited');
  expect(await b.text('.title')).toBe('Likely an uncredited translation of CGTN (Chinese → English)');
  await b.open();
  expect(await b.text('.reuse')).toContain('Translated from Chinese into English');
  const found = (await pairs(b))!;
  expect(found.length).toBeGreaterThanOrEqual(3);
  for (const p of found) {
    expect(p.page).toMatch(/[A-Za-z]{3}/);
    expect(p.original).toMatch(/\p{Script=Han}/u);
    expect(p.otherElements).toBe(0);
  }
  // The anchors (here the figures of the story) are marked on both sides of some pair.
  expect(found.some((p) => p.pageMarks.includes('187,000') && p.originalMarks.some((m) => m.includes('18.7万')))).toBe(true);
  await page.screenshot({ path: 'test-results/e2e/badge-translated.png' });
});

test('an English → Chinese translated copy on a WeChat page, and a translation credited in its own language', async ({ context, server }) => {
  const page = await context.newPage();
  await page.goto(`${server.origin}/page/translated-zh`);
  const b = badge(page);
  await expect.poll(() => b.verdict(), { timeout: 15_000 }).toBe('uncredited');
  expect(await b.text('.title')).toMatch(/^Likely an uncredited translation of .+ \(English → Chinese\)$/);
  await page.goto(`${server.origin}/page/translated-credited`);
  await expect.poll(() => b.verdict(), { timeout: 15_000 }).toBe('credited');
  expect(await b.text('.title')).toMatch(/^Credited translation of .+ \(Chinese → English\)$/);
});

test('an independent report of the same event in the other language gets no badge', async ({ context, server }) => {
  const page = await context.newPage();
  // First a translated page, so that the dictionary is loaded and the tier ran in this worker.
  await page.goto(`${server.origin}/demo/en-translated-uncredited.html`);
  await expect.poll(() => badge(page).verdict(), { timeout: 15_000 }).toBe('uncredited');
  await page.goto(`${server.origin}/page/translated-negative`);
  await page.waitForTimeout(3000);
  await expect(page.locator('provenance-badge')).toHaveCount(0);
});

test('the on-device translator check: off by default, turned on in options, run from the popup on a translated copy', async ({ context, extensionId, server }) => {
  // A stand-in for Chrome's Translator API in the extension's pages (Debian's Chromium has no model):
  // it answers with what the test puts in window.__translations, and records what it was asked.
  await context.addInitScript(() => {
    const w = window as unknown as { __translations: Record<string, string>; __asked: string[]; Translator: unknown };
    w.__translations = {};
    w.__asked = [];
    w.Translator = {
      availability: async () => 'available',
      create: async (o: { sourceLanguage: string; targetLanguage: string }) => {
        w.__asked.push(`${o.sourceLanguage}->${o.targetLanguage}`);
        return { translate: async (text: string) => w.__translations[text] ?? 'Something else entirely.', destroy() {} };
      },
    };
  });
  const page = await context.newPage();
  await page.goto(`${server.origin}/demo/en-translated-uncredited.html`);
  await expect.poll(() => badge(page).verdict(), { timeout: 15_000 }).toBe('uncredited');
  const tabId = await newestTabId(context);

  // Off by default: the popup offers no check.
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
  await expect(popup.locator('.verdict .head')).toContainText('Likely an uncredited translation of CGTN');
  await expect(popup.locator('.translator-check')).toHaveCount(0);

  // Turned on in options (the stand-in makes the browser look capable: no "no translator" note).
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await expect(options.getByText('This browser has no on-device translator.')).toHaveCount(0);
  await options.locator('input[name=onDeviceTranslator]').check();
  await expect(options.getByText('Saved')).toBeVisible();

  await popup.reload();
  const button = popup.getByRole('button', { name: "Check with the browser's translator" });
  await expect(button).toBeVisible();
  // The pairs the background holds for the tab: all but the last get their original sentence as the "translation".
  const tab = await popup.evaluate(async (id) => (await (globalThis as unknown as { chrome: { runtime: { sendMessage: (m: object) => Promise<unknown> } } }).chrome.runtime.sendMessage({ type: 'tab-result', data: { tabId: id } })) as { value: { passages: Array<{ pageText: string; originalText?: string }> } }, tabId);
  const pairs = tab.value.passages.filter((p) => p.originalText);
  expect(pairs.length).toBeGreaterThanOrEqual(3);
  await popup.evaluate((ps) => {
    const w = window as unknown as { __translations: Record<string, string> };
    for (const p of ps.slice(0, -1)) w.__translations[p.pageText] = p.originalText!;
  }, pairs);
  await button.click();
  await expect(popup.locator('.translator-check [role=status]')).toHaveText(`The browser's translator agrees on ${pairs.length - 1} of ${pairs.length} sentence pairs`);
  await expect(popup.locator('.translator-pairs li.agrees')).toHaveCount(pairs.length - 1);
  await expect(popup.locator('.translator-pairs li.differs')).toContainText('Something else entirely.');
  expect(await popup.evaluate(() => (window as unknown as { __asked: string[] }).__asked)).toEqual(['en->zh']);
  await popup.locator('.translator-check summary').click();
  await expect(popup.locator('.translator-pairs li.differs')).toBeVisible();
  await popup.screenshot({ path: 'test-results/e2e/popup-translator-check.png', fullPage: true });
});
