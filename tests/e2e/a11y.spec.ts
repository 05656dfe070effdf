/**
 * Automated accessibility check (axe-core, WCAG 2 A and AA rules) of the
 * badge with its details open, the popup, the options page and the reports
 * page, in light and dark colour schemes. Any violation fails with its rule,
 * impact and the elements concerned.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { badge, expect, test } from './fixtures';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function violations(page: Page, include?: string) {
  // Evaluated through the DevTools protocol: extension pages' CSP does not apply to it.
  await page.evaluate(axeSource);
  const result = (await page.evaluate(`axe.run(${include ? JSON.stringify({ include: [[include]] }) : 'document'}, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })))`)) as Array<{ id: string; impact: string; help: string; nodes: string[] }>;
  return result;
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`accessibility (${scheme})`, () => {
    test.use({ colorScheme: scheme });
    test('badge with details open', async ({ context, server }) => {
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${server.origin}/page/en-copy`);
      const b = badge(page);
      await expect.poll(() => b.verdict()).toBe('uncredited');
      await b.open();
      expect((await b.query('.passage'))?.visible).toBe(true);
      // axe runs in the test's own isolated world, where the host's shadowRoot getter is given the closed root.
      const found = await b.call<Array<{ id: string; impact: string; help: string; nodes: string[] }>>(
        `async (root, src, only) => {
          (0, eval)(src);
          Object.defineProperty(root.host, 'shadowRoot', { get: () => root, configurable: true });
          const r = await axe.run(root.host, { runOnly: only });
          if (r.passes.length === 0) throw new Error('axe saw nothing inside the badge');
          return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
        }`,
        axeSource,
        ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'],
      );
      expect(found).toEqual([]);
    });
    test('popup, options and reports pages', async ({ context, extensionId }) => {
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      for (const name of ['popup', 'options', 'reports']) {
        await page.goto(`chrome-extension://${extensionId}/${name}.html`);
        await page.locator('main').first().waitFor();
        expect({ page: name, violations: await violations(page) }).toEqual({ page: name, violations: [] });
      }
    });
  });
}
