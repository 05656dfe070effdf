/**
 * The public report's charts as static SVG, written on the server: no script,
 * no style attribute (only presentation attributes and the page's one hashed
 * stylesheet's classes), so they show under `default-src 'none'`. Each chart
 * carries a <title> and <desc>, and the page puts the same figures in a table
 * beside it. Coordinates are rounded to 0.1: the same figures give the same
 * bytes.
 */

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const r1 = (n: number) => String(Math.round(n * 10) / 10);

/** 1234567 → "1,234,567" (the same on every machine, unlike toLocaleString). */
export function thousands(n: number): string {
  const [i, f] = String(n).split('.');
  return i!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (f ? `.${f}` : '');
}

/** A "nice" upper bound for an axis (1, 2, 5 × 10^k) and its tick step. */
function niceMax(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 1, step: 1 };
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const stepInt = Math.max(1, Math.round(step));
  return { top: Math.ceil(max / stepInt) * stepInt, step: stepInt };
}

function svgOpen(w: number, h: number, title: string, desc: string, id: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-labelledby="${id}-t ${id}-d" class="chart"><title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(desc)}</desc>`;
}

/** Vertical bars, one per label (days of the period). */
export function columnChart(items: Array<{ label: string; value: number }>, title: string, id: string): string {
  const w = 640;
  const h = 220;
  const left = 40;
  const bottom = 40;
  const top = 12;
  const plotH = h - top - bottom;
  const { top: max, step } = niceMax(Math.max(0, ...items.map((i) => i.value)));
  const slot = (w - left - 10) / Math.max(1, items.length);
  const bar = Math.min(48, slot * 0.7);
  let out = svgOpen(w, h, title, items.map((i) => `${i.label}: ${i.value}`).join('; '), id);
  for (let v = 0; v <= max; v += step) {
    const y = top + plotH - (v / max) * plotH;
    out += `<line x1="${left}" x2="${w - 10}" y1="${r1(y)}" y2="${r1(y)}" class="grid"/><text x="${left - 6}" y="${r1(y + 4)}" text-anchor="end" class="tick">${thousands(v)}</text>`;
  }
  items.forEach((item, i) => {
    const x = left + i * slot + (slot - bar) / 2;
    const bh = (item.value / max) * plotH;
    out += `<rect x="${r1(x)}" y="${r1(top + plotH - bh)}" width="${r1(bar)}" height="${r1(bh)}" class="bar"/>`;
    if (item.value) out += `<text x="${r1(x + bar / 2)}" y="${r1(top + plotH - bh - 3)}" text-anchor="middle" class="value">${thousands(item.value)}</text>`;
    out += `<text x="${r1(x + bar / 2)}" y="${h - bottom + 16}" text-anchor="middle" class="tick">${esc(item.label)}</text>`;
  });
  return out + '</svg>';
}

/** Horizontal bars with a label and a figure each (platform shares, originals most reused). */
export function barChart(items: Array<{ label: string; value: number; note?: string }>, title: string, id: string): string {
  const w = 640;
  const row = 24;
  const labelW = 230;
  const h = Math.max(1, items.length) * row + 8;
  const max = Math.max(1, ...items.map((i) => i.value));
  const plotW = w - labelW - 90;
  let out = svgOpen(w, h, title, items.map((i) => `${i.label}: ${i.value}${i.note ? ` (${i.note})` : ''}`).join('; '), id);
  items.forEach((item, i) => {
    const y = 4 + i * row;
    const bw = (item.value / max) * plotW;
    const label = item.label.length > 34 ? `${item.label.slice(0, 33)}…` : item.label;
    out += `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end" class="label">${esc(label)}</text>`;
    out += `<rect x="${labelW}" y="${y + 3}" width="${r1(Math.max(1, bw))}" height="${row - 8}" class="bar"/>`;
    out += `<text x="${r1(labelW + Math.max(1, bw) + 6)}" y="${y + 16}" class="value">${thousands(item.value)}${item.note ? ` (${esc(item.note)})` : ''}</text>`;
  });
  return out + '</svg>';
}

/** The words of a timeline chart, in the page's language (publish-text.ts). */
export interface TimelineWords {
  desc(label: string, platform: string, minutes: number): string;
  dot(label: string, minutes: number): string;
  hours: string;
  days: string;
}
/** A case's copies on a time axis from its first copy: one row per platform, one dot per copy. */
export function timelineChart(copies: Array<{ platform: string; minutesAfterFirst: number; label: string }>, title: string, id: string, words: TimelineWords): string {
  const platforms = [...new Set(copies.map((c) => c.platform))].sort();
  const w = 640;
  const left = 80;
  const row = 26;
  const top = 8;
  const h = top + platforms.length * row + 30;
  const span = Math.max(60, ...copies.map((c) => c.minutesAfterFirst));
  // Ticks in hours (or days when longer than two days).
  const unit = span > 2880 ? 1440 : 60;
  const { top: max, step } = niceMax(span / unit);
  const plotW = w - left - 20;
  const x = (m: number) => left + (m / unit / max) * plotW;
  let out = svgOpen(w, h, title, copies.map((c) => words.desc(c.label, c.platform, c.minutesAfterFirst)).join('; '), id);
  platforms.forEach((p, i) => {
    const y = top + i * row + row / 2;
    out += `<text x="${left - 8}" y="${y + 4}" text-anchor="end" class="label">${esc(p)}</text><line x1="${left}" x2="${w - 20}" y1="${y}" y2="${y}" class="grid"/>`;
  });
  const axisY = top + platforms.length * row + 4;
  for (let v = 0; v <= max; v += step) {
    out += `<line x1="${r1(x(v * unit))}" x2="${r1(x(v * unit))}" y1="${top}" y2="${axisY}" class="grid"/><text x="${r1(x(v * unit))}" y="${axisY + 14}" text-anchor="middle" class="tick">${v}${esc(unit === 60 ? words.hours : words.days)}</text>`;
  }
  for (const c of copies) {
    const y = top + platforms.indexOf(c.platform) * row + row / 2;
    out += `<circle cx="${r1(x(c.minutesAfterFirst))}" cy="${y}" r="5" class="dot"><title>${esc(words.dot(c.label, c.minutesAfterFirst))}</title></circle>`;
  }
  return out + '</svg>';
}
