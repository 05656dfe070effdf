/**
 * Pages for the end-to-end tests, made from the fictional fixtures: copies
 * (English, Chinese/WeChat), a credited copy, the original on its own site,
 * unrelated text, an SPA, late-loading text, a strict-CSP page, a hostile
 * page that removes foreign nodes and overrides prototypes, and a page with
 * 200k elements.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from '../../lib/cli/static-server';
import { readFileSync } from 'node:fs';
import { loadFixtures, paragraphs, stripSourceTag } from '../support/make-pages';
import { loadTranslationCorpus } from '../support/translations';

const fx = loadFixtures();
export const EN_COPY = fx.originals.en[3]!;
export const ZH_COPY = fx.originals.zh[4]!;
export const CREDITED = fx.originals.en[1]!; // xinhua
export const OWN_SITE = fx.originals.en[0]!; // global-times
export const SPA_COPY = fx.originals.en[12]!;
export const LATE_COPY = fx.originals.zh[7]!;

/** Translated pages (tests/fixtures/translations/): the outlets' names for the credit lines in the target language. */
const outlets = new Map(
  (JSON.parse(readFileSync('public/outlets.json', 'utf8')) as { outlets: Array<{ id: string; names: Record<string, string> }> }).outlets.map((o) => [o.id, o.names]),
);
const translations = loadTranslationCorpus((id) => ({ zh: outlets.get(id)?.['zh-Hans'] ?? id, en: outlets.get(id)?.en ?? id }));
const translation = (id: string) => translations.find((p) => p.id === id)!;
/** A Chinese translation of an English original (en-003, the port), uncredited. */
export const TRANSLATED_ZH = translation('full-en-003');
/** An English translation of a Chinese original (zh-001) ending with a credit line in English. */
export const TRANSLATED_CREDITED = translation('credited-zh-001');
/** An independent English report of the same event as zh-016 (same names and figures): not a translation. */
export const TRANSLATED_NEGATIVE = translations.find((p) => p.kind === 'negative' && p.source === 'zh-016' && p.lang === 'en')!;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const paras = (text: string) => paragraphs(text).map((p) => `<p>${esc(p)}</p>`).join('\n');

export function newsPage(title: string, body: string, extraHead = '', script = ''): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>${extraHead}
<style>body{font:16px/1.6 Georgia,serif;max-width:720px;margin:0 auto;padding:24px;color:#222}header,footer{color:#777;font-size:13px}h1{font-size:28px}</style></head>
<body><header><nav><a href="/">Daily Digest</a> · <a href="/world">World</a> · <a href="/business">Business</a></nav></header>
<main><article><h1>${esc(title)}</h1><p class="byline">By Staff Writer</p>${body}</article></main>
<footer>© Daily Digest (fictional test site)</footer>${script}</body></html>`;
}

export function weChatPage(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title></head>
<body><div class="rich_media"><h1 class="rich_media_title" id="activity-name">${esc(title)}</h1>
<div class="rich_media_meta_list"><a id="js_name">澜州生活圈</a> <em id="publish_time">2026-05-09 08:30</em></div>
<div class="rich_media_content" id="js_content"><section><p>${esc(fx.commentary.zh[0]!)}</p></section>${body}<p>${esc(fx.commentary.zh[5]!)}</p></div></div>
<script>var ct = "1778300000";</script></body></html>`;
}

function send(res: ServerResponse, html: string, headers: Record<string, string> = {}): true {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(html);
  return true;
}

const bigPage = (() => {
  // 200,000 elements: a long comment thread of nested spans around a copied article.
  const rows: string[] = [];
  for (let i = 0; i < 40_000; i++) rows.push(`<div class="c"><span>u${i}</span><span>ok</span><b>${i % 7}</b><i>·</i></div>`);
  return newsPage(
    'Thread: ferry news',
    paras(stripSourceTag(fx.originals.en[20]!.text)),
    '',
    `<section id="comments">${rows.join('')}</section>`,
  );
})();

