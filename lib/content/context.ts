/**
 * The content scripts' context: WXT's ContentScriptContext (0.20.9) without
 * anything the page can see.
 *
 * WXT's context announces every content script to older instances of itself
 * with `window.postMessage({ type: '<extension id>:<script>:wxt:content-script-started',
 * contentScriptName, messageId }, '*')`: any `message` listener of the page
 * reads it, so the page learns the extension's id, and it could post the same
 * message back with another `messageId` to stop our script. Its location
 * watcher also dispatches `<extension id>:<script>:wxt:locationchange` on the
 * page's window, which a page that knows the id can listen for or fake.
 *
 * This subclass, put in place of WXT's class by a build plugin
 * (lib/build/quiet-context.ts: WXT's generated entry still constructs the
 * context and calls our `main`), keeps what those were for:
 * - a newer instance of the same script in the same isolated world (the
 *   script injected again) stops the older one at once, through a registry on
 *   the isolated world's global object: the page's scripts cannot reach it;
 * - an instance left behind when the extension is updated, reloaded or
 *   removed (its runtime gone: `browser.runtime.id` undefined; Chromium starts
 *   the new scripts in another isolated world, Firefox unloads the old ones)
 *   invalidates itself within a second: a tick every second (started, as
 *   WXT's location watcher is, by the first location listener: both our
 *   scripts that draw anything add one) asks WXT's `isValid`, which checks
 *   the runtime;
 * - the tick also notices address changes (single-page sites), which reach
 *   `ctx.addEventListener(window, 'wxt:locationchange', …)` through an
 *   EventTarget of our own, never through the page's window.
 * Newer WXT releases add a content script option that leaves the postMessage
 * out (wxt-dev/wxt pull request 2265); after an upgrade to one, this override
 * can go if nothing else of the above is page-visible there.
 */
import { ContentScriptContext as WxtContentScriptContext } from 'wxt/utils/content-script-context';

/** Where the running instances are kept: a property of the isolated world's global object (not the page's). */
const REGISTRY = '__provenanceContentScripts';
/** How often the context checks that the extension is still there, and the page's address. */
export const TICK_MS = 1000;

type Registry = Map<string, ContentScriptContext>;

function registry(): Registry {
  const g = globalThis as unknown as Record<string, Registry | undefined>;
  let r = g[REGISTRY];
  if (!r) {
    r = new Map();
    Object.defineProperty(g, REGISTRY, { value: r, enumerable: false });
  }
  return r;
}

export class ContentScriptContext extends WxtContentScriptContext {
  /** Location changes, for this script's listeners only (an EventTarget of the isolated world). */
  private readonly locationEvents = new EventTarget();

  private ticking = false;

  /** Started by the first location listener (as WXT's watcher is): a script that listens for none, such as the highlight style's, has no timer. */
  private tick(): void {
    if (this.ticking || this.isInvalid) return;
    this.ticking = true;
    let url = location.href;
    // ctx.setInterval runs the callback only while the context is valid: each tick checks the runtime.
    this.setInterval(() => {
      if (location.href === url) return;
      const event = Object.assign(new Event('locationchange'), { newUrl: new URL(location.href), oldUrl: new URL(url) });
      url = location.href;
      this.locationEvents.dispatchEvent(event);
    }, TICK_MS);
  }

  /** WXT posts its start-up message to the page here: replaced by the registry (listenForNewerScripts). */
  override stopOldScripts(): void {}

  /**
   * Called by WXT's constructor (top frame and subframes alike): the older instance of this script in
   * this world, if any, is stopped, and this one takes its place until it is itself invalidated.
   */
  override listenForNewerScripts(): void {
    const name = this.name();
    const r = registry();
    const older = r.get(name);
    r.set(name, this);
    if (older && older !== this) older.notifyInvalidated();
    this.onInvalidated(() => {
      if (r.get(name) === this) r.delete(name);
    });
  }

  override addEventListener(target: EventTarget, type: string, handler: (event: never) => void, options?: boolean | AddEventListenerOptions): void {
    if (type === 'wxt:locationchange') {
      this.tick();
      const opts = typeof options === 'boolean' ? { capture: options } : options;
      this.locationEvents.addEventListener('locationchange', handler as unknown as EventListener, { ...opts, signal: this.signal });
      return;
    }
    (super.addEventListener as (t: EventTarget, type: string, h: unknown, o?: boolean | AddEventListenerOptions) => void)(target, type, handler, options);
  }

  /** The script's name (WXT keeps it in a private field). */
  private name(): string {
    return (this as unknown as { contentScriptName: string }).contentScriptName;
  }
}
