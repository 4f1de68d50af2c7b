// Base64 of little-endian float bytes, without Node's Buffer (the browser build has none).
import { bytesPer } from '../util/float-array.js';
import { ModelFormatError } from '../errors.js';
import type { DType, FloatArray } from '../types.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out +=
      ALPHABET[(n >> 18) & 63]! +
      ALPHABET[(n >> 12) & 63]! +
      (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=') +
      (i + 2 < bytes.length ? ALPHABET[n & 63]! : '=');
  }
  return out;
}

export function base64ToBytes(text: string, what: string): Uint8Array {
  if (typeof text !== 'string' || text.length % 4 !== 0)
    throw new ModelFormatError(`${what}: not base64 (length must be a multiple of 4)`);
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0,
    acc = 0,
    bits = 0;
  for (let i = 0; i < text.length - pad; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0) throw new ModelFormatError(`${what}: invalid base64 character at offset ${i}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out;
}

function swapIfBigEndian(bytes: Uint8Array, size: number): Uint8Array {
  if (littleEndian) return bytes;
  const out = bytes.slice();
  for (let i = 0; i < out.length; i += size) out.subarray(i, i + size).reverse();
  return out;
}

export function encodeFloats(a: FloatArray): string {
  return bytesToBase64(swapIfBigEndian(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), a.BYTES_PER_ELEMENT));
}

export function decodeFloats(text: string, dtype: DType, what: string): FloatArray {
  const size = bytesPer(dtype);
  const bytes = swapIfBigEndian(base64ToBytes(text, what), size);
  if (bytes.length % size !== 0)
    throw new ModelFormatError(`${what}: ${bytes.length} bytes is not a whole number of ${dtype} values`);
  const copy = bytes.slice();
  return dtype === 'float32' ? new Float32Array(copy.buffer) : new Float64Array(copy.buffer);
}
