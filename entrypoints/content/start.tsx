/**
 * What both content scripts share: the page badge in its closed shadow root,
 * the watch that notices the page removing or covering it, the page session
 * and the page watcher. The generic script (content/index.tsx, every page
 * except the platforms' hosts) passes a hand-over; the platform script
 * (platform.content/index.tsx) passes its platform half (posts, marks).
 */
import { render, type VNode } from 'preact';
import { Badge } from '@/components/Badge';
import { BadgeWatch } from '@/lib/content/badge-watch';
import { LinkMarks } from '@/lib/content/link-marks';
import { PageSession, type BadgeHost, type ScanAnswer, type SessionDeps } from '@/lib/content/page-session';
import type { BadgeHiddenHow } from '@/lib/messages';
import { send } from '@/lib/send-message';
import type { ContentScriptContext } from '#imports';
// The badge's stylesheet travels inside the script: mounting the badge fetches nothing.
import badgeCss from './style.css?inline';

/** The badge as the platform half draws it (a timeline's summary). */
export interface BadgeApi {
  /** Shows the badge with this content: a fresh badge (closed) unless `keep`, when the mounted one is drawn again in place. */
  show(next: () => VNode, keep?: boolean): void;
  hide(): void;
  /** Whether a badge is drawn (or about to be). */
  readonly shown: boolean;
  /** The watch's hook for the element that shows the badge. */
  observe(el: Element | null): void;
}

export interface ContentParts {
  /** The generic script: ask for the platform script when the page shows a platform's signs. */
  handOver?: SessionDeps['handOver'];
  /** The platform script: its half of the session, and which nodes of the page are its own (marks). */
  platform?: (badge: BadgeApi, ctx: ContentScriptContext) => { session: NonNullable<SessionDeps['platform']>; ours(n: Node): boolean; changed?(): void };
}

/** The verdict drawn off the page to warm the badge's code up (never shown). */
const WARM_UP: ScanAnswer = { verdict: 'uncredited', confidence: 0.5, passages: [], outlet: { id: 'xinhua', names: { en: 'Xinhua' } } };

