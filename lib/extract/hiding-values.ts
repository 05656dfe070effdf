/**
 * CSS values that hide content, shared by the live page's check
 * (lib/content/rendered.ts, on computed styles) and the saved page's
 * (lib/extract/hidden-elements.ts, on declared styles): the thresholds below
 * which text is taken to be unreadable, and the shapes of `clip` and
 * `clip-path` that leave nothing.
 */
/** Opacity (multiplied down the tree) below which content counts as invisible. */
export const MIN_OPACITY = 0.05;
/** Font size (px) below which text counts as unreadable. */
export const MIN_FONT_PX = 4;
/** Boxes smaller than this (px) in either direction show nothing readable. */
export const MIN_BOX_PX = 2;

/** `clip: rect(...)` on a positioned box that leaves less than MIN_BOX_PX. */
export function clipsToNothing(clip: string, position: string): boolean {
  if (!/^(absolute|fixed)$/.test(position)) return false;
  const m = /^rect\(([^)]*)\)$/i.exec(clip.trim());
  if (!m) return false;
  const [top, right, bottom, left] = m[1]!.trim().split(/[\s,]+/).map((v) => (v === 'auto' ? NaN : parseFloat(v)));
  const w = right! - left!;
  const h = bottom! - top!;
  return (Number.isFinite(w) && w < MIN_BOX_PX) || (Number.isFinite(h) && h < MIN_BOX_PX);
}

/** A `clip-path` that leaves nothing: inset(50%) or more, a circle or ellipse of radius 0, a polygon of one point. */
export function clipPathToNothing(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (!v || v === 'none') return false;
  let m = /^inset\(([^)]*)\)/.exec(v);
  if (m) {
    const parts = m[1]!.split(/\s+round\s+/)[0]!.trim().split(/\s+/).map((p) => (p.endsWith('%') ? parseFloat(p) : NaN));
    const [t, r = t, b = t, l = r] = parts;
    return (t! + b! >= 100) || (l! + r! >= 100);
  }
  m = /^(circle|ellipse)\(\s*([^)]*)\)/.exec(v);
  if (m) {
    const radii = m[2]!.split(/\s+at\s+/)[0]!.trim().split(/\s+/).filter(Boolean);
    return radii.length > 0 && radii.every((r) => parseFloat(r) === 0);
  }
  m = /^polygon\(([^)]*)\)/.exec(v);
  if (m) {
    // A polygon whose points all share one x or one y encloses no area.
    const xy = m[1]!.replace(/^\s*(nonzero|evenodd)\s*,/, '').split(',').map((p) => p.trim().split(/\s+/));
    return new Set(xy.map((p) => p[0])).size === 1 || new Set(xy.map((p) => p[1])).size === 1;
  }
  return false;
}

