/**
 * Helpers shared by the platform modules: reading script data without
 * running it, shown counts and times, element text, selectors. Pure; works on
 * the live DOM and on linkedom's.
 */
import { blockText } from '../extract/block-text';
import type { Account, Count, PostedAt } from './types';

/** Whitespace collapsed and trimmed. */
export function clean(s: string | null | undefined): string {
  return (s ?? '').replace(/[\s\u00a0]+/g, ' ').trim();
}

/** The first element matching any of the selectors (in the order given), within root. */
export function pick(root: ParentNode | null | undefined, selectors: readonly string[]): Element | undefined {
  if (!root) return undefined;
  for (const s of selectors) {
    let el: Element | null = null;
    try {
      el = root.querySelector(s);
    } catch {
      continue;
    }
    if (el) return el;
  }
  return undefined;
}

/** All elements matching the first selector that matches anything. */
export function pickAll(root: ParentNode | null | undefined, selectors: readonly string[]): Element[] {
  if (!root) return [];
  for (const s of selectors) {
    try {
      const found = Array.from(root.querySelectorAll(s));
      if (found.length) return found;
    } catch {
      /* a selector this DOM does not support */
    }
  }
  return [];
}

/** Short text of an element, one line. */
export function lineOf(el: Element | null | undefined): string {
  return clean(el?.textContent);
}

/** Paragraph text of an element (block structure kept). */
export function textOf(el: Node | null | undefined, skip?: (el: Element) => boolean): string {
  return el ? blockText(el, skip) : '';
}

/** Text of an HTML fragment from a page's data (a post's HTML), parsed inert (a <template>: no script runs, nothing loads). */
export function htmlText(doc: Document, html: string): string {
  const t = doc.createElement('template');
  t.innerHTML = html.replace(/<br\s*\/?>/gi, '<br>');
  const content = (t as HTMLTemplateElement).content ?? t;
  return blockText(content);
}

export function absUrl(href: string | null | undefined, base: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    const u = new URL(href.startsWith('//') ? `https:${href}` : href, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

export function account(name: string | null | undefined, href: string | null | undefined, base: string | undefined): Account {
  const url = absUrl(href, base);
  return url ? { name: clean(name), url } : { name: clean(name) };
}

/** Absolute http(s) links inside an element. */
export function linksIn(el: Element | undefined, base: string | undefined): string[] {
  const out: string[] = [];
  for (const a of Array.from(el?.querySelectorAll('a[href]') ?? [])) {
    const u = absUrl(a.getAttribute('href'), base);
    if (u && !out.includes(u)) out.push(u);
  }
  return out;
}

const UNITS: Record<string, number> = { 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8, 千: 1e3, k: 1e3, K: 1e3, m: 1e6, M: 1e6, b: 1e9, B: 1e9, w: 1e4, W: 1e4 };

/**
 * A figure as shown ("1.2万", "3,402", "2.1K", "10万+", "转发 35") or as data
 * holds it (a number). Undefined when nothing numeric is shown (Weibo shows
 * the bare label "转发" for zero; that is no figure).
 */
export function count(shown: string | number | null | undefined): Count | undefined {
  if (shown === null || shown === undefined) return undefined;
  if (typeof shown === 'number') return Number.isFinite(shown) && shown >= 0 ? { shown: String(shown), value: shown } : undefined;
  const s = clean(shown);
  const m = /(\d[\d,，]*(?:\.\d+)?)\s*([万萬亿億千kKmMbBwW])?(\+)?/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]!.replace(/[,，]/g, '')) * (m[2] ? UNITS[m[2]]! : 1);
  const figure = s.slice(m.index, m.index + m[0].length).trim();
  return Number.isFinite(n) ? { shown: figure, value: Math.round(n) } : { shown: figure };
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const pad2 = (n: number | string) => String(n).padStart(2, '0');

/** ISO 8601 with the given offset ("+08:00"), or undefined when the parts make no date. */
function iso(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, offset = '+08:00'): string | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const out = `${y}-${pad2(mo)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}${offset}`;
  return Number.isNaN(Date.parse(out)) ? undefined : out;
}

/**
 * A post time: as shown, plus ISO when the text (or data) gives a full date.
 * Numbers are Unix seconds (or milliseconds). Dates without a zone are read
 * in `offset` (Chinese platforms show Beijing time). Relative times ("3小时前",
 * "刚刚", "5m") and dates without a year keep only the shown text.
 */
