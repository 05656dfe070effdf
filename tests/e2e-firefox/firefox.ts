/**
 * Debian's Firefox ESR with the built extension installed, for the Firefox
 * end-to-end tests. No downloaded browser and no geckodriver: Firefox speaks
 * WebDriver BiDi itself (https://w3c.github.io/webdriver-bidi/), and
 * puppeteer-core launches it headless with a fresh temporary profile (its own
 * automation preferences) and talks BiDi to it. The extension is installed
 * as a temporary add-on with BiDi's `webExtension.install`.
 *
 * The badge lives in a closed shadow root that neither the page nor
 * puppeteer's selectors reach. BiDi does: a node serialized with
 * `includeShadowTree: "all"` carries its shadow root, closed or open, as a
 * shared reference, and `script.callFunction` runs code on it in a sandbox of
 * the test's own (a separate realm, so the page's prototype overrides change
 * nothing) — the counterpart of tests/e2e/closed-badge.ts for Chromium.
 * Extension pages cannot be navigated to over BiDi; a tab the extension opens
 * itself (the report form) can be scripted, and from there the toolbar text
 * and the popup for any tab can be read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { BadgeReader } from '../../lib/cli/closed-badge';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION = resolve('.output/firefox-mv2');

/** The raw BiDi channel of the session puppeteer opened (Firefox allows one session only). */
interface Bidi {
  send(method: string, params: object): Promise<{ result: unknown }>;
}

interface TreeContext {
  context: string;
  url: string;
  parent: string | null;
}

/** A BiDi remote value as far as these tests read it. */
interface RemoteValue {
  type: string;
  value?: unknown;
}

interface ScriptResult {
  type: 'success' | 'exception';
  result?: RemoteValue;
  exceptionDetails?: { text: string };
}

export class Firefox {
  private constructor(
    readonly browser: Browser,
    private readonly bidi: Bidi,
    readonly extensionId: string,
  ) {}

  /** Starts firefox-esr headless with a fresh profile and installs the built extension; a missing browser or build is an error. */
  static async launch(): Promise<Firefox> {
    if (!existsSync(FIREFOX_PATH)) throw new Error(`Firefox not found at ${FIREFOX_PATH}: install it (apt-get install -y firefox-esr) or set FIREFOX_PATH`);
    const manifestPath = resolve(FIREFOX_EXTENSION, 'manifest.json');
    if (!existsSync(manifestPath)) throw new Error(`no built Firefox extension at ${FIREFOX_EXTENSION}: run npm run build:firefox first`);
    const browser = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath: FIREFOX_PATH,
      headless: true,
      defaultViewport: { width: 1280, height: 900 },
    });
    try {
      // puppeteer-core keeps its BiDi connection on the browser object (pinned version; checked here so an upgrade that moves it fails clearly).
      const bidi = (browser as unknown as { connection?: Bidi }).connection;
      if (typeof bidi?.send !== 'function') throw new Error('puppeteer-core no longer exposes its WebDriver BiDi connection (browser.connection)');
      const extensionId = await browser.installExtension(FIREFOX_EXTENSION);
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { browser_specific_settings?: { gecko?: { id?: string } } };
      if (extensionId !== manifest.browser_specific_settings?.gecko?.id) throw new Error(`Firefox installed the extension as ${extensionId}, not as the manifest's gecko id`);
      return new Firefox(browser, bidi, extensionId);
    } catch (e) {
      await browser.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  /** The browser's name and version as it reports them over BiDi, e.g. "firefox/153.8.0". */
  version(): Promise<string> {
    return this.browser.version();
  }

  /** Top-level browsing contexts (tabs) with their addresses. */
  async tabs(): Promise<TreeContext[]> {
    const { contexts } = (await this.bidi.send('browsingContext.getTree', { maxDepth: 0 })).result as { contexts: TreeContext[] };
    return contexts;
  }

  /** The BiDi context of the tab showing `url` (exactly one is expected). */
  async contextOf(url: string): Promise<string> {
    const found = (await this.tabs()).filter((t) => t.url === url);
    if (found.length !== 1) throw new Error(`${found.length} tabs show ${url}`);
    return found[0]!.context;
  }

  /** Calls `fn(thisRef, ...args)` (source text) in `target`; arguments and the value travel as JSON (plain data only). */
  async call<T>(target: object, fn: string, thisRef: object | undefined, args: unknown[]): Promise<T> {
    const r = (await this.bidi.send('script.callFunction', {
      functionDeclaration: `async function (...json) { return JSON.stringify((await (${fn})(this, ...json.map((j) => JSON.parse(j)))) ?? null); }`,
      ...(thisRef ? { this: thisRef } : {}),
      arguments: args.map((a) => ({ type: 'string', value: JSON.stringify(a) })),
      awaitPromise: true,
      target,
      resultOwnership: 'none',
    })).result as ScriptResult;
    if (r.type === 'exception') throw new Error(`in Firefox: ${r.exceptionDetails?.text ?? 'exception'}`);
    return JSON.parse(String(r.result?.value)) as T;
  }

  /**
   * A reference to the shadow root (open or closed) of the first element matching `selector`
   * in `target`, or undefined when there is none.
   */
  async shadowRootOf(target: object, selector: string): Promise<{ sharedId: string } | undefined> {
    const r = (await this.bidi.send('script.callFunction', {
      functionDeclaration: `(selector) => document.querySelector(selector)`,
      arguments: [{ type: 'string', value: selector }],
      awaitPromise: false,
      target,
      serializationOptions: { includeShadowTree: 'all', maxDomDepth: 0 },
      resultOwnership: 'none',
    })).result as ScriptResult;
    if (r.type === 'exception') throw new Error(`in Firefox: ${r.exceptionDetails?.text ?? 'exception'}`);
    const sharedId = (r.result?.value as { shadowRoot?: { sharedId?: string } | null } | undefined)?.shadowRoot?.sharedId;
    return sharedId ? { sharedId } : undefined;
  }

  /** The badge on `page`, read through BiDi. */
  badge(page: Page): FirefoxBadge {
    return new FirefoxBadge(this, page);
  }

  /** Runs `action`, then waits for the new tab it makes the extension open on its page `path` (e.g. "/report.html"), loaded. */
  async extensionTabOpenedBy(path: string, action: () => Promise<void>, timeout = 15_000): Promise<ExtensionTab> {
    const before = new Set((await this.tabs()).map((t) => t.context));
    await action();
    let context: string | undefined;
    await waitUntil(async () => {
      context = (await this.tabs()).find((t) => !before.has(t.context) && t.url.startsWith('moz-extension://') && new URL(t.url).pathname === path)?.context;
      return !!context;
    }, `the extension to open its ${path} tab`, timeout);
    const tab = new ExtensionTab(this, context!);
    await tab.loaded();
    return tab;
  }

  /** Closes a tab by its BiDi context. */
  async closeTab(context: string): Promise<void> {
    await this.bidi.send('browsingContext.close', { context });
  }
}

