/** Node only (CLI, tests, benchmarks): the compiled dictionary from public/translate/. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Dictionary } from './dictionary';

export const DICTIONARY_FILE = fileURLToPath(new URL('../../public/translate/zh-en.txt', import.meta.url));

let cached: Dictionary | undefined;
export function loadDictionary(file = DICTIONARY_FILE): Dictionary {
  if (file === DICTIONARY_FILE && cached) return cached;
  const d = Dictionary.parse(readFileSync(file, 'utf8'), file);
  if (file === DICTIONARY_FILE) cached = d;
  return d;
}
