import { describe, expect, it } from 'vitest';
import { detectCredit } from '../../lib/credit/detect-credit';
import { loadRegistry } from '../../lib/cli/cli-support';

const reg = loadRegistry();
const gt = reg.get('global-times')!;
const xinhua = reg.get('xinhua')!;
const rt = reg.get('rt')!;
const copied = 'The port of Lanmere handled 4.2 million containers in the first half, the port authority said.';

describe('detectCredit', () => {
  it('credits the outlet’s own site and its syndication partners', () => {
    expect(detectCredit({ text: copied, url: 'https://www.globaltimes.cn/page/1.html' }, gt)?.kind).toBe('own-site');
    expect(detectCredit({ text: copied, url: 'https://world.huanqiu.com/article/x' }, gt)?.kind).toBe('own-site');
    expect(detectCredit({ text: copied, url: 'https://world.people.com.cn/n1/x.html' }, xinhua)?.kind).toBe('partner');
    expect(detectCredit({ text: copied, url: 'https://notglobaltimes.cn/x' }, gt)).toBeUndefined();
  });
  it('credits a canonical link or a link to the outlet', () => {
    expect(detectCredit({ text: copied, url: 'https://blog.test/a', canonical: 'https://www.globaltimes.cn/page/1.html' }, gt)?.kind).toBe('canonical');
    expect(detectCredit({ text: copied, links: ['https://x.test/', 'https://english.news.cn/2026/a.html'] }, xinhua)?.kind).toBe('link');
    expect(detectCredit({ text: `${copied}\n\n原文链接：https://www.news.cn/world/a.html` }, xinhua)?.kind).toBe('link');
  });
  it('credits the link to the original even for an outlet the registry does not know', () => {
    const unknown = reg.resolve('lanmere-gazette', 'https://gazette.lanmere.test/story/1');
    expect(detectCredit({ text: copied, links: ['https://gazette.lanmere.test/story/1'] }, unknown, [], 'https://gazette.lanmere.test/story/1')?.kind).toBe('link');
    expect(detectCredit({ text: `${copied}\nSource: lanmere-gazette` }, unknown)?.kind).toBe('source-line');
  });
  it.each([
    ['Source: Global Times', gt],
    ['来源：环球时报', gt],
    ['來源：環球時報', gt],
    ['本文转载自环球网', gt],
    ['(Xinhua)', xinhua],
    ['BEIJING, March 3 (Xinhua) -- officials said', xinhua],
    ['新华社澜州1月18日电（记者周启明）', xinhua],
    ['【新華社訊】記者報道', xinhua],
    ['This story was first published by Xinhua News Agency.', xinhua],
    ['Source: RT', rt],
    ['The plant began delivering water on Thursday, according to Xinhua.', xinhua],
    ['According to the Global Times, the line opened on Monday.', gt],
  ])('credits a source line: %s', (line, outlet) => {
    expect(detectCredit({ text: `${copied}\n\n${line}` }, outlet)?.kind).toBe('source-line');
  });
  it('credits a byline or site name', () => {
    expect(detectCredit({ text: copied, bylines: ['環球時報駐外記者'] }, gt)?.kind).toBe('byline');
    expect(detectCredit({ text: copied, bylines: ['RT'] }, rt)?.kind).toBe('byline');
  });
  it('credits a mention in the page’s own words, not one inside the copied text', () => {
    const page = `Here is what Global Times wrote this week.\n\n${copied}`;
    expect(detectCredit({ text: page }, gt, [[page.indexOf('The port'), page.length]])?.kind).toBe('mention');
    const inside = `An analyst told the Global Times the port will grow. ${copied}`;
    expect(detectCredit({ text: inside }, gt, [[0, inside.length]])).toBeUndefined();
    const zh = '研究员钱晓东对环球时报记者表示，双方合作的重点正在转向。';
    expect(detectCredit({ text: zh }, gt, [[0, zh.length]])).toBeUndefined();
  });
  it('does not take a common word for a short outlet name', () => {
    expect(detectCredit({ text: `${copied} Please RT and share. rt this now.` }, rt)).toBeUndefined();
    expect(detectCredit({ text: `${copied} sputniks of the 1950s` }, reg.get('sputnik')!)).toBeUndefined();
  });
});

describe('detectCredit: only what a reader can see is credit', () => {
  const cctv = reg.get('cctv')!;
  it('marks visible credit as such', () => {
    expect(detectCredit({ text: `${copied}\n\nSource: CCTV` }, cctv)?.strength).toBe('visible');
    expect(detectCredit({ text: copied, links: ['https://english.cctv.com/a.shtml'] }, cctv)).toMatchObject({ kind: 'link', strength: 'visible' });
    expect(detectCredit({ text: copied, url: 'https://english.cctv.com/a.shtml' }, cctv)).toMatchObject({ kind: 'own-site', strength: 'visible' });
  });
  it('takes canonical, og:url and meta names as metadata only', () => {
    expect(detectCredit({ text: copied, url: 'https://copy.test/a', canonical: 'https://english.cctv.com/a.shtml' }, cctv)).toMatchObject({ kind: 'canonical', strength: 'metadata' });
    expect(detectCredit({ text: copied, metaBylines: ['CCTV'] }, cctv)).toMatchObject({ kind: 'byline', strength: 'metadata' });
    // A saved page whose address is known only from its canonical link is not "on the outlet's site".
    expect(detectCredit({ text: copied, url: 'https://english.cctv.com/a.shtml', urlFromMetadata: true }, cctv)).toMatchObject({ kind: 'canonical', strength: 'metadata' });
  });
  it('reports hidden credit as hidden, before metadata', () => {
    expect(detectCredit({ text: copied, hiddenLinks: ['https://english.cctv.com/'], canonical: 'https://english.cctv.com/a' }, cctv)).toMatchObject({ kind: 'link', strength: 'hidden' });
    expect(detectCredit({ text: copied, hiddenText: ['Source: CCTV'] }, cctv)).toMatchObject({ kind: 'source-line', strength: 'hidden' });
    // A hidden text that merely mentions the outlet is not a source line.
    expect(detectCredit({ text: copied, hiddenText: ['The CCTV tower at night'] }, cctv)).toBeUndefined();
  });
  it('prefers visible credit to any weak signal', () => {
    expect(detectCredit({ text: `${copied}\n\nSource: CCTV`, hiddenLinks: ['https://english.cctv.com/'], canonical: 'https://english.cctv.com/a' }, cctv)?.strength).toBe('visible');
  });
});