/** The badge in a Firefox tab: the shared reader (lib/cli/closed-badge.ts) over BiDi. */
export class FirefoxBadge extends BadgeReader {
  constructor(
    private readonly firefox: Firefox,
    readonly page: Page,
  ) {
    super();
  }

  /** Runs `fn(shadowRoot, ...args)` in the test's sandbox on the closed shadow root; undefined when there is no badge. */
  async call<T>(fn: string, ...args: unknown[]): Promise<T | undefined> {
    const target = { context: await this.firefox.contextOf(this.page.url()), sandbox: 'badge-test' };
    const root = await this.firefox.shadowRootOf(target, 'provenance-badge');
    if (!root) return undefined;
    return this.firefox.call<T>(target, fn, root, args);
  }

  /** A click with BiDi input actions (trusted, as from a reader). */
  protected clickAt(x: number, y: number): Promise<void> {
    return this.page.mouse.click(x, y);
  }
}

/** A tab showing one of the extension's own pages, where the WebExtension API can be called. */
export class ExtensionTab {
  constructor(
    private readonly firefox: Firefox,
    readonly context: string,
  ) {}

  /** Runs `fn(...args)` in the extension page (it sees `browser`). */
  evaluate<T>(fn: string, ...args: unknown[]): Promise<T> {
    return this.firefox.call<T>({ context: this.context }, `(_this, ...args) => (${fn})(...args)`, undefined, args);
  }

  close(): Promise<void> {
    return this.firefox.closeTab(this.context);
  }

  /** Waits until the page in this tab has loaded. */
  async loaded(): Promise<void> {
    await waitUntil(async () => (await this.evaluate<string>('() => document.readyState')) === 'complete', 'the extension page to load');
  }

  /** Shows another page of the extension in this tab (the page navigates itself: BiDi may not open moz-extension: addresses). */
  async open(pathAndQuery: string): Promise<void> {
    const target = await this.evaluate<string>('(p) => new URL(p, location.href).href', pathAndQuery);
    await this.evaluate('(href) => { location.replace(href); }', target);
    await waitUntil(async () => (await this.firefox.tabs()).some((t) => t.context === this.context && t.url === target), `the extension tab to show ${pathAndQuery}`);
    await this.loaded();
  }

  /** The WebExtension tab id of the tab showing `url` (the extension may read 127.0.0.1 addresses). */
  tabId(url: string): Promise<number> {
    return this.evaluate<number>(
      `async (url) => {
        const [tab, ...more] = (await browser.tabs.query({})).filter((t) => t.url === url);
        if (!tab || more.length) throw new Error((more.length + (tab ? 1 : 0)) + ' tabs show ' + url);
        return tab.id;
      }`,
      url,
    );
  }

  /** The extension's toolbar button text for the tab showing `url` ("" when none). */
  async toolbarText(url: string): Promise<string> {
    const tabId = await this.tabId(url);
    return this.evaluate<string>('(tabId) => browser.browserAction.getBadgeText({ tabId })', tabId);
  }
}

/** Polls until `ok()` holds (or throws after `timeout` ms, naming what it waited for). */
export async function waitUntil(ok: () => Promise<boolean>, what: string, timeout = 15_000): Promise<void> {
  const end = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      if (await ok()) return;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
