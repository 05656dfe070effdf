/**
 * The small inline mark on a post of a timeline whose text reuses an
 * original. Same rules as the badge: a closed shadow root (the page's scripts
 * cannot read or rewrite it: host.shadowRoot is null for them), its text drawn
 * by CSS from an attribute (find-in-page and window.find do not match it),
 * and it acts only on trusted input. A click opens the page badge at that
 * post's evidence; the click and key events stop inside the mark, so the
 * page's own handlers (a post that opens on click) see nothing of them. The
 * page can see that a host element is there, as it can see the badge's.
 */
import type { Lang } from '../i18n';

export const MARK_TAG = 'provenance-mark';

const CSS = `
:host { all: initial !important; display: block !important; margin: 4px 0 6px !important; }
button {
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
}

export class Marks {
  private readonly marks = new Map<string, Mark>();

  constructor(
    private readonly onOpen: (key: string) => void,
    private readonly doc: Document = document,
  ) {}

  /** Shows (or updates) the mark of a post: `line` is its verdict's short line, `label` what a screen reader says. */
  set(key: string, el: Element, verdict: string, line: string, label: string, lang: Lang): void {
    let m = this.marks.get(key);
    if (!m || !m.host.isConnected || m.host.parentElement !== el) {
      m?.host.remove();
      m = this.create(key);
      this.marks.set(key, m);
      el.prepend(m.host);
    }
    m.button.className = `verdict-${verdict}`;
    m.button.setAttribute('aria-label', `${line}. ${label}`);
    m.button.lang = lang;
    m.text.setAttribute('data-t', line);
  }

  remove(key: string): void {
    this.marks.get(key)?.host.remove();
    this.marks.delete(key);
  }

  clear(): void {
    for (const m of this.marks.values()) m.host.remove();
    this.marks.clear();
  }

  /** Whether a node is one of the marks' hosts (the page watcher ignores them). */
  static isMark(n: Node): boolean {
    return (n as Element).tagName === MARK_TAG.toUpperCase();
  }

  private create(key: string): Mark {
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
    return { host, button, text };
  }
}
