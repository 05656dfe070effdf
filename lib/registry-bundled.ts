/** The outlet registry bundled with the extension (a feed may carry a newer one later). */
import registryJson from '../public/outlets.json';
import { OutletRegistry, parseRegistry } from './credit/registry';

export const registry = new OutletRegistry(parseRegistry(structuredClone(registryJson)));
