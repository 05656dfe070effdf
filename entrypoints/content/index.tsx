import { render } from 'preact';
import { Badge } from '@/components/Badge';
import { BadgeWatch } from '@/lib/content/badge-watch';
import { PageSession, type BadgeHost, type ScanAnswer } from '@/lib/content/page-session';
import type { BadgeHiddenHow } from '@/lib/messages';
import { send } from '@/lib/send-message';
// The badge's stylesheet travels inside the script: mounting the badge fetches nothing.
import badgeCss from './style.css?inline';

export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  runAt: 'document_idle',
  cssInjectionMode: 'manual',
  async main(ctx) {
    let ui: Awaited<ReturnType<typeof createShadowRootUi>> | undefined;
    let showing = 0;
    // The page may remove or cover the badge; after a few re-attachments we stop and say so in the popup.
    const tell = (how: BadgeHiddenHow) => void send('badge-hidden', { how }).catch(() => undefined);
    const watch = new BadgeWatch({ remount: () => ui?.mount(), report: tell, setTimeout: (f, ms) => ctx.setTimeout(f, ms), clearTimeout: (id) => clearTimeout(id) });

    const host: BadgeHost = {
      show: (info: ScanAnswer, session: PageSession) => {
        const shown = ++showing;
        void (async () => {
          ui?.remove();
          watch.reset();
          ui = await createShadowRootUi(ctx, {
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
            onMount: (container) => {
              render(
                <Badge
                  info={info}
                  lang={info.lang ?? 'en'}
                  onHighlight={(on) => session.highlight(on)}
                  onAction={(action) => send('badge-action', { action })}
                  onOpenOriginal={() => void send('open-original', {}).catch(() => undefined)}
                  onShown={(el) => watch.observe(el)}
                />,
                container,
              );
            },
            onRemove: (container) => {
              if (container) render(null, container);
            },
          });
          if (shown !== showing) return; // a newer result (or none) came meanwhile
          ui.mount();
          watch.attach(ui.shadowHost);
        })();
      },
      hide: () => {
        showing++;
        watch.reset();
        ui?.remove();
        ui = undefined;
      },
    };

    const session = new PageSession({ scan: (page) => send('scan', page), host });
    ctx.onInvalidated(() => session.stop());
    ctx.addEventListener(window, 'wxt:locationchange', () => session.navigated());
    // A <details> opened by the reader shows text that was hidden: scan again.
    ctx.addEventListener(document, 'toggle', (e) => e.isTrusted && session.changed(), { capture: true });

    // After the reader confirmed "Not a copy" or "Hide on this site" in the extension: scan again.
    const onMessage = (message: { type?: string }, sender: { id?: string; tab?: unknown }) => {
      if (sender.id === browser.runtime.id && !sender.tab && message?.type === 'rescan') session.rescanNow();
    };
    browser.runtime.onMessage.addListener(onMessage);
    ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));

    // Late text and pages that remove foreign nodes: watch, debounced and bounded.
    const observer = new MutationObserver((records) => {
      if (ui) watch.check();
      const ours = (n: Node) => n === ui?.shadowHost || (n as Element).tagName === 'PROVENANCE-BADGE';
      if (records.some((r) => ![...r.addedNodes, ...r.removedNodes].every(ours))) session.changed();
    });
    if (document.body) observer.observe(document.body, { childList: true, subtree: true, characterData: false });
    observer.observe(document.documentElement, { childList: true }); // the badge's own place
    ctx.onInvalidated(() => observer.disconnect());

    // The script runs at document_idle (after the page's own start-up); extraction is
    // time-sliced, so it starts at once rather than waiting for another idle period.
    ctx.setTimeout(() => void session.scan(), 0);
  },
});
