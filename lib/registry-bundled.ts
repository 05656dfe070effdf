/** The outlet registry bundled with the extension, and with the outlets of installed feeds. */
import registryJson from '../public/outlets.json';
import { mergeRegistries, OutletRegistry, parseRegistry } from './credit/registry';
import type { ActiveIndex } from './store/index-db';

export const registry = new OutletRegistry(parseRegistry(structuredClone(registryJson)));

/** The outlet registry for an index state: the bundled one with the outlets its feeds describe. */
const registries = new WeakMap<ActiveIndex, OutletRegistry>();
export function registryFor(state: ActiveIndex | undefined): OutletRegistry {
  const extra = Object.values(state?.sources ?? {}).map((s) => s.registry);
  if (!state || !extra.some(Boolean)) return registry;
  let r = registries.get(state);
  if (!r) registries.set(state, (r = new OutletRegistry(mergeRegistries(registry.registry, extra))));
  return r;
}
