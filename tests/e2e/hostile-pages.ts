/**
 * Hostile pages for tests/e2e/hostile.spec.ts: pages whose author knows the
 * extension and tries to read, silence, fake or click its badge, to probe
 * for it with hidden text, to turn its verdict with credit no reader sees,
 * or to bury it in a huge DOM. Every page copies the same fictional English
 * original (EN_COPY, a CCTV original in the fixtures) unless it says
 * otherwise, and records what its scripts saw in `window.seen`.
 */
import type { Page } from '@playwright/test';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from '../../lib/cli/static-server';
import { loadFixtures, paragraphs, stripSourceTag } from '../support/make-pages';
import { EN_COPY, newsPage } from './test-pages';

const fx = loadFixtures();
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const paras = (text: string) => paragraphs(text).map((p) => `<p>${esc(p)}</p>`).join('\n');
const COPY = paras(stripSourceTag(EN_COPY.text));
const OWN_WORDS = `<p>${esc(fx.commentary.en[2]!)}</p><p>${esc(fx.filler.en[1]!)}</p>`;
/** The CCTV original's text in one block, for the probes. */
const COPY_TEXT = esc(stripSourceTag(EN_COPY.text));

/** Ways to hide the probe text (point 2 of issue 11): each through a stylesheet, never inline, unless named so. */
export const PROBES: Record<string, { css: string; html: (inner: string) => string }> = {
  'stylesheet-class': { css: '.promo-x{display:none}', html: (t) => `<div class="promo-x">${t}</div>` },
  'visibility-class': { css: '.vh{visibility:hidden}', html: (t) => `<div class="vh">${t}</div>` },
  'off-screen': { css: '.off{position:absolute;left:-9999px;top:0;width:640px}', html: (t) => `<div class="off">${t}</div>` },
  'opacity-zero': { css: '.o{opacity:0}', html: (t) => `<div class="o">${t}</div>` },
  'font-size-zero': { css: '.f{font-size:0}', html: (t) => `<div class="f">${t}</div>` },
  'clip-to-nothing': { css: '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}', html: (t) => `<div class="sr">${t}</div>` },
  'clip-path': { css: '.cp{clip-path:inset(50%)}', html: (t) => `<div class="cp">${t}</div>` },
  'zero-height': { css: '.z{height:0;overflow:hidden}', html: (t) => `<div class="z"><p>${t}</p></div>` },
  'transparent-text': { css: '.tt{color:transparent}', html: (t) => `<div class="tt">${t}</div>` },
  'scaled-to-nothing': { css: '.sc{transform:scale(0)}', html: (t) => `<div class="sc">${t}</div>` },
  'closed-details': { css: '', html: (t) => `<details><summary>More</summary><p>${t}</p></details>` },
  'hidden-attribute': { css: '', html: (t) => `<div hidden>${t}</div>` },
  // The control: the same text shown is found.
  'shown-control': { css: '', html: (t) => `<div class="shown">${t}</div>` },
};

/** Hidden or metadata-only credit for CCTV on an uncredited copy (point 3). */
export const CREDITS: Record<string, { head?: string; css?: string; body?: string; expect: { strength: 'hidden' | 'metadata' | 'visible'; kind: string } }> = {
  'hidden-link': { body: '<a style="display:none" href="https://english.cctv.com/">CCTV</a>', expect: { strength: 'hidden', kind: 'link' } },
  'hidden-link-class': { css: '.credit-x{display:none}', body: '<p class="credit-x"><a href="https://english.cctv.com/2026/x.shtml">Original</a></p>', expect: { strength: 'hidden', kind: 'link' } },
  'hidden-source-line': { css: '.src{position:absolute;left:-9999px}', body: '<p class="src">Source: CCTV</p>', expect: { strength: 'hidden', kind: 'source-line' } },
  canonical: { head: '<link rel="canonical" href="https://english.cctv.com/2026/x.shtml">', expect: { strength: 'metadata', kind: 'canonical' } },
  'og-url': { head: '<meta property="og:url" content="https://english.cctv.com/2026/x.shtml">', expect: { strength: 'metadata', kind: 'canonical' } },
  'meta-source': { head: '<meta name="source" content="CCTV">', expect: { strength: 'metadata', kind: 'byline' } },
  'meta-author': { head: '<meta name="author" content="China Central Television">', expect: { strength: 'metadata', kind: 'byline' } },
  // The control: a source line the reader sees is credit.
  'visible-source-line': { body: '<p>Source: CCTV</p>', expect: { strength: 'visible', kind: 'source-line' } },
};

