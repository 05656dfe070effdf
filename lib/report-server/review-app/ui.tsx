/** Small pieces shared by the review application's screens: text, links, times, durations. */
import type { ComponentChildren } from 'preact';
import { stripBidiControls } from '../../reports/bidi-controls';
import { platformName, t, type Lang } from './i18n';

/** Report text as text (Preact sets it as a text node), without bidi controls. */
export function Text({ v }: { v: string | undefined | null }) {
  return <>{stripBidiControls(v ?? '')}</>;
}

/** An address: a link only when it is https, else plain text. */
export function Link({ url, children }: { url: string | undefined; children?: ComponentChildren }) {
  const text = stripBidiControls(url ?? '');
  let https = false;
  try {
    https = new URL(url ?? '').protocol === 'https:';
  } catch {}
  const label = children ?? text;
  return https ? (
    <a href={url} target="_blank" rel="noopener noreferrer nofollow">
      {label}
    </a>
  ) : (
    <span class="plain-url">{label}</span>
  );
}

/** A time as UTC, the same in every language: 2026-11-25 08:30 UTC. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return stripBidiControls(iso);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function duration(lang: Lang, ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 60) return t(lang, 'minutes', min);
  if (min < 48 * 60) return t(lang, 'hours', Math.floor(min / 60), min % 60);
  return t(lang, 'days', Math.floor(min / 1440), Math.floor((min % 1440) / 60));
}

/** The ISO week before the one `now` is in, e.g. 2026-W48. */
export function lastIsoWeek(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 7));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export const PERIOD = /^(\d{4}-W\d{2}|\d{4}-\d{2}|\d{4}-\d{2}-\d{2})$/;

export const PLATFORMS = ['wechat', 'weibo', 'douyin', 'bilibili', 'xigua', 'toutiao', 'x', 'news', 'other'] as const;

/** A platform as a coloured chip, named in the UI's language. */
export function Chip({ lang, p }: { lang: Lang; p: string }) {
  return <span class={`chip platform-${/^[a-z]+$/.test(p) ? p : 'other'}`}>{platformName(lang, p)}</span>;
}