export function startContent(ctx: ContentScriptContext, parts: ContentParts): void {
  let ui: Awaited<ReturnType<typeof createShadowRootUi>> | undefined;
  let showing = 0;
  // The page may remove or cover the badge; after a few re-attachments we stop and say so in the popup.
  const tell = (how: BadgeHiddenHow) => void send('badge-hidden', { how }).catch(() => undefined);
  // Timers that end with the script (the badge's watch and the link dots' watches).
  const timers = { setTimeout: (f: () => void, ms: number) => ctx.setTimeout(f, ms), clearTimeout: (id: number) => clearTimeout(id) };
  const watch = new BadgeWatch({ remount: () => ui?.mount(), report: tell, ...timers });

  let view: (() => VNode) | undefined;
  let container: HTMLElement | undefined;
  const paint = () => {
    if (container && view) render(view(), container);
  };
  const makeUi = () =>
    createShadowRootUi(ctx, {
      name: 'provenance-badge',
      position: 'inline',
      // After <body>, in <html>: pages that sweep foreign nodes out of their body leave it alone.
      anchor: () => document.documentElement,
      append: 'last',
      // Closed: the page's scripts cannot reach inside (host.shadowRoot is null for them).
      mode: 'closed',
      // Key presses inside the badge do not bubble out to the page's listeners.
      isolateEvents: true,
      css: badgeCss,
      onMount: (c) => {
        container = c;
        paint();
      },
      onRemove: (c) => {
        if (c) render(null, c);
      },
    });
  /**
   * A badge host made ahead, not in the page: made while the background judges the page (the page's
   * thread waits then), so that an answer with a verdict is drawn without making it first.
   */
  let spare: ReturnType<typeof makeUi> | undefined;
  let warmed = false;
  const prepare = () => {
    if (ui || spare) return;
    spare = makeUi();
    if (warmed) return;
    warmed = true;
    // The first drawing of a badge in a page runs its code for the first time, compiled then: two thirds
    // of the drawing's time. It is drawn once beforehand, off the page (an element never attached, which
    // the page cannot see), with a sample verdict, and taken down.
    const off = document.createElement('div');
    render(<Badge info={WARM_UP} lang="en" onHighlight={() => false} onAction={async () => ({ opened: false })} onOpenOriginal={() => undefined} />, off);
    render(null, off);
  };
  const showBadge = (next: () => VNode, keep = false) => {
    view = next;
    if (keep && ui && container) return paint();
    const shown = ++showing;
    void (async () => {
      ui?.remove();
      container = undefined;
      watch.reset();
      const making = spare ?? makeUi();
      spare = undefined;
      const made = await making;
      if (shown !== showing) return; // a newer result (or none) came meanwhile
      ui = made;
      ui.mount();
      watch.attach(ui.shadowHost);
    })();
  };
  const hideBadge = () => {
    showing++;
    watch.reset();
    ui?.remove();
    ui = undefined;
    container = undefined;
    view = undefined;
  };

  const host: BadgeHost = {
    show: (info: ScanAnswer, session: PageSession) =>
      showBadge(() => (
        <Badge
          info={info}
          lang={info.lang ?? 'en'}
          onHighlight={(on) => session.highlight(on)}
          onAction={(action) => send('badge-action', { action })}
          onOpenOriginal={() => void send('open-original', {}).catch(() => undefined)}
          onShown={(el) => watch.observe(el)}
        />
      )),
    hide: hideBadge,
  };

  const badge: BadgeApi = {
    show: showBadge,
    hide: hideBadge,
    get shown() {
      return !!view;
    },
    observe: (el) => watch.observe(el),
  };
  const platform = parts.platform?.(badge, ctx);

  const session = new PageSession({
    scan: (page) => {
      const answer = send('scan', page);
      prepare();
      return answer;
    },
    host,
    platform: platform?.session,
    handOver: parts.handOver,
  });
  ctx.onInvalidated(() => session.stop());
  ctx.addEventListener(window, 'wxt:locationchange', () => session.navigated());
  // A <details> opened by the reader shows text that was hidden: scan again.
  ctx.addEventListener(document, 'toggle', (e) => e.isTrusted && session.changed(), { capture: true });

  // Links to known copies and originals: asked about after the page's own scan, and again (debounced, a few times) as links arrive.
  // A page that takes a dot away gets it back (bounded: lib/content/link-marks.ts).
  const links = new LinkMarks((urls) => send('link-marks', { urls }), document, timers);
  let linkRounds = 0;
  let linkTimer: number | undefined;
  const scanLinks = (delay: number) => {
    if (linkTimer !== undefined || linkRounds >= 10 || !links.enabled) return;
    linkTimer = ctx.setTimeout(() => {
      linkTimer = undefined;
      linkRounds++;
      void links.scan().catch(() => undefined);
    }, delay);
  };
  ctx.onInvalidated(() => links.clear());

  // From the background only: after the reader confirmed "Not a copy" or "Hide on this site", scan again;
  // after the reader turned "Marks on links" off or on in options, drop the dots or ask afresh (no reload).
  const onMessage = (message: { type?: string; on?: unknown }, sender: { id?: string; tab?: unknown }) => {
    if (sender.id !== browser.runtime.id || sender.tab) return;
    if (message?.type === 'rescan') session.rescanNow();
    else if (message?.type === 'link-marks-setting' && typeof message.on === 'boolean') {
      links.setOn(message.on);
      if (message.on) {
        linkRounds = 0;
        scanLinks(0);
      }
    }
  };
  browser.runtime.onMessage.addListener(onMessage);
  ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));

  // Late text and pages that remove foreign nodes: watch, debounced and bounded.
  const observer = new MutationObserver((records) => {
    if (ui) watch.check();
    links.check();
    platform?.changed?.();
    const ours = (n: Node) => n === ui?.shadowHost || (n as Element).tagName === 'PROVENANCE-BADGE' || LinkMarks.isMark(n) || !!platform?.ours(n);
    if (records.some((r) => ![...r.addedNodes, ...r.removedNodes].every(ours))) {
      session.changed();
      scanLinks(1500);
    }
  });
  if (document.body) observer.observe(document.body, { childList: true, subtree: true, characterData: false });
  observer.observe(document.documentElement, { childList: true }); // the badge's own place
  ctx.onInvalidated(() => observer.disconnect());

  // The script runs at document_idle (after the page's own start-up); extraction is
  // time-sliced, so it starts at once rather than waiting for another idle period.
  ctx.setTimeout(() => void session.scan(), 0);
  scanLinks(300);
}
