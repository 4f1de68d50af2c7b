// Protocol Buffers wire format, the part ONNX files use. The reader never reads past its slice, compares
// every length with the bytes present before taking it, refuses varints over 10 bytes and integers
// beyond 2^53, and never recurses on its own (unknown fields are skipped flat; groups are refused).
// Every failure is a ModelFormatError.
import { ModelFormatError } from '../../index.js';

export const VARINT = 0,
  I64 = 1,
  LEN = 2,
  I32 = 5;
const TWO32 = 2 ** 32;
/** One of each for every string read and written. */
const DECODER = new TextDecoder(),
  ENCODER = new TextEncoder();

export class Reader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    readonly what: string,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  fail(message: string): never {
    throw new ModelFormatError(`${this.what}: ${message} (at byte ${this.pos})`);
  }

  private byte(): number {
    if (this.pos >= this.end) this.fail('the data ends inside a varint');
    return this.buf[this.pos++]!;
  }

  /** The 64 bits of a varint as two unsigned 32-bit halves. */
  private bits(): [number, number] {
    let lo = 0,
      hi = 0,
      b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      b = this.byte();
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) return [lo >>> 0, 0];
    }
    b = this.byte();
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b < 0x80) return [lo >>> 0, hi];
    for (let i = 0, shift = 3; i < 5; i++, shift += 7) {
      b = this.byte();
      if (i === 4 && b > 1) this.fail('a varint holds more than 64 bits');
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) return [lo >>> 0, hi >>> 0];
    }
    return this.fail('a varint is longer than 10 bytes');
  }

  /** An unsigned varint (lengths, counts, tags): at most 2^53 - 1. */
  varint(): number {
    const [lo, hi] = this.bits();
    if (hi >= 2 ** 21) this.fail('an unsigned integer is larger than 2^53');
    return hi * TWO32 + lo;
  }

  /** A signed int64 / int32 varint (two's complement): |value| < 2^53. */
  int64(): number {
    let [lo, hi] = this.bits();
    let sign = 1;
    if (hi >= 0x80000000) {
      sign = -1;
      lo = (~lo + 1) >>> 0;
      hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
    }
    if (hi >= 2 ** 21) this.fail('an integer is beyond ±2^53');
    return sign * (hi * TWO32 + lo);
  }

  /** A field's tag: field number and wire type. */
  tag(): { field: number; wire: number } {
    const t = this.varint();
    const field = Math.floor(t / 8),
      wire = t % 8;
    if (field === 0) this.fail('field number 0');
    if (wire === 3 || wire === 4) this.fail(`field ${field} is a group (wire type ${wire}), which ONNX never writes`);
    if (wire > 5) this.fail(`field ${field} has the invalid wire type ${wire}`);
    return { field, wire };
  }

  /** The bytes of a length-delimited field: a view, not a copy. */
  bytes(): Uint8Array {
    const n = this.varint();
    if (n > this.end - this.pos) this.fail(`a length of ${n} bytes runs past the end (${this.end - this.pos} left)`);
    const view = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return view;
  }

  /** A reader over the next length-delimited field (an embedded message). */
  message(what: string): Reader {
    const n = this.bytes().length;
    return new Reader(this.buf, what, this.pos - n, this.pos);
  }

  string(): string {
    return DECODER.decode(this.bytes());
  }

  float32(): number {
    if (this.end - this.pos < 4) this.fail('the data ends inside a 32-bit value');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }

  float64(): number {
    if (this.end - this.pos < 8) this.fail('the data ends inside a 64-bit value');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  skip(wire: number): void {
    if (wire === VARINT) this.bits();
    else if (wire === LEN) this.bytes();
    else {
      const n = wire === I64 ? 8 : 4;
      if (this.end - this.pos < n) this.fail(`the data ends inside a ${8 * n}-bit value`);
      this.pos += n;
    }
  }

  /** Checks that a field has the wire type its schema gives it. */
  expect(field: number, wire: number, want: number, name: string): void {
    if (wire !== want) this.fail(`${name} (field ${field}) has wire type ${wire}, expected ${want}`);
  }
}

/** Builds a message; nested messages are built in their own Writer and added with message(). */
export class Writer {
  private buf = new Uint8Array(256);
  private len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** A non-negative integer below 2^53, or a negative int64 (written as 10 bytes). */
  private rawVarint(v: number): void {
    this.room(10);
    let lo: number, hi: number;
    if (v >= 0) {
      lo = v >>> 0;
      hi = Math.floor(v / TWO32) >>> 0;
    } else {
      const m = -v;
      lo = (~(m >>> 0) + 1) >>> 0;
      hi = (~Math.floor(m / TWO32) + (lo === 0 ? 1 : 0)) >>> 0;
    }
    while (hi > 0 || lo > 0x7f) {
      this.buf[this.len++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.len++] = lo;
  }

  private tag(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  int(field: number, v: number): this {
    this.tag(field, VARINT);
    this.rawVarint(v);
    return this;
  }

  float(field: number, v: number): this {
    this.tag(field, I32);
    this.room(4);
    new DataView(this.buf.buffer).setFloat32(this.len, v, true);
    this.len += 4;
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, LEN);
    this.rawVarint(data.length);
    this.room(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, ENCODER.encode(s));
  }

  message(field: number, m: Writer): this {
    return this.bytes(field, m.finish());
  }

  /** Packed repeated varints. */
  packed(field: number, values: readonly number[]): this {
    const inner = new Writer();
    for (const v of values) inner.rawVarint(v);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
