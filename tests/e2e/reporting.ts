/** Shared steps of the reporting end-to-end tests. */
import type { BrowserContext } from '@playwright/test';
import { expect } from './fixtures';

/** Sets the report endpoint and token in the options page (checking that plain http elsewhere is refused). */
export async function configureSending(context: BrowserContext, extensionId: string, endpoint: string, token = 'test-token'): Promise<void> {
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  // Plain http to a host other than loopback is refused.
  await options.locator('input[name=endpoint]').fill('http://collect.example.org');
  await options.locator('input[name=token]').fill('test-token');
  await options.locator('button.save-sending').click();
  await expect(options.locator('.sending-message')).toHaveText('Server address: the endpoint must use https (plain http only on 127.0.0.1 or localhost)');
  await options.locator('input[name=endpoint]').fill(endpoint);
  await options.locator('input[name=token]').fill(token);
  await options.locator('button.save-sending').click();
  await expect(options.locator('.sending-message')).toHaveText(`Sending is set up for ${endpoint}.`);
  await options.locator('.outbox-settings').screenshot({ path: 'test-results/e2e/options-sending.png' });
  await options.close();
}

