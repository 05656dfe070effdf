import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { startCollectionServer, type CollectionServer } from './collection-server';
import { badge, expect, test } from './fixtures';
import { configureSending } from './reporting';
import { EN_COPY } from './test-pages';

/** The extension API inside an extension page (Playwright evaluates there; the test itself has no `chrome`). */
interface ExtensionApi {
  tabs: { query(q: { url: string }): Promise<Array<{ id?: number }>> };
  runtime: { sendMessage(m: unknown): Promise<unknown> };
}

const BODY_FIELDS = ['url', 'title', 'platform', 'createdAt', 'category', 'note', 'verdict', 'outlet', 'originalId', 'originalUrl', 'score', 'passages'];

let collect: CollectionServer;
test.beforeEach(async () => {
  collect = await startCollectionServer();
});
test.afterEach(async () => {
  await collect.close();
});

/** The browser's id of the tab showing `url` (127.0.0.1 is among the extension's host permissions, so it may query by address). */
async function tabIdOf(extensionPage: Page, url: string): Promise<number> {
  const ids = await extensionPage.evaluate(async (u) => (await (globalThis as unknown as { chrome: ExtensionApi }).chrome.tabs.query({ url: u })).map((t) => t.id), url);
  if (typeof ids[0] !== 'number') throw new Error(`no tab shows ${url}`);
  return ids[0];
}

