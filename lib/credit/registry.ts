/** The outlet registry: names and aliases in all scripts, domains, partners. */
import { foldAligned } from '../text/normalize';

export interface Outlet {
  id: string;
  names: Record<string, string>;
  aliases: string[];
  /** Short forms that count only in a source line, matched case-sensitively. */
  abbreviations: string[];
  domains: string[];
  /** Syndication partners: their sites may carry the outlet's copy with agreement. */
  partners: string[];
  country?: string;
  /** Names matched case-sensitively (e.g. "RT", which is also a common word). */
  caseSensitiveNames?: string[];
}

export interface Registry {
  version: number;
  outlets: Outlet[];
}

export class RegistryError extends Error {
  override name = 'RegistryError';
}

/** Validates a parsed registry JSON value. */
export function parseRegistry(value: unknown): Registry {
  const r = value as Registry;
  if (!r || typeof r !== 'object' || !Array.isArray(r.outlets)) throw new RegistryError('registry: "outlets" array missing');
  const seen = new Set<string>();
  r.outlets.forEach((o, i) => {
    const where = `registry outlet ${i + 1}`;
    if (!o || typeof o.id !== 'string' || !o.id) throw new RegistryError(`${where}: id missing`);
    if (seen.has(o.id)) throw new RegistryError(`${where}: duplicate id ${o.id}`);
    seen.add(o.id);
    if (!o.names || typeof o.names !== 'object') throw new RegistryError(`${where}: names missing`);
    for (const f of ['aliases', 'abbreviations', 'domains', 'partners'] as const) {
      if (o[f] === undefined) o[f] = [];
      if (!Array.isArray(o[f]) || o[f].some((x) => typeof x !== 'string')) throw new RegistryError(`${where}: ${f} must be a list of strings`);
    }
    o.domains = o.domains.map((d) => d.toLowerCase().replace(/^\.+/, ''));
    o.partners = o.partners.map((d) => d.toLowerCase().replace(/^\.+/, ''));
  });
  return r;
}

/**
 * The bundled registry with the outlets that feeds add. The first definition
 * of an id wins: a feed cannot redefine an outlet the bundle (or an earlier
 * feed) describes, e.g. give it other domains so that copies there would
 * count as credited.
 */
export function mergeRegistries(base: Registry, extra: Array<Registry | undefined>): Registry {
  const byId = new Map(base.outlets.map((o) => [o.id, o]));
  for (const r of extra) for (const o of r?.outlets ?? []) if (!byId.has(o.id)) byId.set(o.id, o);
  return { ...base, outlets: [...byId.values()] };
}

/**
 * How outlet names are compared: folded as matching folds text (case, width,
 * accents, Traditional → Simplified), quotes unified, spaces collapsed. Word
 * boundaries stay: "globaltimes" is not "Global Times" (it is only close).
 */
