/**
 * The page session's platform half (lib/platforms), in the platform content
 * script only: a timeline is handed to the unit watch (lib/content/units.ts)
 * and read post by post; a page of one post or video is judged on that unit's
 * text (caption, subtitles, the reposted post) and the names shown with it;
 * an article (WeChat, Toutiao) on the generic extraction plus its account,
 * time and figures. The generic content script has no such half: it runs on
 * every page and carries none of the platform modules.
 */
import type { PagePayload } from '../messages';
import { extractUnits, unitBylines, unitText } from '../platforms/index';
import type { PlatformPage, PlatformUnit } from '../platforms/types';
import type { LiveExtract } from './live-extract';
import type { SessionPlatform } from './page-session';
import { MIN_UNIT_TEXT, unitFacts, UnitWatch } from './units';

/** The platform units of the live page (lib/platforms), or undefined when no module reads it. */
function livePlatformPage(doc: Document): PlatformPage | undefined {
  try {
    return extractUnits(doc, { url: doc.location.href });
  } catch {
    return undefined;
  }
}

export class PlatformReader implements SessionPlatform {
  constructor(readonly units: UnitWatch) {}

  get active(): boolean {
    return this.units.active;
  }

  stop(): void {
    this.units.stop();
  }

  read(doc: Document, clear: () => void): 'units' | PlatformUnit | undefined {
    const platform = livePlatformPage(doc);
    const single = platform?.units.length === 1 ? platform.units[0] : undefined;
    if (UnitWatch.wants(platform)) {
      clear();
      this.units.update(platform);
      return 'units';
    }
    if (this.units.active) this.units.stop();
    return single;
  }

  page(single: PlatformUnit, live: LiveExtract | undefined, doc: Document): { page?: PagePayload; min?: number; keepMap: boolean } {
    if (single.kind !== 'article') {
      // A post or a video: matched on its own text (caption, subtitles, the reposted post) and the names shown with it, as the CLI does.
      return {
        page: {
          url: doc.location.href,
          title: live?.page.title ?? doc.title.slice(0, 500),
          text: unitText(single),
          canonical: live?.page.canonical,
          links: single.links.slice(0, 200),
          bylines: unitBylines(single),
          metaBylines: live?.page.metaBylines ?? [],
          hiddenLinks: live?.page.hiddenLinks ?? [],
          hiddenText: live?.page.hiddenText ?? [],
          platform: single.platform,
          unit: unitFacts(single),
        },
        min: MIN_UNIT_TEXT,
        keepMap: false,
      };
    }
    // An article (WeChat, Toutiao): the generic extraction, with the account, time and figures, and the names shown with it.
    const page = live?.page;
    if (!page) return { keepMap: true };
    const bylines = [...page.bylines];
    for (const b of unitBylines(single)) if (!bylines.includes(b)) bylines.push(b);
    return { page: { ...page, bylines, platform: single.platform, unit: { ...unitFacts(single), unitText: page.text } }, keepMap: true };
  }
}
