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
      await expect(b).toBeVisible();
      await b.locator('.pill').click();
      await expect(b.locator('.passage').first()).toBeVisible();
      expect(await violations(page, 'provenance-badge')).toEqual([]);
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
