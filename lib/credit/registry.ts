/** The outlet registry: names and aliases in all scripts, domains, partners. */
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

export class OutletRegistry {
  private readonly byId = new Map<string, Outlet>();
  constructor(readonly registry: Registry) {
    for (const o of registry.outlets) this.byId.set(o.id, o);
  }
  get(id: string): Outlet | undefined {
    return this.byId.get(id);
  }
  get outlets(): Outlet[] {
    return this.registry.outlets;
  }
  /**
   * The outlet for an id. An outlet the registry does not know is kept as
   * given: its id is its name, and the original's host is its domain.
   */
  resolve(id: string, originalUrl?: string): Outlet {
    const known = this.byId.get(id);
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
    const o = this.byId.get(id);
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
