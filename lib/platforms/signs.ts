/**
 * Where the platform modules run, without the modules themselves: the hosts
 * they claim (the platform content script is declared for these, and the
 * generic one excluded from them), and cheap signs that a page on any other
 * host may be one a module reads (a saved or mirrored Weibo timeline, the
 * demo pages on 127.0.0.1). The generic content script checks the signs and,
 * when they show, asks the background for the platform script
 * (docs/extension.md, "Two content scripts").
 *
 * The signs are a superset of the modules' own looksLike (tests/unit/
 * platform-signs.test.ts checks it on every fixture): a page a module would
 * read always shows a sign; a sign may show on a page no module reads, and
 * the platform script then falls back to the generic extractor as before.
 * Only the modules' selector tables are imported here (plain data): the
 * bundler leaves their code out of the generic script.
 */
import { BILIBILI } from './bilibili';
import { DOUYIN } from './douyin';
import { TOUTIAO } from './toutiao';
import { WECHAT } from './wechat';
import { WEIBO } from './weibo';
import { X } from './x';
import { XIGUA } from './xigua';

/** Every host a module claims (a page on it or a subdomain of it). */
export const PLATFORM_HOSTS: readonly string[] = [...WECHAT.hosts, ...WEIBO.hosts, ...DOUYIN.hosts, ...XIGUA.hosts, ...BILIBILI.hosts, ...TOUTIAO.hosts, ...X.hosts];

/** Match patterns for those hosts (`*.host` also matches the host itself). */
export const PLATFORM_MATCHES: string[] = PLATFORM_HOSTS.map((h) => `*://*.${h}/*`);

/** Elements whose presence is a sign (one of a module's looksLike needs one of them). */
const SELECTORS: readonly string[] = [
  ...WECHAT.body,
  ...WEIBO.layouts.flatMap((l) => l.text),
  DOUYIN.dom.caption[0],
  ...TOUTIAO.root,
  X.text,
];
/** Ids of script elements holding a page's state. */
const SCRIPT_IDS: readonly string[] = [...DOUYIN.stateScripts.byId, XIGUA.stateScript.id];
/** Names of state variables assigned in page scripts. */
const SCRIPT_NAMES: readonly string[] = [WEIBO.renderData, ...DOUYIN.stateScripts.byName, BILIBILI.state];

/** Whether the page shows a sign of being one a platform module reads. */
export function platformSigns(doc: Document): boolean {
  for (const id of SCRIPT_IDS) if (doc.getElementById(id)) return true;
  for (const s of SELECTORS) {
    try {
      if (doc.querySelector(s)) return true;
    } catch {
      /* a selector this engine does not know */
    }
  }
  for (const script of Array.from(doc.querySelectorAll('script'))) {
    const text = script.textContent ?? '';
    if (text && SCRIPT_NAMES.some((n) => text.includes(n))) return true;
  }
  return false;
}
