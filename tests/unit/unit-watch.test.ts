/**
 * The content script's timeline reader (lib/content/units.ts) on the demo's
 * Weibo timeline, with a stand-in IntersectionObserver that the test drives:
 * only posts that entered the viewport are sent, in batches of at most
 * UNIT_BATCH, each once (again only when its text changed); verdicts mark
 * their posts and the summary lists those with a verdict, in page order.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/cli/cli-support';
import { parseHtmlDocument } from '../../lib/extract/parse-html';
import type { ScanAnswer } from '../../lib/content/page-session';
import { UnitWatch, type UnitEntry } from '../../lib/content/units';
import { UNIT_BATCH, type UnitPayload } from '../../lib/messages';
import { extractUnits } from '../../lib/platforms/index';

class FakeObserver {
  static last: FakeObserver;
  readonly watched = new Set<Element>();
  constructor(readonly callback: (records: IntersectionObserverEntry[]) => void) {
    FakeObserver.last = this;
  }
  observe(el: Element) {
    this.watched.add(el);
  }
  unobserve(el: Element) {
    this.watched.delete(el);
  }
  disconnect() {
    this.watched.clear();
  }
  enter(els: Element[], isIntersecting = true) {
    this.callback(els.map((target) => ({ target, isIntersecting }) as unknown as IntersectionObserverEntry));
  }
}

function setup(html = readFileSync(join(PROJECT_ROOT, 'public/demo/zh-weibo-timeline.html'), 'utf8')) {
  const doc = parseHtmlDocument(html);
  const sent: UnitPayload[][] = [];
  const marked: string[] = [];
  const summaries: string[][] = [];
  const watch = new UnitWatch({
    doc,
    Observer: FakeObserver as unknown as typeof IntersectionObserver,
    scanUnits: async ({ units }) => {
      sent.push(units);
      // A verdict for posts whose text names 禾丰县 or 汀口 (standing in for the background's scan).
      const verdict = (u: UnitPayload): ScanAnswer['verdict'] => (/禾丰县|汀口/.test(u.text) ? 'uncredited' : 'none');
      return { lang: 'zh-Hans', results: units.map((u) => ({ key: u.key, result: { verdict: verdict(u), confidence: 0.9, passages: [] } })) };
    },
    host: {
      mark: (e: UnitEntry) => marked.push(`${e.key}:${e.info!.verdict}`),
      clear: () => marked.push('clear'),
      summary: (entries: UnitEntry[]) => summaries.push(entries.map((e) => e.unit.author.name)),
    },
  });
  const page = extractUnits(doc, { url: 'https://weibo.com/' })!;
  return { doc, watch, page, sent, marked, summaries, articles: [...doc.querySelectorAll('article')] };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('UnitWatch', () => {
  it('sends only the posts that entered the viewport, each once, with the facts a report carries', async () => {
    const { watch, page, sent, marked, summaries, articles } = setup();
    expect(UnitWatch.wants(page)).toBe(true);
    watch.update(page);
    expect(sent).toEqual([]);
    FakeObserver.last.enter(articles.slice(0, 3));
    await settle();
    expect(sent.map((b) => b.map((u) => u.key))).toEqual([['u1', 'u2', 'u3']]);
    const first = sent[0]![0]!;
    expect(first.unit).toMatchObject({ account: { name: '田野观察者', url: 'https://weibo.com/u/7302118845' }, postedAt: { shown: '10-09 18:20' } });
    expect(first.unit!.unitText).toContain('禾丰县');
    expect(first.bylines).toContain('田野观察者');
    expect(marked).toEqual(['u1:uncredited', 'u2:none', 'u3:uncredited']);
    expect(summaries.at(-1)).toEqual(['田野观察者', '汀口在线']);
    // Leaving and entering again sends nothing new; a later post is sent when it enters.
    FakeObserver.last.enter(articles.slice(0, 3), false);
    FakeObserver.last.enter(articles.slice(0, 4));
    await settle();
    expect(sent.map((b) => b.map((u) => u.key))).toEqual([['u1', 'u2', 'u3'], ['u4']]);
  });

  it('keeps keys when the page is read again, and sends a visible post again when its text changed', async () => {
    const { doc, watch, page, sent, articles } = setup();
    watch.update(page);
    FakeObserver.last.enter([articles[1]!]);
    await settle();
    articles[1]!.querySelector('[class*="detail_wbtext"]')!.textContent += ' 补充一句：今天的橘子特别甜。';
    watch.update(extractUnits(doc, { url: 'https://weibo.com/' })!);
    await settle();
    expect(sent.map((b) => b.map((u) => u.key))).toEqual([['u2'], ['u2']]);
    expect(sent[1]![0]!.text).toContain('今天的橘子特别甜');
  });

  it('sends at most UNIT_BATCH posts per message', async () => {
    const card = readFileSync(join(PROJECT_ROOT, 'public/demo/zh-weibo-timeline.html'), 'utf8').match(/<div class="wbpro-scroller-item">[\s\S]*?<\/article>\s*<\/div>/)![0];
    const html = `<html><body><div id="scroller">${Array.from({ length: 60 }, () => card).join('')}</div></body></html>`;
    const { watch, page, sent, articles } = setup(html);
    watch.update(page);
    FakeObserver.last.enter(articles);
    await settle();
    await settle();
    expect(sent.map((b) => b.length)).toEqual([UNIT_BATCH, UNIT_BATCH, 60 - 2 * UNIT_BATCH]);
  });

  it('forgets every post on stop (navigation) and clears the marks', async () => {
    const { watch, page, marked } = setup();
    watch.update(page);
    watch.stop();
    expect(watch.active).toBe(false);
    expect(marked).toEqual(['clear']);
  });
});
