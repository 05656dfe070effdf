/**
 * The review page's cases in Debian's Chromium under its strict CSP: a
 * reviewer logs in with name and password, opens a case, adds a note and
 * confirms; a second reviewer confirms and the case is confirmed; hostile
 * report text shows as text; split and merge from the page; logout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_PATH } from '../../lib/cli/chromium';
import { startReportServer, type RunningServer } from '../../lib/report-server/server';
import type { ReportStore } from '../../lib/report-server/store';
import { addAccount, PASSWORD } from '../support/centre';
import { addToken, makeBackend, makeReport, post, request, type Backend } from '../support/report-backends';

describe('review page: cases', () => {
  let backend: Backend;
  let store: ReportStore;
  let server: RunningServer;
  let browser: Browser;
  let admin: string;

  beforeAll(async () => {
    backend = await makeBackend('sqlite');
    store = await backend.open();
    admin = await addToken(store, 'analyst', true);
    const rep = await addToken(store, 'reporter');
    await addAccount(store, 'alice', 'reviewer');
    await addAccount(store, 'bob', 'reviewer');
    server = await startReportServer({ store, ratePerMinute: 0, anonymousPerMinute: 0 });
    const o = server.origin;
    await post(o, rep, 'a', makeReport(1, { originalId: 'xh-1', title: '<img src=x onerror=alert(1)>' }));
    await post(o, rep, 'b', makeReport(2, { originalId: 'xh-1', platform: 'weibo', verdict: 'rewrite' }));
    await post(o, rep, 'c', makeReport(3, { outlet: 'cgtn', originalId: 'cgtn-9', originalUrl: 'https://news.cgtn.com/9.html' }));
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu'] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    await backend?.cleanup();
  });

  async function signIn(name: string, problems: string[]): Promise<Page> {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('dialog', (d) => (problems.push(`dialog: ${d.message()}`), void d.dismiss()));
    await page.goto(`${server.origin}/review`);
    await page.fill('#account-name', name);
    await page.fill('#account-password', PASSWORD);
    await page.click('#account-login button[type=submit]');
    await page.waitForSelector('#case-list tbody tr');
    return page;
  }
  const caseRow = (page: Page, id: number) => page.locator(`#case-list tr[data-case="${id}"]`);

  it('two reviewers confirm a case from the page; notes and audit show as text', async () => {
    const problems: string[] = [];
    const alice = await signIn('alice', problems);
    expect(await alice.locator('#who-name').innerText()).toBe('Logged in as alice.');
    expect(await alice.locator('#case-list tbody tr').count()).toBe(2);
    // The session cookie is HttpOnly: the page's script cannot read it.
    expect(await alice.evaluate(() => document.cookie)).toBe('');
    await caseRow(alice, 1).locator('button', { hasText: 'Open' }).click();
    await alice.waitForSelector('#case-view h3');
    const view = alice.locator('#case-view');
    expect(await view.locator('h3').first().innerText()).toBe('Case #1 open · 0 of 2 confirmations');
    expect(await view.locator('table tr').count()).toBe(3);
    expect(await view.innerText()).toContain('rewrite 1');
    await view.locator('textarea').fill('<b>Same as</b> the Xinhua piece, 第二段');
    await view.locator('button', { hasText: 'Add note' }).click();
    await alice.waitForFunction(() => document.querySelector('#message')?.textContent === 'Note added to case #1.');
    expect(await view.locator('.note').innerText()).toMatch(/alice: <b>Same as<\/b> the Xinhua piece, 第二段$/);
    await view.locator('button', { hasText: 'Confirm' }).click();
    await alice.waitForFunction(() => document.querySelector('#message')?.textContent === 'Case #1 is open (1 of 2 confirmations).');
    // The same reviewer again: still one.
    await alice.locator('#case-view button', { hasText: 'Confirm' }).click();
    await alice.waitForFunction(() => /1 of 2/.test(document.querySelector('#case-view h3')?.textContent ?? ''));

    const bob = await signIn('bob', problems);
    await caseRow(bob, 1).locator('button', { hasText: 'Open' }).click();
    await bob.waitForSelector('#case-view h3');
    await bob.locator('#case-view button', { hasText: 'Confirm' }).click();
    await bob.waitForFunction(() => document.querySelector('#message')?.textContent === 'Case #1 is confirmed (2 of 2 confirmations).');
    expect(await bob.locator('#case-view h3').first().innerText()).toBe('Case #1 confirmed · 2 of 2 confirmations (alice, bob)');
    const audit = await bob.locator('#case-view .audit li').allInnerTexts();
    expect(audit.map((l) => l.split(' ').slice(1, 3).join(' '))).toEqual(['system created', 'system copy-added', 'system copy-added', 'alice note', 'alice confirm', 'bob confirm', 'bob status']);
    expect(await bob.locator('#case-view img, #case-view b, #groups img').count()).toBe(0);
    const stored = (await request(server.origin, '/api/cases/1', admin)).body;
    expect(stored.case.status).toBe('confirmed');

    // Split the Weibo copy out, then merge it back, from the page.
    await bob.locator('#case-view tr', { hasText: 'weibo' }).locator('button', { hasText: 'Split out' }).click();
    await bob.waitForFunction(() => document.querySelector('#message')?.textContent === 'The copy is now case #3.');
    await bob.selectOption('#case-status', '');
    await bob.waitForFunction(() => document.querySelectorAll('#case-list tbody tr').length === 3);
    await bob.fill('#case-view input', '3');
    await bob.locator('#case-view button', { hasText: 'Merge into this' }).click();
    await bob.waitForFunction(() => document.querySelector('#message')?.textContent === 'Case #3 merged into case #1.');
    expect((await request(server.origin, '/api/cases/1', admin)).body.copies).toHaveLength(2);

    await bob.click('#logout');
    await bob.waitForFunction(() => document.querySelector('#message')?.textContent === 'Logged out.');
    await bob.reload();
    await bob.waitForSelector('#account-login:not([hidden])');
    expect(await bob.locator('#cases').isHidden()).toBe(true);
    // Alice's session lives on: a reload shows her cases without logging in again.
    await alice.reload();
    await alice.waitForSelector('#case-list tbody tr');
    expect(problems).toEqual([]);
  });

  it('says why a login failed', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/review`);
    await page.fill('#account-name', 'alice');
    await page.fill('#account-password', 'not her password');
    await page.click('#account-login button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#message')?.textContent === '401: wrong name or password');
    expect(await page.locator('#cases').isHidden()).toBe(true);
    await page.close();
  });
});
