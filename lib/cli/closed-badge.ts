/**
 * Reading and clicking inside the badge's closed shadow root, for the
 * end-to-end tests (tests/e2e/closed-badge.ts) and the browser demo.
 * Playwright's locators cannot pierce a closed root (and
 * neither can the page), so the tests go through the DevTools protocol: the
 * host element is found with DOM.querySelector, its closed shadow root with
 * DOM.describeNode({ pierce: true }), and code runs on it in a fresh isolated
 * world of the test's own (so that a hostile page's prototype overrides in
 * the main world change nothing). Clicks are real mouse input at the element's
 * centre (page.mouse), so the badge sees isTrusted events, as from a reader.
 */
import type { CDPSession, Page } from '@playwright/test';

const sessions = new WeakMap<Page, Promise<CDPSession>>();

/** The node a query returns (as plain data). */
export interface BadgeNode {
  text: string;
  className: string;
  visible: boolean;
  rect: { x: number; y: number; width: number; height: number };
}

/**
 * What the tests read and click inside the badge, whatever drives the
 * browser: a subclass runs code on the closed shadow root (`call`) and clicks
 * with real input (`clickAt`).
 */
export abstract class BadgeReader {
  /** Runs `fn(shadowRoot, ...args)` in a test-only isolated world; undefined when there is no badge. */
  abstract call<T>(fn: string, ...args: unknown[]): Promise<T | undefined>;
  /** A real (trusted) mouse click at page coordinates. */
  protected abstract clickAt(x: number, y: number): Promise<void>;

  /** The shadow root's mode ("closed"), or undefined without a badge. */
  async mode(): Promise<string | undefined> {
    return this.call<string>('(root) => root.mode');
  }

  /** The first element matching `selector` (or, with `text`, the first whose text is exactly that). */
  async query(selector: string, text?: string): Promise<BadgeNode | undefined> {
    const found = await this.call<BadgeNode | null>(
      `(root, selector, text) => {
        // The badge draws most of its text from data-t attributes (CSS generated content): read those too.
        const shown = (n) => n.nodeType === 3 ? n.data : n.nodeType === 1 ? (n.getAttribute('data-t') ?? '') + [...n.childNodes].map(shown).join('') : '';
        const el = [...root.querySelectorAll(selector)].find((e) => text === null || shown(e).trim() === text);
        if (!el) return null;
        const r = el.getBoundingClientRect();
        const visible = el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) && r.width > 0 && r.height > 0;
        return { text: shown(el), className: String(el.className), visible, rect: { x: r.x, y: r.y, width: r.width, height: r.height } };
      }`,
      selector,
      text ?? null,
    );
    return found ?? undefined;
  }

  /** The verdict the badge shows (from its panel's or dot's class), or undefined without a badge. */
  async verdict(): Promise<string | undefined> {
    const el = (await this.query('section.badge')) ?? (await this.query('.pill-mini'));
    return el?.className.match(/verdict-(\w+)/)?.[1];
  }

  async text(selector: string): Promise<string | undefined> {
    return (await this.query(selector))?.text.trim();
  }

  /** Clicks the element's centre with the real mouse (a trusted click). */
  async click(selector: string, text?: string): Promise<void> {
    const el = await this.query(selector, text);
    if (!el) throw new Error(`no ${selector}${text ? ` "${text}"` : ''} in the badge`);
    if (!el.visible) throw new Error(`${selector}${text ? ` "${text}"` : ''} is not visible in the badge`);
    await this.clickAt(el.rect.x + el.rect.width / 2, el.rect.y + el.rect.height / 2);
  }

  /** Clicks the button with exactly this text. */
  async clickButton(text: string): Promise<void> {
    await this.click('button', text);
  }

  /** Opens the details panel (a trusted click on the pill), and waits until it shows. */
  async open(): Promise<void> {
    await waitUntil(async () => !!(await this.query('.pill'))?.visible, 'the badge');
    await this.click('.pill');
    await waitUntil(async () => !!(await this.query('.details')), 'the badge details to open');
  }
}

export class ClosedBadge extends BadgeReader {
  /** `host`: the host element's selector (a post's mark: e.g. "article:nth-of-type(3) provenance-mark"). */
  constructor(
    readonly page: Page,
    readonly host = 'provenance-badge',
  ) {
    super();
  }

  protected clickAt(x: number, y: number): Promise<void> {
    return this.page.mouse.click(x, y);
  }

  private session(): Promise<CDPSession> {
    let s = sessions.get(this.page);
    if (!s) {
      s = this.page.context().newCDPSession(this.page);
      sessions.set(this.page, s);
    }
    return s;
  }

  /** Runs `fn(shadowRoot, ...args)` in a test-only isolated world; undefined when there is no badge. */
  async call<T>(fn: string, ...args: unknown[]): Promise<T | undefined> {
    const cdp = await this.session();
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: this.host });
    if (!nodeId) return undefined;
    const { node } = await cdp.send('DOM.describeNode', { nodeId, depth: 1, pierce: true });
    const shadow = node.shadowRoots?.[0];
    if (!shadow) return undefined;
    const { frameTree } = await cdp.send('Page.getFrameTree');
    const { executionContextId } = await cdp.send('Page.createIsolatedWorld', { frameId: frameTree.frame.id, worldName: 'badge-test' });
    const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: shadow.backendNodeId, executionContextId });
    const r = await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId!,
      functionDeclaration: `function (...args) { return (${fn})(this, ...args); }`,
      arguments: args.map((value) => ({ value })),
      returnByValue: true,
      awaitPromise: true,
    });
    if (r.exceptionDetails) throw new Error(`in the badge: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  }

}

/** Polls until `ok()` holds (or throws after `timeout` ms, naming what it waited for). */
export async function waitUntil(ok: () => Promise<boolean>, what: string, timeout = 15_000): Promise<void> {
  const end = Date.now() + timeout;
  for (;;) {
    if (await ok().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
