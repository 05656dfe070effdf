/**
 * The platform content script: on the hosts the platform modules claim
 * (lib/platforms/signs.ts, declared in the manifest), and injected by the
 * background into a page of another host whose signs the generic script saw
 * (never a web-accessible resource: the page cannot load or detect it). It is
 * the generic script plus lib/platforms: a timeline's posts are each judged
 * as they enter the viewport, with a mark on each post that reuses an
 * original and the badge summarising; a post or video page is judged on its
 * unit.
 */
import { Badge, verdictLine, type UnitRow } from '@/components/Badge';
import { Marks } from '@/lib/content/marks';
import { highlightRanges, HIGHLIGHT_NAME, wholeElement } from '@/lib/content/page-session';
import { PlatformReader } from '@/lib/content/platform-reader';
import { UnitWatch, type UnitEntry, type UnitsHost } from '@/lib/content/units';
import { t, type Lang } from '@/lib/i18n-badge';
import { PLATFORM_MATCHES } from '@/lib/platforms/signs';
import { send } from '@/lib/send-message';
import { startContent } from '../content/start';

const SERIOUS = ['none', 'credited', 'partial', 'uncredited'];

export default defineContentScript({
  matches: PLATFORM_MATCHES,
  runAt: 'document_idle',
  cssInjectionMode: 'manual',
  main(ctx) {
    startContent(ctx, {
      platform: (badge, ctx) => {
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
            if (badge.shown) badge.hide();
            return;
          }
          const row = rows.find((r) => r.key === selected);
          if (!row) selected = undefined;
          const worst = rows.reduce((a, b) => (SERIOUS.indexOf(b.info.verdict) > SERIOUS.indexOf(a.info.verdict) ? b : a));
          const key = selected;
          const openNow = opened;
          badge.show(
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
                onShown={(el) => badge.observe(el)}
              />
            ),
            keep,
          );
        };
        const marks = new Marks(
          (key) => {
            // A trusted click on a post's mark: the badge opens at that post's evidence.
            selected = key;
            opened++;
            drawUnits(true);
          },
          document,
          { setTimeout: (f, ms) => ctx.setTimeout(f, ms), clearTimeout: (id) => clearTimeout(id) },
        );
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
        // A page that takes a post's mark away gets it back (bounded: lib/content/marks.ts).
        return { session: new PlatformReader(units), ours: (n) => Marks.isMark(n), changed: () => marks.check() };
      },
    });
  },
});
