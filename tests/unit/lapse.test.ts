/**
 * The lapse rule (lib/feed/lapse.ts) on its own: when a feed lapses, and
 * what a verdict becomes when it rests on a lapsed feed's original.
 */
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../lib/cli/cli-support';
import { discountLapsed, GRACE_DAYS, lapseOf, lapsedOnly } from '../../lib/feed/lapse';
import { IndexBuilder } from '../../lib/index/build-index';
import { DEFAULT_THRESHOLDS, judge } from '../../lib/match/judge';
import { scanPage } from '../../lib/scan-page';
import type { SourceRecord } from '../../lib/store/index-db';
import { loadFixtures, stripSourceTag } from '../support/make-pages';

const fx = loadFixtures();
const reg = loadRegistry();
const DAY = 86_400_000;

describe('lapseOf', () => {
  const rec = (extra: Partial<SourceRecord>): SourceRecord => ({ id: 'f', version: 1, created: '2026-11-01T00:00:00.000Z', expires: '2026-12-01T00:00:00.000Z', installedAt: '', ...extra });
  it('lapses a feed GRACE_DAYS after it expired, at once when its key is revoked, and never the bundled index', () => {
    const expires = Date.parse('2026-12-01T00:00:00.000Z');
    expect(GRACE_DAYS).toBe(7);
    expect(lapseOf(rec({}), expires - 1)).toBeUndefined();
    expect(lapseOf(rec({}), expires + 7 * DAY - 1)).toBeUndefined();
    expect(lapseOf(rec({}), expires + 7 * DAY)).toEqual({ why: 'expired', since: '2026-12-01T00:00:00.000Z' });
    const revoked = { key: 'ed25519:x', at: '2026-11-10T00:00:00.000Z', why: 'revoked' as const };
    expect(lapseOf(rec({ revoked }), expires - 20 * DAY)).toEqual({ why: 'revoked', since: revoked.at });
    expect(lapseOf(rec({ id: 'bundled', expires: undefined }), expires + 365 * DAY)).toBeUndefined();
    expect(lapseOf(undefined, 0)).toBeUndefined();
  });
});

describe('discountLapsed', () => {
  // One index: docs 0–1 "from a lapsed feed", docs 2–3 "from a live source".
  const b = new IndexBuilder({ created: '' });
  const [a, c] = [fx.originals.en[0]!, fx.originals.en[1]!];
  for (const o of [a, fx.originals.en[4]!, c, fx.originals.en[5]!]) b.add(o);
  const index = b.finish();
  const origin = {
    feedOf: (doc: number) => (doc < 2 ? 'old-feed' : 'bundled'),
    heldElsewhere: async () => false,
  };
  const lapsed = new Map([['old-feed', { why: 'expired' as const, since: '2026-11-01T00:00:00.000Z' }]]);
  const scanOf = async (text: string, url = 'https://copy.example/a') => {
    const page = { text, url };
    const scan = await scanPage(page, index, reg);
    const only = await lapsedOnly(scan.findings.map((f) => f.candidate.original), origin, lapsed);
    return discountLapsed(scan, scan.match, only, (m) => ({ ...judge(m, page, reg, DEFAULT_THRESHOLDS), match: m }));
  };

  it('an uncredited copy of an original only a lapsed feed holds is set aside', async () => {
    const { verdict, setAside } = await scanOf(stripSourceTag(a.text));
    expect(verdict.verdict).toBe('none');
    expect(setAside!.candidate.original.id).toBe(a.id);
  });
  it('a page copying a lapsed original and a live one is judged on the live one', async () => {
    const { verdict } = await scanOf(`${stripSourceTag(a.text)}\n\n${stripSourceTag(c.text)}`);
    expect(verdict.verdict).toBe('uncredited');
    expect(verdict.finding!.candidate.original.id).toBe(c.id);
  });
  it('a live original, a credited copy, and an original held elsewhere too are left as they are', async () => {
    expect((await scanOf(stripSourceTag(c.text))).setAside).toBeUndefined();
    const credited = await scanOf(stripSourceTag(a.text), new URL(a.url).href);
    expect(credited.verdict.verdict).toBe('credited');
    expect(credited.setAside).toBeUndefined();
    const scan = await scanPage({ text: stripSourceTag(a.text) }, index, reg);
    const held = await lapsedOnly(scan.findings.map((f) => f.candidate.original), { ...origin, heldElsewhere: async () => true }, lapsed);
    expect(held.size).toBe(0);
    expect(discountLapsed(scan, scan.match, held, () => { throw new Error('not re-judged'); }).verdict).toBe(scan);
  });
});