export function postedAt(shown: string | number | null | undefined, offset = '+08:00'): PostedAt | undefined {
  if (shown === null || shown === undefined || shown === '') return undefined;
  if (typeof shown === 'number' || /^\d{9,13}$/.test(String(shown).trim())) {
    const n = Number(shown);
    const ms = n > 1e11 ? n : n * 1000;
    const d = new Date(ms);
    if (Number.isNaN(d.getTime())) return undefined;
    // Data holds no shown text: the time as the platform shows it, in its zone.
    const sign = offset.startsWith('-') ? -1 : 1;
    const [oh, om] = offset.slice(1).split(':').map(Number);
    const local = new Date(ms + sign * ((oh ?? 0) * 60 + (om ?? 0)) * 60_000);
    const shownLocal = `${local.getUTCFullYear()}-${pad2(local.getUTCMonth() + 1)}-${pad2(local.getUTCDate())} ${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())}`;
    return { shown: shownLocal, iso: d.toISOString() };
  }
  const s = clean(shown);
  if (!s) return undefined;
  let m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))$/.exec(s);
  if (m && !Number.isNaN(Date.parse(m[1]!))) return { shown: s, iso: m[1] };
  // 2026-01-21 09:30(:15), 2026/1/21, 2026.01.21, 2026年1月21日 09:30
  m = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?/.exec(s);
  if (m) {
    const full = iso(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), offset);
    // A date without a time is a date (ISO 8601 date only).
    return { shown: s, iso: m[4] === undefined ? full?.slice(0, 10) : full };
  }
  // Weibo data: "Tue Feb 23 12:28:47 +0800 2021"
  m = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/.exec(s);
  if (m) return { shown: s, iso: iso(+m[9]!, MONTHS[m[1]!.toLowerCase()] ?? 0, +m[2]!, +m[3]!, +m[4]!, +m[5]!, `${m[6]}${m[7]}:${m[8]}`) };
  // "Jan 21, 2026", "21 Jan 2026"
  m = /^([A-Z][a-z]{2})[a-z]* (\d{1,2}), (\d{4})$/.exec(s) ?? null;
  if (m) return { shown: s, iso: iso(+m[3]!, MONTHS[m[1]!.toLowerCase()] ?? 0, +m[2]!, 0, 0, 0, 'Z')?.slice(0, 10) };
  return { shown: s };
}

/** A figure as the page shows it (`shown`), with the number from its data when the shown text is rounded ("1.8万" shown, 18342 in data). */
export function shownCount(shown: Count | undefined, data: Count | undefined): Count | undefined {
  if (!shown) return data;
  return data?.value !== undefined ? { shown: shown.shown, value: data.value } : shown;
}

/** A time as the page shows it, with the full date from its data. */
export function shownTime(shown: string | undefined, data: PostedAt | undefined): PostedAt | undefined {
  const s = clean(shown);
  if (!s) return data;
  const parsed = postedAt(s);
  const iso = data?.iso ?? parsed?.iso;
  return iso ? { shown: s, iso } : { shown: s };
}

/** Text inside a script element (not run). */
export function scriptTexts(doc: Document): string[] {
  return Array.from(doc.querySelectorAll('script')).map((s) => s.textContent ?? '');
}

/**
 * The JSON value assigned to a variable in a page script (`window.NAME = {…}`,
 * `var $render_data = [{…}][0]`), read by matching brackets (never run).
 * JavaScript-only literals that page data uses (undefined, !0, !1) become JSON.
 */
export function scriptValue(doc: Document, name: string): unknown {
  const esc = name.replace(/[$.]/g, (c) => `\\${c}`);
  const re = new RegExp(`(?:^|[\\s;,({])(?:window\\.|var\\s+|let\\s+|const\\s+)?${esc}\\s*=\\s*`);
  for (const text of scriptTexts(doc)) {
    const m = re.exec(text);
    if (!m) continue;
    const start = m.index + m[0].length;
    const literal = balanced(text, start);
    if (!literal) continue;
    const parsed = parseLenient(literal);
    if (parsed !== undefined) return parsed;
  }
  return undefined;
}

/** The JSON held by a script element with this id: plain, or URI-encoded (Douyin's RENDER_DATA). */
export function scriptJsonById(doc: Document, id: string): unknown {
  const el = doc.getElementById(id);
  const raw = el?.textContent?.trim();
  if (!raw) return undefined;
  const direct = parseLenient(raw.replace(/^window\.[\w$]+\s*=\s*/, '').replace(/;\s*$/, ''));
  if (direct !== undefined) return direct;
  try {
    return parseLenient(decodeURIComponent(raw));
  } catch {
    return undefined;
  }
}

/** The bracketed literal starting at text[start] ('{' or '['), or undefined. */
export function balanced(text: string, start: number): string | undefined {
  const open = text[start];
  if (open !== '{' && open !== '[') return undefined;
  let depth = 0;
  let quote: string | undefined;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return undefined;
}

/** JSON.parse, after turning `undefined`, `!0` and `!1` outside strings into JSON. */
export function parseLenient(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    /* try the JavaScript forms below */
  }
  let out = '';
  let quote = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      out += c;
      if (c === '\\') out += s[++i] ?? '';
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') {
      quote = true;
      out += c;
    } else if (s.startsWith('undefined', i) && !/[\w$]/.test(s[i + 9] ?? '')) {
      out += 'null';
      i += 8;
    } else if (c === '!' && (s[i + 1] === '0' || s[i + 1] === '1')) {
      out += s[i + 1] === '0' ? 'true' : 'false';
      i++;
    } else out += c;
  }
  try {
    return JSON.parse(out);
  } catch {
    return undefined;
  }
}

