/**
 * A Weibo timeline of N posts for the extension benchmark (weibo.com's
 * current design, as the demo's zh-weibo-timeline.html): three in four
 * posts copy two paragraphs of a Chinese starter original (each a different
 * one in turn), the rest are filler of the fixtures (local news in the
 * posters' own words). Fictional text only.
 */
import { loadFixtures } from '../support/make-pages';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function timelinePage(n: number): { html: string; copies: number } {
  const fx = loadFixtures();
  const zh = fx.originals.zh;
  let copies = 0;
  const cards: string[] = [];
  for (let i = 0; i < n; i++) {
    const copy = i % 4 !== 3;
    let text: string;
    if (copy) {
      const o = zh[i % zh.length]!;
      // Two paragraphs after the first (whose dateline may name the outlet), a different pair each time round.
      const paras = o.text.split('\n\n').filter((p) => p.trim());
      const k = 1 + (Math.floor(i / zh.length) % Math.max(1, paras.length - 2));
      text = `转发一下：${paras[k] ?? paras[0]}${paras[k + 1] ?? ''}`;
      copies++;
    } else text = `${fx.filler.zh[i % fx.filler.zh.length]}（第${i + 1}条）`;
    cards.push(`<div class="wbpro-scroller-item"><article class="woo-panel-main Feed_wrap_3v9LH">
  <div class="Feed_body_3R0rO"><header><a class="head_name_24eEB" href="https://weibo.com/u/${7000000000 + i}"><span>用户${i + 1}</span></a>
  <a class="head-info_time_6sFQg" href="https://weibo.com/${7000000000 + i}/Bench${i}" title="2026-10-10 12:00">10-10 12:00</a></header>
  <div class="wbpro-feed-content"><div class="detail_wbtext_4CRf9">${esc(text)}</div></div></div>
  <footer><div class="toolbar_item_1ky_D"><span class="toolbar_num_JXZul">${i}</span></div><div class="toolbar_item_1ky_D"><span class="toolbar_num_JXZul">${i * 2}</span></div><div class="toolbar_item_1ky_D"><span class="woo-like-count">${i * 3}</span></div></footer>
</article></div>`);
  }
  const html = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>微博 - bench timeline</title>
<style>body{margin:0;font:15px/1.7 sans-serif;background:#f1f2f5}#scroller{max-width:640px;margin:0 auto}article{background:#fff;margin:0 0 12px;padding:16px 20px;min-height:200px;box-sizing:border-box}footer{display:flex;justify-content:space-around}</style>
</head><body><main><div id="scroller">${cards.join('\n')}</div></main></body></html>`;
  return { html, copies };
}
