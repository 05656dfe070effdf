/** Export and import of settings as JSON (validated; unknown fields ignored). */
import { DEFAULT_SETTINGS, linkMarksOn, type Settings } from './settings';
import { normaliseSite } from './site-rules';

export interface SettingsExport {
  format: 'provenance-settings';
  version: 1;
  settings: Settings;
  hiddenSites: string[];
}

export function exportSettings(settings: Settings, hiddenSites: string[]): string {
  const out: SettingsExport = { format: 'provenance-settings', version: 1, settings, hiddenSites };
  return JSON.stringify(out, null, 2);
}

export function parseSettingsExport(text: string): { settings: Settings; hiddenSites: string[] } {
  let v: Partial<SettingsExport>;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error('not JSON');
  }
  if (!v || v.format !== 'provenance-settings') throw new Error('not a settings export');
  const s = (v.settings ?? {}) as Partial<Settings>;
  const pick = <T extends string>(x: unknown, allowed: readonly T[], fallback: T): T => (allowed.includes(x as T) ? (x as T) : fallback);
  const sites = Array.isArray(s.sites) ? s.sites.map((x) => normaliseSite(String(x))).filter((x): x is string => !!x) : [];
  const hiddenSites = Array.isArray(v.hiddenSites) ? v.hiddenSites.map((x) => normaliseSite(String(x))).filter((x): x is string => !!x) : [];
  return {
    settings: {
      sensitivity: pick(s.sensitivity, ['low', 'normal', 'high'] as const, DEFAULT_SETTINGS.sensitivity),
      siteMode: pick(s.siteMode, ['all', 'only-listed', 'all-but-listed'] as const, DEFAULT_SETTINGS.siteMode),
      sites: [...new Set(sites)],
      language: pick(s.language, ['auto', 'en', 'zh-Hans', 'zh-Hant'] as const, DEFAULT_SETTINGS.language),
      onDeviceTranslator: s.onDeviceTranslator === true,
      linkMarks: linkMarksOn(s),
    },
    hiddenSites: [...new Set(hiddenSites)],
  };
}
