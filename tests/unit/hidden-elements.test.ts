/**
 * The saved page's rules for what a reader would not see (lib/extract/hidden-elements.ts):
 * one case per way of hiding, each checked against a visible control paragraph,
 * and the cascade (a later or more specific rule shows the text again).
 */
import { describe, expect, it } from 'vitest';
import { blockText } from '../../lib/extract/block-text';
import { splitHidden, mediaApplies } from '../../lib/extract/hidden-elements';
import { parseHtmlDocument } from '../../lib/extract/parse-html';
import { clipPathToNothing, clipsToNothing } from '../../lib/extract/hiding-values';

const SHOWN = 'This paragraph is shown to every reader.';
const SECRET = 'Secret words nobody sees.';

function split(styles: string, body: string) {
  const doc = parseHtmlDocument(`<html><head><style>${styles}</style></head><body><p>${SHOWN}</p>${body}</body></html>`);
  const r = splitHidden(doc);
  return { ...r, text: blockText(r.doc.body), original: doc };
}

describe('splitHidden', () => {
  it.each([
    ['a stylesheet class with display:none', '.x{display:none}', `<div class="x">${SECRET}</div>`],
    ['an id rule with visibility:hidden', '#x{visibility:hidden}', `<div id="x">${SECRET}</div>`],
    ['opacity 0', '.x{opacity:0}', `<div class="x">${SECRET}</div>`],
    ['opacity multiplied down the tree', '.a{opacity:.2}.b{opacity:.2}', `<div class="a"><div class="b">${SECRET}</div></div>`],
    ['font-size 0', '.x{font-size:0}', `<p class="x">${SECRET}</p>`],
    ['the font shorthand 0/0', '.x{font:0/0 a}', `<p class="x">${SECRET}</p>`],
    ['a tiny font in em', '.x{font-size:.1em}', `<p class="x">${SECRET}</p>`],
    ['off-screen absolute positioning', '.x{position:absolute;left:-9999px}', `<p class="x">${SECRET}</p>`],
    ['off-screen above', '.x{position:absolute;top:-5000px}', `<p class="x">${SECRET}</p>`],
    ['text-indent far left', '.x{text-indent:-9999px}', `<p class="x">${SECRET}</p>`],
    ['clip to nothing', '.x{position:absolute;clip:rect(0 0 0 0)}', `<p class="x">${SECRET}</p>`],
    ['the screen-reader-only pattern', '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(1px,1px,1px,1px)}', `<span class="sr">${SECRET}</span>`],
    ['clip-path inset 50%', '.x{clip-path:inset(50%)}', `<p class="x">${SECRET}</p>`],
    ['a zero-height box with overflow hidden', '.x{height:0;overflow:hidden}', `<div class="x"><p>${SECRET}</p></div>`],
    ['transform scale(0)', '.x{transform:scale(0)}', `<p class="x">${SECRET}</p>`],
    ['transparent text', '.x{color:transparent}', `<p class="x">${SECRET}</p>`],
    ['content-visibility hidden', '.x{content-visibility:hidden}', `<div class="x">${SECRET}</div>`],
    ['a rule inside @media screen', '@media screen and (min-width: 600px){.x{display:none}}', `<div class="x">${SECRET}</div>`],
    ['an inline style', '', `<div style="display:none">${SECRET}</div>`],
    ['the hidden attribute', '', `<div hidden>${SECRET}</div>`],
    ['a closed <details>', '', `<details><summary>More</summary><p>${SECRET}</p></details>`],
    ['a <dialog> without open', '', `<dialog>${SECRET}</dialog>`],
  ])('hides %s', (_what, css, body) => {
    const r = split(css, body);
    expect(r.text).toContain(SHOWN);
    expect(r.text).not.toContain('Secret');
    expect(r.hiddenText.join(' ')).toContain('Secret words');
    // The input document is left as it was.
    expect(r.original.body.textContent).toContain(SECRET);
  });

  it.each([
    ['aria-hidden (sighted readers see it)', '', `<p aria-hidden="true">${SECRET}</p>`],
    ['a later rule that shows it again', '.x{display:none}.x{display:block}', `<div class="x">${SECRET}</div>`],
    ['a more specific rule that shows it again', 'div.x.y{display:block}.x{display:none}', `<div class="x y">${SECRET}</div>`],
    ['an !important rule over an inline display:none', '.x{display:block!important}', `<div class="x" style="display:none">${SECRET}</div>`],
    ['an author display rule over the hidden attribute', '.x{display:flex}', `<div class="x" hidden>${SECRET}</div>`],
    ['a child that makes itself visible again', '.a{visibility:hidden}.b{visibility:visible}', `<div class="a"><p class="b">${SECRET}</p></div>`],
    ['a child with a readable font again', '.a{font-size:0}.b{font-size:16px}', `<div class="a"><p class="b">${SECRET}</p></div>`],
    ['gradient text (transparent fill, background-clip: text)', '.x{color:transparent;background-clip:text;background-image:linear-gradient(red,blue)}', `<p class="x">${SECRET}</p>`],
    ['a rule for print only', '@media print{.x{display:none}}', `<div class="x">${SECRET}</div>`],
    ['a rule for narrow screens only', '@media (max-width: 600px){.x{display:none}}', `<div class="x">${SECRET}</div>`],
    ['an open <details>', '', `<details open><summary>More</summary><p>${SECRET}</p></details>`],
    ['a pseudo-element rule', '.x::before{display:none}', `<p class="x">${SECRET}</p>`],
  ])('shows %s', (_what, css, body) => {
    const r = split(css, body);
    expect(r.text).toContain(SECRET);
    expect(r.hiddenText.join(' ')).not.toContain('Secret');
  });

  it('sets hidden links apart, and links whose text is hidden', () => {
    const r = split('.h{display:none}.t{color:rgba(0,0,0,0)}', `<p>See <a href="https://shown.test/">this</a>.</p><a class="h" href="https://hidden.test/a">x</a><a href="https://hidden.test/b"><span class="t">source</span></a>`);
    expect(r.hiddenLinks.sort()).toEqual(['https://hidden.test/a', 'https://hidden.test/b']);
    expect(Array.from(r.doc.querySelectorAll('a[href]')).map((a) => a.getAttribute('href'))).toEqual(['https://shown.test/']);
  });

  it('reads a large stylesheet with many rules quickly', () => {
    const rules = Array.from({ length: 4000 }, (_, i) => `.x${i} > .y${i}:not(.z${i % 13}) { color: #${(i * 2654435761 % 0xffffff).toString(16).padStart(6, '0')}; margin: ${i % 17}px }`).join('\n');
    const started = performance.now();
    const r = split(`${rules}\n.gone{display:none}`, `<div class="gone">${SECRET}</div>`);
    expect(r.text).not.toContain('Secret');
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe('hiding values', () => {
  it('reads clip and clip-path shapes', () => {
    expect(clipsToNothing('rect(0px, 0px, 0px, 0px)', 'absolute')).toBe(true);
    expect(clipsToNothing('rect(0 0 0 0)', 'static')).toBe(false);
    expect(clipsToNothing('rect(0px, 200px, 100px, 0px)', 'absolute')).toBe(false);
    expect(clipPathToNothing('circle(0px at 50% 50%)')).toBe(true);
    expect(clipPathToNothing('polygon(0 0, 0 0, 0 0)')).toBe(true);
    expect(clipPathToNothing('inset(10%)')).toBe(false);
    expect(clipPathToNothing('circle(40%)')).toBe(false);
  });
  it('reads @media for a 1280×900 screen', () => {
    expect(mediaApplies('screen and (min-width: 1000px)')).toBe(true);
    expect(mediaApplies('(max-width: 600px)')).toBe(false);
    expect(mediaApplies('print')).toBe(false);
    expect(mediaApplies('not print')).toBe(true);
    expect(mediaApplies('(width >= 1024px)')).toBe(true);
    expect(mediaApplies('(prefers-color-scheme: dark)')).toBe(false);
    expect(mediaApplies('(some-unknown-feature)')).toBe(false);
  });
});