/** The value at a dotted path ("app.videoDetail.desc", "0.status"). */
export function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** The first of several paths that holds a value that is not null, undefined or ''. */
export function atFirst(obj: unknown, paths: readonly string[]): unknown {
  for (const p of paths) {
    const v = at(obj, p);
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** Objects anywhere in a JSON value for which `test` holds (depth-first, at most `limit`). */
export function findObjects(root: unknown, test: (o: Record<string, unknown>) => boolean, limit = 50): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const seen = new Set<unknown>();
  const stack: unknown[] = [root];
  let steps = 0;
  while (stack.length && out.length < limit && steps++ < 200_000) {
    const v = stack.pop();
    if (!v || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (!Array.isArray(v) && test(v as Record<string, unknown>)) {
      out.push(v as Record<string, unknown>);
      continue;
    }
    const values = Array.isArray(v) ? v : Object.values(v);
    for (let i = values.length - 1; i >= 0; i--) stack.push(values[i]);
  }
  return out;
}

/** A CSS selector for an element: its id where it has one, else tag:nth-of-type steps from the nearest ancestor with an id (or the root). */
export function cssPath(el: Element): string {
  const steps: string[] = [];
  let cur: Element | null = el;
  while (cur && cur.nodeType === 1) {
    const id = cur.getAttribute('id');
    if (id && /^[A-Za-z][\w-]*$/.test(id)) {
      steps.unshift(`#${id}`);
      break;
    }
    const tag = cur.tagName.toLowerCase();
    if (tag === 'html') {
      steps.unshift('html');
      break;
    }
    const parent: Element | null = cur.parentElement;
    if (!parent) {
      steps.unshift(tag);
      break;
    }
    let n = 0;
    let same = 0;
    for (const c of Array.from(parent.children)) {
      if (c.tagName === cur.tagName) {
        same++;
        if (c === cur) n = same;
      }
    }
    steps.unshift(same > 1 ? `${tag}:nth-of-type(${n})` : tag);
    cur = parent;
  }
  return steps.join(' > ');
}

/** Hashtags in a caption ("#海上风电#", "#风电 #新能源"). */
export function hashtagsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/#([^#\s]{1,40})#|#([\p{L}\p{N}_]{1,40})/gu)) {
    const tag = clean(m[1] ?? m[2]);
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return out;
}

/**
 * Cues of a WebVTT (or SRT) file as one text: timings, numbering, headers and
 * tags dropped, a cue repeated in the next one kept once.
 */
export function cueText(vtt: string): string {
  const lines: string[] = [];
  for (const block of vtt.replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
    const rows = block.split('\n').filter((l) => l.trim());
    const timing = rows.findIndex((l) => l.includes('-->'));
    if (timing < 0) continue;
    const text = clean(rows.slice(timing + 1).join(' ').replace(/<[^>]*>/g, ''));
    if (text && lines[lines.length - 1] !== text) lines.push(text);
  }
  return lines.join('\n');
}

/** The text of a data: URL (a subtitle track carried inside the page), or undefined for any other address. */
export function dataUrlText(src: string | null | undefined): string | undefined {
  const m = /^data:([^,]*),([\s\S]*)$/i.exec(src ?? '');
  if (!m) return undefined;
  try {
    if (/;base64$/i.test(m[1]!)) {
      const bin = atob(m[2]!);
      const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
      return new TextDecoder().decode(bytes);
    }
    return decodeURIComponent(m[2]!);
  } catch {
    return undefined;
  }
}

/**
 * Subtitle text from the <track> elements of the page's videos: a track
 * carried in the page (a data: URL), or, in a browser, the cues a track has
 * already loaded. Never loads a track.
 */
export function trackSubtitles(root: ParentNode): Array<{ lang?: string; text: string }> {
  const out: Array<{ lang?: string; text: string }> = [];
  for (const t of Array.from(root.querySelectorAll('video track, audio track'))) {
    const kind = (t.getAttribute('kind') ?? 'subtitles').toLowerCase();
    if (kind !== 'subtitles' && kind !== 'captions') continue;
    const lang = t.getAttribute('srclang') ?? t.getAttribute('label') ?? undefined;
    let text = '';
    const inline = dataUrlText(t.getAttribute('src'));
    if (inline) text = cueText(inline);
    else {
      const cues = (t as HTMLTrackElement).track?.cues;
      if (cues && cues.length) {
        const lines: string[] = [];
        for (let i = 0; i < cues.length; i++) {
          const c = cues[i] as VTTCue | undefined;
          const line = clean(c?.text?.replace(/<[^>]*>/g, ''));
          if (line && lines[lines.length - 1] !== line) lines.push(line);
        }
        text = lines.join('\n');
      }
    }
    if (text) out.push(lang ? { lang, text } : { text });
  }
  return out;
}

/** Paragraphs joined with blank lines; empty parts dropped. */
export function joinParts(...parts: Array<string | undefined>): string {
  return parts.map((p) => (p ?? '').trim()).filter(Boolean).join('\n\n');
}