export function nameKey(s: string): string {
  return foldAligned(s.normalize('NFKC'))
    .replace(/[\u2018\u2019\u02bc`\u00b4]/g, "'")
    .replace(/[\s\u00a0\u3000]+/g, ' ')
    .trim();
}

/** The letters and digits of a name key only ("people's daily" → "peoplesdaily"), for suggestions. */
function compactKey(s: string): string {
  return nameKey(s).replace(/[^\p{L}\p{N}]/gu, '');
}

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions), capped. */
function editDistance(a: string, b: string, cap: number): number {
  const A = [...a];
  const B = [...b];
  if (Math.abs(A.length - B.length) > cap) return cap + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: B.length + 1 }, (_, j) => j);
  for (let i = 1; i <= A.length; i++) {
    const cur = [i];
    for (let j = 1; j <= B.length; j++) {
      const cost = A[i - 1] === B[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && A[i - 1] === B[j - 2] && A[i - 2] === B[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[B.length]!;
}

/** What an `outlet` value of an original resolves to. */
export type OutletResolution =
  | { outlet: Outlet; how: 'id' | 'name' | 'domain' }
  /** Not in the registry and not close to any outlet there: kept as given. */
  | { outlet: undefined; how: 'new'; id: string }
  /** Refused: close to a known outlet (a typo, most likely), or naming two outlets, or absent with an unknown domain. */
  | { outlet: undefined; how: 'refused'; reason: string };

export class OutletRegistry {
  private readonly byId = new Map<string, Outlet>();
  /** Name key → outlet; null when a name belongs to two outlets. */
  private byName?: Map<string, Outlet | null>;
  constructor(readonly registry: Registry) {
    for (const o of registry.outlets) this.byId.set(o.id, o);
  }
  get(id: string): Outlet | undefined {
    return this.byId.get(id);
  }

  /** Every name an outlet is known by: id, names in every script, aliases, short forms. */
  static namesOf(o: Outlet): string[] {
    return [o.id, ...Object.values(o.names), ...o.aliases, ...o.abbreviations, ...(o.caseSensitiveNames ?? [])];
  }

  private names(): Map<string, Outlet | null> {
    if (this.byName) return this.byName;
    const map = new Map<string, Outlet | null>();
    for (const o of this.registry.outlets) {
      const caseOnly = new Set([...o.abbreviations, ...(o.caseSensitiveNames ?? [])]);
      for (const n of OutletRegistry.namesOf(o)) {
        // Short forms ("GT", "RT") name the outlet only as written; other names in any case, width or script.
        const key = caseOnly.has(n) ? `=${n}` : nameKey(n);
        if (!key || key === '=') continue;
        const seen = map.get(key);
        map.set(key, seen === undefined || seen === o ? o : null);
      }
    }
    return (this.byName = map);
  }

  /** The outlet an id or any of its names denotes ("Global Times", "环球时报", "環球時報", "GLOBAL TIMES"), if exactly one. */
  find(idOrName: string): Outlet | undefined {
    const byId = this.byId.get(idOrName);
    if (byId) return byId;
    const names = this.names();
    return names.get(`=${idOrName.trim()}`) ?? names.get(nameKey(idOrName)) ?? undefined;
  }

  /** The known outlet a value is close to (a typo, a missing space or apostrophe), if any. */
  suggest(value: string): Outlet | undefined {
    const c = compactKey(value);
    if (!c) return undefined;
    const len = [...c].length;
    const han = /\p{Script=Han}/u.test(c);
    const cap = han ? (len >= 3 ? 1 : 0) : len >= 8 ? 2 : len >= 4 ? 1 : 0;
    let best: Outlet | undefined;
    let bestD = cap + 1;
    for (const o of this.registry.outlets)
      for (const n of OutletRegistry.namesOf(o)) {
        const d = editDistance(c, compactKey(n), cap);
        if (d < bestD) [best, bestD] = [o, d];
      }
    return best;
  }

  /**
   * Resolves the `outlet` of an original as people write it: the registry id,
   * any name or alias in any script, case or width, or nothing when the
   * address's host is one of an outlet's domains. A value close to a known
   * outlet is refused with the suggestion; a truly new outlet is kept as given.
   */
  resolveOutlet(value: string | undefined, url?: string): OutletResolution {
    const given = (value ?? '').trim();
    if (!given) {
      const host = hostOf(url);
      const o = host ? this.outletForHost(host) : undefined;
      if (o) return { outlet: o, how: 'domain' };
      return { outlet: undefined, how: 'refused', reason: `no outlet, and ${host ? `the domain ${host}` : 'the address'} belongs to no outlet in the registry` };
    }
    if (this.byId.has(given)) return { outlet: this.byId.get(given)!, how: 'id' };
    const names = this.names();
    const key = names.has(`=${given}`) ? `=${given}` : nameKey(given);
    const hit = names.get(key);
    if (hit) return { outlet: hit, how: 'name' };
    if (hit === null) {
      const ids = this.registry.outlets.filter((o) => OutletRegistry.namesOf(o).some((n) => nameKey(n) === key)).map((o) => o.id);
      return { outlet: undefined, how: 'refused', reason: `outlet "${given}" names more than one outlet (${ids.join(', ')}): give the id` };
    }
    const near = this.suggest(given);
    if (near)
      return {
        outlet: undefined,
        how: 'refused',
        reason: `outlet "${given}" is not in the registry; did you mean "${near.id}" (${near.names.en ?? near.id})? Use the id or a name as the registry spells it (npm run -s index -- outlets lists them)`,
      };
    return { outlet: undefined, how: 'new', id: given };
  }
  get outlets(): Outlet[] {
    return this.registry.outlets;
  }
  /**
   * The outlet for an id. An outlet the registry does not know is kept as
   * given: its id is its name, and the original's host is its domain.
   */
  resolve(id: string, originalUrl?: string): Outlet {
    // An index built by another tool may carry a name ("Global Times") where an id belongs.
    const known = this.find(id);
    if (known) return known;
    const host = hostOf(originalUrl);
    return { id, names: { en: id }, aliases: [], abbreviations: [], domains: host ? [stripWww(host)] : [], partners: [] };
  }
  /** The outlet whose domains include this host, if any. */
  outletForHost(host: string): Outlet | undefined {
    return this.registry.outlets.find((o) => o.domains.some((d) => hostMatches(host, d)));
  }
  /** Display name in a language (falls back to English, then the id). */
  displayName(id: string, lang = 'en'): string {
    const o = this.find(id);
    if (!o) return id;
    return o.names[lang] ?? o.names.en ?? id;
  }
}

export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function stripWww(h: string): string {
  return h.replace(/^www\./, '');
}

/** True when `host` is `domain` or one of its subdomains. */
export function hostMatches(host: string, domain: string): boolean {
  host = host.toLowerCase().replace(/\.$/, '');
  return host === domain || host.endsWith('.' + domain);
}
