// The compact binary model format:
//   magic "BPWM" | u32 version | u32 header length | header (UTF-8 JSON: architecture as the JSON
//   format of that version states it, training fields)
//   | payload (little-endian floats of dtype: W, b per layer, then each layer's optimizer state)
//   | u32 CRC-32 of everything before it.
// The checksum is verified first, and the payload size the header implies is compared with the bytes
// present before any array is allocated.
import { bytesPer } from '../util/float-array.js';
import { ModelFormatError } from '../errors.js';
import { checkAttached } from '../checks/bytes.js';
import {
  arrayLengths,
  arrayNames,
  assemble,
  checkFileKeys,
  checkFinite,
  checkTrainingHeader,
  TRAINING_KEYS,
  type ModelData,
} from './model-data.js';
import { ARCH_KEYS, archHeader, OPTIONAL_KEYS, parseArchHeader, READ_VERSIONS, type ModelJSON } from './json.js';
import type { FloatArray } from '../types.js';

const MAGIC = [0x42, 0x50, 0x57, 0x4d]; // "BPWM"
/** Written: 2 (the general form in the header); read: 1 and 2. */
export const BINARY_VERSION = 2;
const WHAT = 'model bytes';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as zlib and PNG use). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function fail(message: string): never {
  throw new ModelFormatError(`${WHAT}: ${message}`);
}

export function encodeBinaryModel(m: ModelData): Uint8Array {
  const header: Partial<ModelJSON> = { ...archHeader(m.arch) };
  const arrays: FloatArray[] = m.weights.flatMap(({ W, b }) => [W, b]);
  if (m.training) {
    const { state, ...rest } = m.training;
    (header as { training?: unknown }).training = rest;
    arrays.push(...state.flat());
  }
  const head = new TextEncoder().encode(JSON.stringify(header));
  const size = bytesPer(m.arch.dtype);
  const payload = arrays.reduce((n, a) => n + a.length * size, 0);
  const out = new Uint8Array(12 + head.length + payload + 4);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(4, BINARY_VERSION, true);
  view.setUint32(8, head.length, true);
  out.set(head, 12);
  let o = 12 + head.length;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++, o += size) {
      if (size === 4) view.setFloat32(o, a[i]!, true);
      else view.setFloat64(o, a[i]!, true);
    }
  }
  view.setUint32(o, crc32(out.subarray(0, o)), true);
  return out;
}

export function decodeBinaryModel(input: unknown): ModelData {
  if (!(input instanceof Uint8Array) && !(input instanceof ArrayBuffer)) fail('expected a Uint8Array or ArrayBuffer');
  checkAttached(input, WHAT);
  const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : input;
  if (bytes.length < 16) fail(`${bytes.length} bytes is too short for a model (at least 16)`);
  if (!MAGIC.every((b, i) => bytes[i] === b)) fail('not a backprop-wasm model (the magic bytes "BPWM" are missing)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (!READ_VERSIONS.includes(version))
    fail(`version ${version} is not supported (this library reads versions ${READ_VERSIONS.join(' and ')})`);
  const stored = view.getUint32(bytes.length - 4, true),
    actual = crc32(bytes.subarray(0, bytes.length - 4));
  if (stored !== actual)
    fail(
      `checksum mismatch (stored ${stored.toString(16)}, computed ${actual.toString(16)}): the file is corrupt or truncated`,
    );
  const headLength = view.getUint32(8, true);
  if (12 + headLength + 4 > bytes.length)
    fail(`header length ${headLength} runs past the end of the ${bytes.length} bytes`);
  let header: Partial<ModelJSON>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + headLength)));
  } catch (e) {
    fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not an object');
  checkFileKeys(header, [...ARCH_KEYS[version]!, ...OPTIONAL_KEYS[version]!, 'training'], 'header.', WHAT);
  const arch = parseArchHeader(header as Record<string, unknown>, version, WHAT);
  const training =
    header.training === undefined
      ? null
      : checkTrainingHeader(
          header.training,
          WHAT,
          TRAINING_KEYS.filter((k) => k !== 'state'),
        );
  const lengths = arrayLengths(arch, training?.optimizer ?? null);
  const size = bytesPer(arch.dtype);
  const expected = lengths.reduce((n, len) => n + len * size, 0);
  const present = bytes.length - 16 - headLength;
  if (expected !== present) fail(`payload holds ${present} bytes, but the header describes ${expected}`);
  let o = 12 + headLength;
  const arrays = lengths.map((len) => {
    const a = arch.dtype === 'float32' ? new Float32Array(len) : new Float64Array(len);
    for (let i = 0; i < len; i++, o += size) a[i] = size === 4 ? view.getFloat32(o, true) : view.getFloat64(o, true);
    return a;
  });
  checkFinite(arrays, arrayNames(arch, training?.optimizer ?? null), WHAT);
  return assemble(arch, arrays, training);
}