export const testRoutes: Route[] = [
  (_req: IncomingMessage, res: ServerResponse, url: URL) => {
    switch (url.pathname) {
      case '/page/en-copy':
        return send(res, newsPage('Port opens new berths, officials say', `<p>${esc(fx.commentary.en[2]!)}</p>${paras(stripSourceTag(EN_COPY.text))}`));
      case '/page/zh-copy':
        return send(res, weChatPage('电池工厂投产，家门口就业', paras(stripSourceTag(ZH_COPY.text))));
      case '/page/credited':
        return send(res, newsPage('Rail line opens', `${paras(stripSourceTag(CREDITED.text))}<p>Source: Xinhua</p>`));
      case '/page/own-site':
        return send(res, newsPage(OWN_SITE.title, paras(OWN_SITE.text)));
      case '/page/links':
        // Links (to other sites) for link marks: a copy the test has just read on copycat.test, an original in the index
        // (with tracking parameters), one to an unrelated page, and a hidden link to another original.
        return send(
          res,
          newsPage(
            'Reading list',
            `${paras(fx.filler.en.slice(0, 2).join('\n\n'))}
<ul><li><a id="copy" href="http://copycat.test:${String(_req.headers.host).split(':')[1]}/page/en-copy">A story about the port</a></li>
<li><a id="original" href="${OWN_SITE.url.replace('https://www.', 'http://')}?utm_source=feed#top">The drone maker's news</a></li>
<li><a id="unrelated" href="https://example.org/council-news">Council news</a></li>
<li style="display:none"><a id="hidden" href="${CREDITED.url}">Hidden</a></li></ul>`,
          ),
        );
      case '/page/unrelated':
        return send(res, newsPage('Council news', paras(fx.filler.en.slice(0, 6).join('\n\n'))));
      case '/page/csp':
        return send(res, newsPage('Port opens new berths', paras(stripSourceTag(EN_COPY.text))), {
          'content-security-policy': "default-src 'none'; style-src 'none'; script-src 'none'; img-src 'none'; connect-src 'none'",
        });
      case '/page/hostile':
        return send(
          res,
          newsPage(
            'Port opens new berths',
            paras(stripSourceTag(EN_COPY.text)),
            '',
            `<script>
              // Hostile page: prototype overrides and a sweeper that removes foreign nodes.
              Array.prototype.map = function () { return []; };
              JSON.parse = function () { return null; };
              Element.prototype.attachShadow = function () { throw new Error('no shadow for you'); };
              window.removed = 0;
              window.sweeps = 0;
              setInterval(function () {
                window.sweeps++;
                for (const el of Array.from(document.body.children)) {
                  if (!/^(HEADER|MAIN|FOOTER|SCRIPT)$/.test(el.tagName)) { el.remove(); window.removed++; }
                }
              }, 300);
            </script>`,
          ),
        );
      case '/page/translated-zh':
        return send(res, weChatPage('大船来了！马雷斯卡港新泊位启用', paras(TRANSLATED_ZH.text)));
      case '/page/translated-credited':
        return send(res, newsPage('Intercity railway opens in the mountains', paras(TRANSLATED_CREDITED.text)));
      case '/page/translated-negative': {
        const [title, ...body] = paragraphs(TRANSLATED_NEGATIVE.text);
        return send(res, newsPage(title!, paras(body.join('\n\n'))));
      }
      case '/page/big':
        return send(res, bigPage);
      case '/page/late':
        return send(
          res,
          weChatPage('稍后加载', '').replace(
            '</body>',
            `<script>setTimeout(function () {
              var host = document.getElementById('js_content');
              var text = ${JSON.stringify(paragraphs(stripSourceTag(LATE_COPY.text)))};
              text.forEach(function (t) { var p = document.createElement('p'); p.textContent = t; host.appendChild(p); });
            }, 1500);</script></body>`,
          ),
        );
      case '/spa':
        return send(
          res,
          newsPage(
            'Reader app',
            `<p>${esc(fx.filler.en[3]!)}</p><p>${esc(fx.filler.en[4]!)}</p><p><a id="go" href="/spa/story">Open today's story</a></p>`,
            '',
            `<script>
              var story = ${JSON.stringify(paragraphs(stripSourceTag(SPA_COPY.text)))};
              document.getElementById('go').addEventListener('click', function (e) {
                e.preventDefault();
                history.pushState({}, '', '/spa/story');
                var article = document.querySelector('article');
                article.innerHTML = '<h1>Today</h1>';
                story.forEach(function (t) { var p = document.createElement('p'); p.textContent = t; article.appendChild(p); });
              });
            </script>`,
          ),
        );
      default:
        return false;
    }
  },
  // The platform fixtures (tests/fixtures/platforms/*.html), for a platform's host mapped to the server.
  (_req: IncomingMessage, res: ServerResponse, url: URL) => {
    const m = /^\/platform-fixture\/([a-z0-9-]+\.html)$/.exec(url.pathname);
    return m ? send(res, readFileSync(`tests/fixtures/platforms/${m[1]}`, 'utf8')) : false;
  },
];
