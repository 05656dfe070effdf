import { render } from 'preact';
import { Badge } from '@/components/Badge';
import type { BadgeInfo } from '@/lib/badge-info';
import { PageSession, type BadgeHost } from '@/lib/content/page-session';
import { resolveLang } from '@/lib/i18n';
import { send } from '@/lib/send-message';
import { readSettings } from '@/lib/settings';
// The badge's stylesheet travels inside the script: mounting the badge fetches nothing.
import badgeCss from './style.css?inline';

export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  runAt: 'document_idle',
  cssInjectionMode: 'manual',
  async main(ctx) {
    let ui: Awaited<ReturnType<typeof createShadowRootUi>> | undefined;
    let remounts = 0;
    let lastReport = '';
    // Read while the page is being scanned, so that showing the badge waits for nothing.
    const langReady = readSettings().then((s) => resolveLang(s.language));

    const host: BadgeHost = {
      show: (info: BadgeInfo, session: PageSession) => {
        void (async () => {
          const lang = await langReady;
          ui?.remove();
          ui = await createShadowRootUi(ctx, {
            name: 'provenance-badge',
            position: 'inline',
            anchor: 'body',
            append: 'last',
            mode: 'open',
            css: badgeCss,
            onMount: (container) => {
              render(
                <Badge
                  info={info}
                  lang={lang}
                  onHighlight={(on) => session.highlight(on)}
                  onNotACopy={async () => {
                    await send('not-a-copy', { url: location.href, originalId: info.original!.id });
                    session.highlight(false);
                    host.hide();
                  }}
                  onHideSite={async () => {
                    await send('hide-site', { host: location.hostname });
                    session.highlight(false);
                    host.hide();
                  }}
                  onReport={async (draft) => {
                    const { uid } = await send('report-save', {
                      url: location.href,
                      title: document.title,
                      verdict: info.verdict,
                      outlet: info.outlet?.id ?? '',
                      originalId: info.original?.id ?? '',
                      originalUrl: info.original?.url ?? '',
                      score: info.confidence,
                      passages: info.passages.map((p) => ({ pageText: p.pageText, originalText: p.originalText })),
                      ...draft,
                    });
                    lastReport = uid;
                  }}
                  onReviewReport={() => void send('report-open', { page: 'reports', query: { review: lastReport } })}
                />,
                container,
              );
            },
            onRemove: (container) => {
              if (container) render(null, container);
            },
          });
          ui.mount();
        })();
      },
      hide: () => {
        ui?.remove();
        ui = undefined;
      },
    };

    const session = new PageSession({ scan: (page) => send('scan', page), host });
    ctx.onInvalidated(() => session.stop());
    ctx.addEventListener(window, 'wxt:locationchange', () => session.navigated());

    // Late text and pages that remove foreign nodes: watch, debounced and bounded.
    const observer = new MutationObserver((records) => {
      if (ui && !ui.shadowHost.isConnected && remounts < 10) {
        remounts++;
        ui.mount();
      }
      const ours = (n: Node) => n === ui?.shadowHost || (n as Element).tagName === 'PROVENANCE-BADGE';
      if (records.some((r) => ![...r.addedNodes, ...r.removedNodes].every(ours))) session.changed();
    });
    if (document.body) observer.observe(document.body, { childList: true, subtree: true, characterData: false });
    ctx.onInvalidated(() => observer.disconnect());

    // The script runs at document_idle (after the page's own start-up); extraction is
    // time-sliced, so it starts at once rather than waiting for another idle period.
    ctx.setTimeout(() => void session.scan(), 0);
  },
});
