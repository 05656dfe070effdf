/** Small synchronous file helpers for the streaming index builder (Node only). */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Appends text or bytes to a file through a buffer. */
export class FileSink {
  private readonly fd: number;
  private readonly buf: Buffer;
  private at = 0;
  /** Bytes written (including what is still buffered). */
  bytes = 0;

  constructor(readonly path: string, bufferBytes = 1 << 20) {
    this.fd = openSync(path, 'w');
    this.buf = Buffer.allocUnsafe(bufferBytes);
  }

  text(s: string): void {
    // Worst case 3 bytes per UTF-16 unit.
    if (s.length * 3 > this.buf.length - this.at) {
      this.flush();
      if (s.length * 3 > this.buf.length) {
        const b = Buffer.from(s, 'utf8');
        this.raw(b);
        return;
      }
    }
    const n = this.buf.write(s, this.at, 'utf8');
    this.at += n;
    this.bytes += n;
  }

  write(b: Uint8Array): void {
    if (b.length > this.buf.length - this.at) {
      this.flush();
      if (b.length > this.buf.length) {
        this.raw(b);
        return;
      }
    }
    this.buf.set(b, this.at);
    this.at += b.length;
    this.bytes += b.length;
  }

  private raw(b: Uint8Array): void {
    let done = 0;
    while (done < b.length) done += writeSync(this.fd, b, done, b.length - done);
    this.bytes += b.length;
  }

  flush(): void {
    let done = 0;
    while (done < this.at) done += writeSync(this.fd, this.buf, done, this.at - done);
    this.at = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** LEB128 varints streamed to a file (the same bytes as ByteWriter). */
export class VarintSink {
  private readonly buf = new Uint8Array(1 << 20);
  private at = 0;
  bytes = 0;
  constructor(private readonly sink: FileSink) {}

  private room() {
    if (this.at > this.buf.length - 16) this.flush();
  }
  varint(v: number): void {
    this.room();
    v >>>= 0;
    while (v >= 0x80) {
      this.buf[this.at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.at++] = v;
  }
  varint53(v: number): void {
    this.room();
    while (v >= 0x80) {
      this.buf[this.at++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.at++] = v;
  }
  flush(): void {
    this.bytes += this.at;
    this.sink.write(this.buf.subarray(0, this.at));
    this.at = 0;
  }
}

/** Reads a file's lines (split at \n) in order, a chunk at a time. */
export class LineReader {
  private readonly fd: number;
  private readonly chunk = Buffer.allocUnsafe(1 << 20);
  private readonly decoder = new StringDecoder('utf8');
  private lines: string[] = [];
  private at = 0;
  private rest = '';
  private eof = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
  }

  /** The next line (without its \n), or undefined at the end. */
  next(): string | undefined {
    while (this.at >= this.lines.length) {
      if (this.eof) return undefined;
      const n = readSync(this.fd, this.chunk, 0, this.chunk.length, null);
      let text: string;
      if (n <= 0) {
        this.eof = true;
        text = this.rest + this.decoder.end();
        this.rest = '';
        this.lines = text ? [text] : [];
      } else {
        text = this.rest + this.decoder.write(this.chunk.subarray(0, n));
        const parts = text.split('\n');
        this.rest = parts.pop()!;
        this.lines = parts;
      }
      this.at = 0;
    }
    return this.lines[this.at++];
  }

  close(): void {
    closeSync(this.fd);
  }
}
