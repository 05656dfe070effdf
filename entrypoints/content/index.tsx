import { render, type VNode } from 'preact';
import { Badge, verdictLine, type UnitRow } from '@/components/Badge';
import { BadgeWatch } from '@/lib/content/badge-watch';
import { Marks } from '@/lib/content/marks';
import { highlightRanges, HIGHLIGHT_NAME, PageSession, wholeElement, type BadgeHost, type ScanAnswer } from '@/lib/content/page-session';
import { UnitWatch, type UnitEntry, type UnitsHost } from '@/lib/content/units';
import { t, type Lang } from '@/lib/i18n-badge';
import type { BadgeHiddenHow } from '@/lib/messages';
import { send } from '@/lib/send-message';
// The badge's stylesheet travels inside the script: mounting the badge fetches nothing.
import badgeCss from './style.css?inline';

const SERIOUS = ['none', 'credited', 'partial', 'uncredited'];

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

    /** Shows the badge with this content: a fresh badge (closed) unless `keep`, when the mounted one is drawn again in place. */
    let view: (() => VNode) | undefined;
    let container: HTMLElement | undefined;
    const paint = () => {
      if (container && view) render(view(), container);
    };
    const showBadge = (next: () => VNode, keep = false) => {
      view = next;
      if (keep && ui && container) return paint();
      const shown = ++showing;
      void (async () => {
        ui?.remove();
        container = undefined;
        watch.reset();
        const made = await createShadowRootUi(ctx, {
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

    // A timeline: a mark on each post that reuses an original; the badge summarises and opens each post's evidence.
    let rows: UnitRow[] = [];
    let unitLang: Lang = 'en';
    let selected: string | undefined;
    let opened = 0;
    const highlightPost = (key: string, on: boolean) => {
      const css = (globalThis as { CSS?: { highlights?: Map<string, unknown> } }).CSS;
      css?.highlights?.delete(HIGHLIGHT_NAME);
      const el = units.entry(key)?.el;
      return on && !!el?.isConnected && highlightRanges(document, [wholeElement(document, el)]);
    };
    const drawUnits = (keep: boolean) => {
      if (!rows.length) {
        selected = undefined;
        if (view) hideBadge();
        return;
      }
      const row = rows.find((r) => r.key === selected);
      if (!row) selected = undefined;
      const worst = rows.reduce((a, b) => (SERIOUS.indexOf(b.info.verdict) > SERIOUS.indexOf(a.info.verdict) ? b : a));
      const key = selected;
      const openNow = opened;
      showBadge(
        () => (
          <Badge
            key={`${key ?? ''}:${openNow}`}
            info={(row ?? worst).info}
            lang={unitLang}
            units={rows}
            selected={key}
            initiallyOpen={openNow > 0}
            onSelect={(k) => {
              selected = k;
              opened++;
              if (k) units.entry(k)?.el.scrollIntoView({ block: 'center', behavior: 'smooth' });
              drawUnits(true);
            }}
            onHighlight={(on) => (key ? highlightPost(key, on) : false)}
            onAction={(action) => send('badge-action', key ? { action, unit: key } : { action })}
            onOpenOriginal={() => void send('open-original', key ? { unit: key } : {}).catch(() => undefined)}
            onShown={(el) => watch.observe(el)}
          />
        ),
        keep,
      );
    };
    const marks = new Marks((key) => {
      // A trusted click on a post's mark: the badge opens at that post's evidence.
      selected = key;
      opened++;
      drawUnits(true);
    });
    const unitsHost: UnitsHost = {
      mark: (e: UnitEntry, lang: Lang) => {
        const info = e.info;
        if (!info || info.verdict === 'none' || info.hidden || info.credit?.kind === 'own-site') return marks.remove(e.key);
        marks.set(e.key, e.el, info.verdict, verdictLine(info, lang, true), t(lang, 'markShow'), lang);
      },
      clear: () => {
        marks.clear();
        rows = [];
        drawUnits(false);
      },
      summary: (entries: UnitEntry[], lang: Lang) => {
        unitLang = lang;
        const had = rows.length > 0;
        rows = entries.map((e) => ({ key: e.key, info: e.info!, account: e.unit.author.name }));
        drawUnits(had);
      },
    };
    const units = new UnitWatch({ scanUnits: (req) => send('scan-units', req), host: unitsHost });

    const session = new PageSession({ scan: (page) => send('scan', page), host, units });
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
      const ours = (n: Node) => n === ui?.shadowHost || (n as Element).tagName === 'PROVENANCE-BADGE' || Marks.isMark(n);
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
