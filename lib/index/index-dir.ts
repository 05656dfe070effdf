/** Reads and writes an index folder (Node only). */
import { mkdir, readFile, rename, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeIndex, encodeIndex, INDEX_FILES, IndexFormatError } from './index-codec';

export { INDEX_FILES } from './index-codec';
import type { MemoryIndex } from './memory-index';


/** Writes the index files atomically (each file via a temporary name). */
export async function writeIndexDir(dir: string, index: MemoryIndex, withText = true): Promise<Record<string, number>> {
  await mkdir(dir, { recursive: true });
  const enc = encodeIndex(index, withText);
  const files: Array<[string, string | Uint8Array]> = [
    [INDEX_FILES.originals, enc.originals],
    [INDEX_FILES.postings, enc.postings],
  ];
  if (enc.texts) files.push([INDEX_FILES.texts, enc.texts]);
  else await rm(join(dir, INDEX_FILES.texts), { force: true });
  if (enc.rewrite) files.push([INDEX_FILES.rewrite, enc.rewrite]);
  else await rm(join(dir, INDEX_FILES.rewrite), { force: true });
  if (enc.translate) files.push([INDEX_FILES.translate, enc.translate]);
  else await rm(join(dir, INDEX_FILES.translate), { force: true });
  files.push([INDEX_FILES.header, enc.header]); // last: a folder with a header is complete
  const sizes: Record<string, number> = {};
  for (const [name, data] of files) {
    const tmp = join(dir, `.${name}.tmp`);
    await writeFile(tmp, data);
    await rename(tmp, join(dir, name));
    sizes[name] = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  }
  return sizes;
}

export async function readIndexDir(dir: string): Promise<MemoryIndex> {
  const read = async (name: string, optional = false) => {
    try {
      return await readFile(join(dir, name));
    } catch (e) {
      if (optional && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      const code = (e as NodeJS.ErrnoException).code;
      throw new IndexFormatError(
        code === 'ENOENT' ? `${join(dir, name)}: not found (is ${dir} an index folder?)` : `${join(dir, name)}: ${code}`,
      );
    }
  };
  const header = (await read(INDEX_FILES.header))!.toString('utf8');
  const originals = (await read(INDEX_FILES.originals))!.toString('utf8');
  const postings = new Uint8Array((await read(INDEX_FILES.postings))!);
  const texts = (await read(INDEX_FILES.texts, true))?.toString('utf8');
  const rewrite = await read(INDEX_FILES.rewrite, true);
  const translate = await read(INDEX_FILES.translate, true);
  return decodeIndex({ header, originals, postings, texts, rewrite: rewrite && new Uint8Array(rewrite), translate: translate && new Uint8Array(translate) });
}