/** Script that records what the page can learn about the badge, into window.seen (once the badge exists). */
const OBSERVER = `<script>
window.seen = { hostSeen: false };
function look() {
  var host = document.querySelector('provenance-badge');
  var s = window.seen;
  s.hostSeen = !!host;
  if (!host) return;
  s.hostTag = host.tagName;
  s.shadowRoot = host.shadowRoot === null ? 'null' : 'visible';
  try { host.attachShadow({ mode: 'open' }); s.attachShadow = 'allowed'; } catch (e) { s.attachShadow = e.name; }
  var r = host.getBoundingClientRect();
  s.hostRect = [r.x, r.y, r.width, r.height].map(Math.round);
  s.hostInnerText = host.innerText;
  s.hostTextContent = host.textContent;
  s.documentTextHasVerdict = /Likely uncredited/.test(document.documentElement.innerText);
  s.windowFind = window.find('Likely uncredited copy');
  var sel = getSelection(); sel.removeAllRanges(); sel.selectAllChildren(document.documentElement);
  s.selectionHasVerdict = /Likely uncredited/.test(sel.toString()); sel.removeAllRanges();
  var atCorner = document.elementFromPoint(innerWidth - 40, innerHeight - 30);
  s.elementAtBadge = atCorner ? atCorner.tagName : null;
}
document.addEventListener('click', function (e) {
  if (!e.isTrusted) return;
  window.seen.trustedClickPath = e.composedPath().map(function (n) { return n.nodeName || 'window'; });
  window.seen.trustedClickTarget = e.target.nodeName;
}, true);
document.addEventListener('keydown', function (e) { (window.seen.keys = window.seen.keys || []).push(e.key); }, true);
setInterval(look, 300);
</script>`;

function send(res: ServerResponse, html: string, headers: Record<string, string> = {}): true {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(html);
  return true;
}