test.describe('reporting', () => {
  test('from the badge: consent shows the exact JSON, one POST after agreeing, shown as sent', async ({ context, extensionId, server }) => {
    await configureSending(context, extensionId, collect.origin);

    const page = await context.newPage();
    await page.goto(`${server.origin}/page/en-copy`);
    const b = badge(page);
    await b.open();
    // The badge opens the extension's report form: the reader's words are typed there, out of the page's reach.
    const [form] = await Promise.all([context.waitForEvent('page'), b.clickButton('Report')]);
    await expect.poll(() => b.text('.note')).toBe('The report form opened in a new tab.');
    await expect(form.locator('input[name=url]')).toHaveValue(`${server.origin}/page/en-copy`);
    await expect(form.locator('.evidence')).toContainText('Evidence attached:');
    await form.locator('select[name=category]').selectOption('translated');
    const note = '=HYPERLINK("x") same text, no credit, <b>not HTML</b>';
    await form.locator('textarea[name=note]').fill(note);
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status')).toHaveText('Saved in your local reports.');
    await form.screenshot({ path: 'test-results/e2e/report-saved.png' });

    await form.locator('button.review-report').click();
    await expect(form).toHaveURL(/reports\.html\?review=/);
    const reports = form;
    const uid = new URL(reports.url()).searchParams.get('review')!;
    expect(uid).toMatch(/^[0-9a-f-]{36}$/);
    const consent = reports.locator('.consent');
    await expect(consent).toBeVisible();
    await expect(consent).toContainText(`Exactly this will be sent to ${collect.origin}/api/reports`);
    const shown = (await consent.locator('.consent-body').textContent())!;
    const body = JSON.parse(shown);
    expect(Object.keys(body)).toEqual(BODY_FIELDS);
    expect(body).toMatchObject({
      url: `${server.origin}/page/en-copy`,
      title: 'Port opens new berths, officials say',
      platform: 'news',
      category: 'translated',
      note,
      verdict: 'uncredited',
      outlet: EN_COPY.outlet,
      originalId: EN_COPY.id,
      originalUrl: EN_COPY.url,
    });
    expect(body.score).toBeGreaterThan(0);
    expect(body.score).toBeLessThanOrEqual(1);
    expect(body.passages.length).toBeGreaterThan(0);
    expect(body.passages[0].pageText.length).toBeGreaterThan(20);
    // The reader's words are text on the page, never markup.
    await expect(reports.locator('.report-item .rnote')).toHaveText(note);
    await expect(reports.locator('.report-item b')).toHaveCount(0);
    await expect(reports.locator('.report-item .state')).toHaveText('Local (not sent)');
    await reports.screenshot({ path: 'test-results/e2e/reports-consent.png', fullPage: true });
    // Nothing left the browser before the reader agreed.
    await reports.waitForTimeout(1000);
    expect(collect.requests).toHaveLength(0);

    await consent.getByRole('button', { name: 'Agree and send' }).click();
    await expect(reports.locator('.report-item .state')).toHaveText('Sent');
    await expect(reports.locator('.report-item .server-id')).toHaveText('server id 1');
    expect(collect.requests).toHaveLength(1);
    const req = collect.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/reports');
    expect(req.headers['authorization']).toBe('Bearer test-token');
    expect(req.headers['idempotency-key']).toBe(uid);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toBe(shown);
    await expect(consent).toHaveCount(0);
    await reports.screenshot({ path: 'test-results/e2e/reports-page.png', fullPage: true });

    // A later outbox run (here: the page asks again) sends nothing more.
    await reports.evaluate(() => (globalThis as unknown as { chrome: ExtensionApi }).chrome.runtime.sendMessage({ type: 'outbox-run', data: {} }));
    await reports.waitForTimeout(500);
    expect(collect.requests).toHaveLength(1);
  });

  test('from the popup on a page without a badge: the form is prefilled from the tab, the original’s address must be https', async ({ context, extensionId, server }) => {
    const page = await context.newPage();
    const url = `${server.origin}/page/unrelated`;
    await page.goto(url);
    await page.waitForTimeout(2000);
    await expect(page.locator('provenance-badge')).toHaveCount(0);

    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    const tabId = await tabIdOf(popup, url);
    await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
    const [form] = await Promise.all([context.waitForEvent('page'), popup.locator('button.report-page').click()]);
    await expect(form.locator('input[name=url]')).toHaveValue(url);
    await expect(form.locator('input[name=title]')).toHaveValue('Council news');
    await expect(form.locator('.evidence')).toContainText('No match was found on this page');

    await form.screenshot({ path: 'test-results/e2e/report-form.png', fullPage: true });
    await form.locator('input[name=originalUrl]').fill('http://www.globaltimes.cn/page/1.shtml');
    await form.locator('select[name=category]').selectOption('other');
    await form.locator('textarea[name=note]').fill('Reworded, no credit');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.locator('.error')).toHaveText("The original's address must start with https://");
    await form.locator('input[name=originalUrl]').fill('https://www.globaltimes.cn/page/1.shtml');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status')).toHaveText('Saved in your local reports.');

    // Sending is not configured in this browser: the consent view says so and offers no "Agree".
    await form.locator('button.review-report').click();
    await expect(form).toHaveURL(/reports\.html\?review=/);
    await expect(form.locator('.consent')).toContainText('Sending is off.');
    await expect(form.getByRole('button', { name: 'Agree and send' })).toHaveCount(0);
    const body = JSON.parse((await form.locator('.consent-body').textContent())!);
    expect(body).toMatchObject({ url, title: 'Council news', platform: 'news', category: 'other', note: 'Reworded, no credit', verdict: '', outlet: '', originalId: '', originalUrl: 'https://www.globaltimes.cn/page/1.shtml', score: 0, passages: [] });
    await expect(form.locator('.report-item')).toHaveCount(1);
    await expect(form.locator('.report-item .state')).toHaveText('Local (not sent)');
    expect(collect.requests).toHaveLength(0);
  });

  test('from the popup on a copy: the badge’s evidence is attached; the reports page filters, edits and deletes', async ({ context, extensionId, server }) => {
    const url = `${server.origin}/page/en-copy`;
    const page = await context.newPage();
    await page.goto(url);
    await expect.poll(() => badge(page).verdict()).toBe('uncredited');

    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    const tabId = await tabIdOf(popup, url);
    await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
    const [form] = await Promise.all([context.waitForEvent('page'), popup.locator('button.report-page').click()]);
    await expect(form.locator('.evidence')).toContainText('Evidence attached:');
    await expect(form.locator('input[name=originalUrl]')).toHaveValue(EN_COPY.url);
    await form.locator('textarea[name=note]').fill('first note');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('button', { name: 'Your reports' }).click();
    await expect(form).toHaveURL(/reports\.html$/);
    const item = form.locator('.report-item');
    await expect(item).toHaveCount(1);
    await expect(item.locator('.meta')).toContainText(`${EN_COPY.outlet} · ${EN_COPY.id}`);

    // Filter: by category and by text.
    await form.locator('.toolbar select').nth(1).selectOption('commentary');
    await expect(form.locator('.report-item')).toHaveCount(0);
    await expect(form.getByText('No reports match the filter.')).toBeVisible();
    await form.locator('.toolbar select').nth(1).selectOption('all');
    await form.getByRole('searchbox').fill('FIRST NOTE');
    await expect(form.locator('.report-item')).toHaveCount(1);
    await form.getByRole('searchbox').fill('nothing like this');
    await expect(form.locator('.report-item')).toHaveCount(0);
    await form.getByRole('searchbox').fill('');

    // Edit category and note.
    await item.getByRole('button', { name: 'Edit' }).click();
    await item.locator('form.edit select').selectOption('commentary');
    await item.locator('form.edit textarea').fill('second note');
    await item.locator('form.edit button[type=submit]').click();
    await expect(item.locator('.rnote')).toHaveText('second note');
    await expect(item.locator('.meta')).toContainText('Copy with commentary');

    // Export JSON and CSV.
    const uid = (await item.getAttribute('data-uid'))!;
    const [json] = await Promise.all([form.waitForEvent('download'), form.getByRole('button', { name: 'Export JSON' }).click()]);
    const exported = readFileSync((await json.path())!, 'utf8');
    expect(JSON.parse(exported).reports.map((r: { uid: string; note: string }) => [r.uid, r.note])).toEqual([[uid, 'second note']]);
    const [csv] = await Promise.all([form.waitForEvent('download'), form.getByRole('button', { name: 'Export CSV' }).click()]);
    const rows = readFileSync((await csv.path())!, 'utf8').split('\r\n');
    expect(rows[0]).toBe('\ufeffuid,createdAt,status,serverId,platform,category,url,title,verdict,outlet,originalId,originalUrl,score,note,passages,error');
    expect(rows[1]).toContain(`${uid},`);

    // Delete, after confirming.
    form.once('dialog', (d) => void d.accept());
    await item.getByRole('button', { name: 'Delete' }).click();
    await expect(form.locator('.report-item')).toHaveCount(0);
    await expect(form.getByText('No reports yet.', { exact: false })).toBeVisible();

    // Import the export back, twice: the second time adds nothing.
    const file = { name: 'reports.json', mimeType: 'application/json', buffer: Buffer.from(exported) };
    await form.locator('input[type=file]').setInputFiles(file);
    await expect(form.locator('.message')).toHaveText('Imported 1 reports (0 already there, 0 invalid).');
    await expect(form.locator('.report-item')).toHaveCount(1);
    await expect(form.locator('.report-item')).toHaveAttribute('data-uid', uid);
    await form.locator('input[type=file]').setInputFiles(file);
    await expect(form.locator('.message')).toHaveText('Imported 0 reports (1 already there, 0 invalid).');
    await expect(form.locator('.report-item')).toHaveCount(1);
    expect(collect.requests).toHaveLength(0);
  });

  test('bidi control characters: gone from the report form, from what is saved, and from an older stored report as shown', async ({ context, extensionId }) => {
    const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;
    const form = await context.newPage();
    const q = new URLSearchParams({ url: 'https://copy.example/\u202eharbour', title: 'Harbour \u202eopens\u202c new \u2067berths\u2069' });
    await form.goto(`chrome-extension://${extensionId}/report.html?${q}`);
    await expect(form.locator('input[name=title]')).toHaveValue('Harbour opens new berths');
    await expect(form.locator('input[name=url]')).toHaveValue('https://copy.example/harbour');
    await form.locator('textarea[name=note]').fill('typed \u200fwith\u061c marks');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status')).toHaveText('Saved in your local reports.');

    // A report stored before saving removed them: straight into the reports database.
    const legacyUid = '00000000-0000-4000-8000-00000000b1d1';
    await form.evaluate(
      (r) =>
        new Promise<void>((ok, fail) => {
          const open = indexedDB.open('provenance-reports');
          open.onerror = () => fail(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('reports', 'readwrite');
            tx.objectStore('reports').add(r);
            tx.oncomplete = () => (open.result.close(), ok());
            tx.onerror = () => fail(tx.error);
          };
        }),
      {
        uid: legacyUid,
        createdAt: '2026-11-01T00:00:00.000Z',
        url: 'https://copy.example/\u202elegacy',
        title: 'Invoice \u202egpj.exe',
        platform: 'news',
        verdict: 'copy',
        outlet: 'xin\u2066hua\u2069',
        originalId: 'xh-\u200e7',
        originalUrl: '',
        score: 0.5,
        passages: [{ pageText: 'page \u202dtext' }],
        category: 'other',
        note: 'old \u202enote',
        status: 'local',
      },
    );

    await form.goto(`chrome-extension://${extensionId}/reports.html?review=${legacyUid}`);
    await expect(form.locator('.report-item')).toHaveCount(2);
    const saved = form.locator('.report-item').filter({ hasText: 'Harbour opens new berths' });
    await expect(saved.locator('.rnote')).toHaveText('typed with marks');
    const legacy = form.locator(`.report-item[data-uid="${legacyUid}"]`);
    await expect(legacy.locator('.rtitle')).toHaveText('Invoice gpj.exe');
    await expect(legacy.locator('.url')).toHaveText('https://copy.example/legacy');
    await expect(legacy.locator('.meta')).toContainText('xinhua · xh-7');
    await expect(legacy.locator('.rnote')).toHaveText('old note');
    expect(await form.locator('.report-list').textContent()).not.toMatch(BIDI);
    // The body shown for agreement (and sent) holds none either.
    const body = (await form.locator('.consent-body').textContent())!;
    expect(body).not.toMatch(BIDI);
    expect(JSON.parse(body)).toMatchObject({ url: 'https://copy.example/legacy', title: 'Invoice gpj.exe', outlet: 'xinhua', originalId: 'xh-7', note: 'old note', passages: [{ pageText: 'page text' }] });
    // Editing starts from the note without them.
    await legacy.getByRole('button', { name: 'Edit' }).click();
    await expect(legacy.locator('form.edit textarea')).toHaveValue('old note');
    expect(collect.requests).toHaveLength(0);
  });
});
