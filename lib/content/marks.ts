/**
 * The small inline mark on a post of a timeline whose text reuses an
 * original. Same rules as the badge: a closed shadow root (the page's scripts
 * cannot read or rewrite it: host.shadowRoot is null for them), its text drawn
 * by CSS from an attribute (find-in-page and window.find do not match it),
 * and it acts only on trusted input. A click opens the page badge at that
 * post's evidence; the click and key events stop inside the mark, so the
 * page's own handlers (a post that opens on click) see nothing of them. The
 * page can see that a host element is there, as it can see the badge's.
 * The host has no height (the mark is positioned over the post's top right
 * corner): adding it does not move the post's content (no layout shift).
 *
 * A page that removes a mark's host from its post, or moves it elsewhere, gets
 * it back (the badge's watch, lib/content/badge-watch.ts, one per mark: put
 * back at once a few times, then at most every few seconds, so that a page
 * that strips it on every change cannot lock the two into a loop). A post the
 * page removed takes its mark with it: nothing is put back then.
 */
import type { Lang } from '../i18n';
import { BadgeWatch } from './badge-watch';

export const MARK_TAG = 'provenance-mark';

const CSS = `
:host { all: initial !important; display: block !important; position: relative !important; height: 0 !important; margin: 0 !important; z-index: 1 !important; }
button {
  position: absolute; top: 0; right: 0; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.2);
  --accent: #c62828; --soft: #fdecea;
  display: inline-flex; align-items: center; gap: 6px; max-width: 100%;
  font: 12px/1.4 system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif;
  color: var(--accent); background: var(--soft); border: 1px solid var(--accent); border-radius: 999px;
  padding: 2px 10px 2px 8px; cursor: pointer; text-align: left; direction: ltr;
}
button.verdict-partial { --accent: #b84500; --soft: #fff3e0; }
button.verdict-credited { --accent: #546e7a; --soft: #eceff1; }
@media (prefers-color-scheme: dark) {
  button { --soft: #3b2323; --accent: #ff8a80; }
  button.verdict-partial { --soft: #3b2d1c; --accent: #ffb74d; }
  button.verdict-credited { --soft: #2b3236; --accent: #b0bec5; }
}
button:focus-visible { outline: 2px solid #1a73e8; outline-offset: 2px; }
.dot { width: 8px; height: 8px; border-radius: 50%; background: var(--accent); flex: none; }
.t::before { content: attr(data-t); }
`;

interface Mark {
  host: HTMLElement;
  button: HTMLButtonElement;
  text: HTMLSpanElement;
  /** The post it belongs on, and the watch that puts it back there. */
  post: Element;
  watch: BadgeWatch;
}

export interface MarkTimers {
  setTimeout(f: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

export class Marks {
  private readonly marks = new Map<string, Mark>();

  constructor(
    private readonly onOpen: (key: string) => void,
    private readonly doc: Document = document,
    private readonly timers: MarkTimers = { setTimeout: (f, ms) => setTimeout(f, ms) as unknown as number, clearTimeout: (id) => clearTimeout(id) },
  ) {}

  /** Shows (or updates) the mark of a post: `line` is its verdict's short line, `label` what a screen reader says. */
  set(key: string, el: Element, verdict: string, line: string, label: string, lang: Lang): void {
    let m = this.marks.get(key);
    if (!m || m.post !== el) {
      if (m) this.drop(m);
      m = this.create(key, el);
      this.marks.set(key, m);
      el.prepend(m.host);
      m.watch.attach(m.host);
    } else if (!m.host.isConnected || m.host.parentElement !== el) el.prepend(m.host);
    m.button.className = `verdict-${verdict}`;
    m.button.setAttribute('aria-label', `${line}. ${label}`);
    m.button.lang = lang;
    m.text.setAttribute('data-t', line);
  }

  remove(key: string): void {
    const m = this.marks.get(key);
    if (m) this.drop(m);
    this.marks.delete(key);
  }

  clear(): void {
    for (const m of this.marks.values()) this.drop(m);
    this.marks.clear();
  }

  /** After the page's DOM changed: each mark whose post is still there is put back on it if the page took it away. */
  check(): void {
    for (const m of this.marks.values()) if (m.post.isConnected) m.watch.check();
  }

  private drop(m: Mark): void {
    m.watch.reset();
    m.host.remove();
  }

  /** Whether a node is one of the marks' hosts (the page watcher ignores them). */
  static isMark(n: Node): boolean {
    return (n as Element).tagName === MARK_TAG.toUpperCase();
  }

  private create(key: string, post: Element): Mark {
    const host = this.doc.createElement(MARK_TAG);
    const root = host.attachShadow({ mode: 'closed' });
    const style = this.doc.createElement('style');
    style.textContent = CSS;
    const button = this.doc.createElement('button');
    button.type = 'button';
    const dot = this.doc.createElement('span');
    dot.className = 'dot';
    dot.setAttribute('aria-hidden', 'true');
    const text = this.doc.createElement('span');
    text.className = 't';
    button.append(dot, text);
    root.append(style, button);
    button.addEventListener('click', (e) => {
      e.stopPropagation();
      e.preventDefault();
      if (e.isTrusted) this.onOpen(key);
    });
    for (const type of ['keydown', 'keyup', 'keypress', 'mousedown', 'mouseup', 'pointerdown', 'pointerup'])
      button.addEventListener(type, (e) => e.stopPropagation());
    const watch = new BadgeWatch({
      remount: () => post.isConnected && post.prepend(host),
      // The popup's "the page hid the badge" is about the badge; a mark put back says nothing more.
      report: () => undefined,
      setTimeout: (f, ms) => this.timers.setTimeout(f, ms),
      clearTimeout: (id) => this.timers.clearTimeout(id),
      home: () => post,
    });
    return { host, button, text, post, watch };
  }
}