/** The hostile pages, by path. */
export function hostilePage(path: string, query: URLSearchParams): string | undefined {
  switch (path) {
    // Point 1: the page's scripts try to read the badge and act through it.
    case '/hostile/script-badge':
      return newsPage(
        'Port opens new berths, officials say',
        OWN_WORDS + COPY,
        '',
        `${OBSERVER}<script>
          // Rewrite every link (the badge's original is not among them), and try to click "Hide on this site".
          setInterval(function () {
            document.querySelectorAll('a').forEach(function (a) { a.href = 'https://phish.example/login'; });
            var host = document.querySelector('provenance-badge');
            if (!host) return;
            host.click();
            host.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: innerWidth - 60, clientY: innerHeight - 30 }));
            var el = document.elementFromPoint(innerWidth - 60, innerHeight - 30);
            if (el) el.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
            window.seen.clicks = (window.seen.clicks || 0) + 1;
          }, 200);
        </script>`,
      );
    // Point 2: the page probes for the extension with a known original's text it hides.
    case '/hostile/probe': {
      const probe = PROBES[query.get('how') ?? ''];
      if (!probe) return undefined;
      return newsPage('Weekend notes', `${OWN_WORDS}<p>${esc(fx.filler.en[2]!)}</p>${probe.html(COPY_TEXT)}`, probe.css ? `<style>${probe.css}</style>` : '', OBSERVER);
    }
    // Point 3: credit no reader sees.
    case '/hostile/credit': {
      const c = CREDITS[query.get('how') ?? ''];
      if (!c) return undefined;
      return newsPage('Port opens new berths, officials say', OWN_WORDS + COPY + (c.body ?? ''), `${c.head ?? ''}${c.css ? `<style>${c.css}</style>` : ''}`);
    }
    // A MutationObserver that strips every element the page did not make, wherever it is put.
    case '/hostile/strip':
      return newsPage(
        'Port opens new berths, officials say',
        OWN_WORDS + COPY,
        '',
        `<script>
          window.stripped = 0;
          function strip(n) { if (n.nodeType === 1 && n.tagName.indexOf('-') > 0) { n.remove(); window.stripped++; } }
          new MutationObserver(function (records) { records.forEach(function (r) { r.addedNodes.forEach(strip); }); })
            .observe(document.documentElement, { childList: true, subtree: true });
        </script>`,
      );
    // CSS that covers the badge: a fixed full-screen layer with the highest z-index, letting clicks through.
    case '/hostile/cover':
      return newsPage(
        'Port opens new berths, officials say',
        OWN_WORDS + COPY,
        '<style>#cover{position:fixed;inset:0;z-index:2147483647;background:#fff;pointer-events:none;opacity:.999}provenance-badge{display:none!important;visibility:hidden!important}</style>',
        '<div id="cover"><p style="margin:40px">Subscribe to read.</p></div>',
      );
    // Main-world overrides of what a badge might use, installed before anything else runs.
    case '/hostile/overrides':
      return newsPage(
        'Port opens new berths, officials say',
        OWN_WORDS + COPY,
        `<script>
          window.caught = { shadows: [], listeners: 0, observers: 0 };
          var realAttach = Element.prototype.attachShadow;
          Element.prototype.attachShadow = function (init) { window.caught.shadows.push(this.tagName + ':' + (init && init.mode)); return realAttach.call(this, { mode: 'open' }); };
          var realAdd = EventTarget.prototype.addEventListener;
          EventTarget.prototype.addEventListener = function (type, fn, opts) { window.caught.listeners++; return realAdd.call(this, type, function () {}, opts); };
          window.MutationObserver = function () { window.caught.observers++; return { observe: function () {}, disconnect: function () {}, takeRecords: function () { return []; } }; };
          window.IntersectionObserver = function () { return { observe: function () {}, disconnect: function () {} }; };
          Element.prototype.getBoundingClientRect = function () { return { x: 0, y: 0, width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0 }; };
          window.getComputedStyle = function () { return { display: 'none', visibility: 'hidden', opacity: '0' }; };
          Element.prototype.checkVisibility = function () { return false; };
          Range.prototype.getBoundingClientRect = function () { return { x: 0, y: 0, width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0 }; };
          Node.prototype.appendChild = (function (real) { return function (c) { if (c && c.tagName && c.tagName.indexOf('-') > 0) return c; return real.call(this, c); }; })(Node.prototype.appendChild);
          JSON.stringify = function () { return '{}'; };
        </script>`,
      );
    // A huge DOM: deep nesting and 150,000 hidden spans inside the article, around the copy.
    case '/hostile/huge': {
      const noise: string[] = [];
      for (let i = 0; i < 150_000; i++) noise.push(`<span class="n">${i}</span>`);
      let deep = '';
      for (let i = 0; i < 2000; i++) deep += '<div class="d">';
      deep += '<p>deep</p>' + '</div>'.repeat(2000);
      return newsPage('Port opens new berths, officials say', `${OWN_WORDS}<div class="noise">${noise.join('')}</div>${deep}${COPY}`, '<style>.noise{display:none}.n{color:red}</style>');
    }
    // A page that replays what the badge might send or receive: messages, custom events, synthetic input.
    case '/hostile/replay':
      return newsPage(
        'Port opens new berths, officials say',
        OWN_WORDS + COPY,
        '',
        `<script>
          window.replayed = 0;
          var kinds = ['hide-site', 'not-a-copy', 'report', 'badge-action', 'confirm-apply', 'open-original', 'rescan'];
          setInterval(function () {
            kinds.forEach(function (k) {
              window.postMessage({ type: k, data: { action: 'hide-site', host: location.hostname, id: 'x' } }, '*');
              document.dispatchEvent(new CustomEvent('provenance-' + k, { detail: { action: 'hide-site' }, bubbles: true, composed: true }));
              window.dispatchEvent(new CustomEvent(k, { detail: { action: 'hide-site' } }));
            });
            var host = document.querySelector('provenance-badge');
            if (host) {
              host.focus();
              ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click'].forEach(function (t) {
                for (var x = innerWidth - 440; x < innerWidth; x += 40)
                  for (var y = innerHeight - 300; y < innerHeight; y += 20) {
                    var el = document.elementFromPoint(x, y) || host;
                    el.dispatchEvent(new MouseEvent(t, { bubbles: true, composed: true, clientX: x, clientY: y }));
                  }
              });
              host.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
              host.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true, composed: true }));
            }
            window.replayed++;
          }, 250);
        </script>`,
      );
  }
  return undefined;
}

export const hostileRoutes: Route[] = [
  (_req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (!url.pathname.startsWith('/hostile/')) return false;
    const html = hostilePage(url.pathname, url.searchParams);
    return html === undefined ? false : send(res, html);
  },
];

/**
 * Makes the page strip every element with this tag whenever one appears (a MutationObserver of the
 * page's own, as a hostile page would): returns how many it has removed so far, read on demand.
 */
export async function stripEveryTime(page: Page, tag: string): Promise<() => Promise<number>> {
  await page.evaluate((tag) => {
    const w = window as unknown as { stripped: number };
    w.stripped = 0;
    const strip = () => {
      for (const m of document.querySelectorAll(tag)) {
        m.remove();
        w.stripped++;
      }
    };
    new MutationObserver(strip).observe(document.body, { childList: true, subtree: true });
    strip();
  }, tag);
  return () => page.evaluate(() => (window as unknown as { stripped: number }).stripped);
}
