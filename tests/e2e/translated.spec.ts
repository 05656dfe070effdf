/**
 * Translated copies in the browser: the background loads the dictionary, runs the translation tier
 * when the other tiers find nothing, and the badge names both languages and shows the evidence as
 * sentence pairs (page sentence ↔ original sentence, the items that translate each other marked),
 * as text. Credit in the target language counts; a same-event report in the other language gets no badge.
 */
import { badge, expect, test } from './fixtures';

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
