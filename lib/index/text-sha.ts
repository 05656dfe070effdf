/**
 * The content hash of an original's text, kept in its metadata (`sha`) so
 * that two records can be recognised as the same original without their
 * texts (a feed built with --no-text carries it too): the first 16 hex digits
 * of SHA-256 over the UTF-8 of the text after Unicode NFC and trimming.
 * Node only (the index builder runs in the command-line tools).
 */
import { createHash } from 'node:crypto';

export function textSha(text: string): string {
  return createHash('sha256').update(text.normalize('NFC').trim(), 'utf8').digest('hex').slice(0, 16);
}
