/**
 * The content script's trimmed catalogs (lib/build/badge-messages.ts): the
 * badge's and the marks' messages stay, in every language; the extension
 * pages' messages go.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { badgeCatalog, badgeKeys } from '../../lib/build/badge-messages';
import { PROJECT_ROOT } from '../../lib/cli/cli-support';

const en = JSON.parse(readFileSync(join(PROJECT_ROOT, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>;

describe('badge messages', () => {
  it('keeps the keys the badge, the marks and the content script name, and drops the rest', () => {
    const keys = badgeKeys(PROJECT_ROOT, en);
    for (const k of ['badgeUncredited', 'badgeRewritten', 'badgePartialRewritten', 'unitsSummary', 'unitsSummaryOne', 'markShow', 'markUncredited', 'allPosts', 'confirmAlreadyOpen', 'notInIndex'])
      expect([k, keys.has(k)]).toEqual([k, true]);
    for (const k of ['reportTitle', 'unitAccount', 'figure_likes', 'extName']) expect([k, keys.has(k)]).toEqual([k, false]);
    expect(keys.size).toBeLessThan(Object.keys(en).length / 2);
  });
  it('every language keeps the same keys, with its own text', () => {
    const keys = [...badgeKeys(PROJECT_ROOT, en)].sort();
    for (const loc of ['en', 'zh_CN', 'zh_TW']) {
      const c = badgeCatalog(PROJECT_ROOT, join(PROJECT_ROOT, `public/_locales/${loc}/messages.json`)) as Record<string, { message: string }>;
      expect(Object.keys(c).sort()).toEqual(keys);
    }
    const zh = badgeCatalog(PROJECT_ROOT, join(PROJECT_ROOT, 'public/_locales/zh_CN/messages.json')) as Record<string, { message: string }>;
    expect(zh.unitsSummary!.message).toBe('本页有$1条帖子转载官方媒体原文');
  });
});
