// ONNX initializers: checked (type, dims, the bytes present) before any value is read, then read as
// float64 values (float32 values convert exactly).
import { ModelFormatError } from '../../index.js';
import { shownText as nm } from '../../internal.js';
import type { DType } from '../../index.js';
import { fail as failNode, label } from './attributes.js';
import { DOUBLE, FLOAT, type NodeP, type TensorP } from './proto.js';

const TYPE_NAMES: Record<number, string> = {
  1: 'float',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'double',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};
export const typeName = (t: number | null): string =>
  t === null ? 'unstated' : `${TYPE_NAMES[t] ?? 'unknown'} (${t})`;
export const elemType = (dtype: DType): number => (dtype === 'float32' ? FLOAT : DOUBLE);

function fail(t: TensorP, message: string): never {
  throw new ModelFormatError(`ONNX initializer '${nm(t.name)}': ${message}`);
}

/** Element count of `dims` (all ≥ 0; the product must stay below 2^53). */
export function elementCount(t: TensorP): number {
  let n = 1;
  for (const d of t.dims) {
    if (d < 0) fail(t, `has the negative dimension ${d}`);
    if (d !== 0 && n > Number.MAX_SAFE_INTEGER / d) fail(t, `dims ${JSON.stringify(t.dims)} overflow`);
    n *= d;
  }
  return n;
}

/** Checks an initializer's type, rank and data against what the graph needs; returns its dims. */
export function checkTensor(t: TensorP, dtype: DType, rank: number[], role: string): number[] {
  if (t.unsupported.length)
    fail(t, `${t.unsupported.join(', ')} is not supported (only float or double data stored in the file)`);
  if (t.dataType !== elemType(dtype))
    fail(
      t,
      `is ${typeName(t.dataType)}; the ${role} of a ${dtype} model must be ${dtype === 'float32' ? 'float' : 'double'}`,
    );
  if (!rank.includes(t.dims.length))
    fail(t, `has ${t.dims.length} dimensions ${JSON.stringify(t.dims)}; a ${role} has ${rank.join(' or ')}`);
  const count = elementCount(t);
  if (count === 0) fail(t, `is empty (dims ${JSON.stringify(t.dims)})`);
  const size = dtype === 'float32' ? 4 : 8;
  if (t.raw !== null) {
    if (t.count) fail(t, 'holds both raw_data and typed values');
    if (t.raw.length !== count * size)
      fail(t, `raw_data holds ${t.raw.length} bytes; dims ${JSON.stringify(t.dims)} need ${count * size}`);
  } else {
    const field = dtype === 'float32' ? 4 : 10;
    if (t.count && t.typed !== field)
      fail(t, `a ${dtype === 'float32' ? 'float' : 'double'} tensor stores its values in the wrong typed field`);
    if (t.packed.length && t.loose.length) fail(t, 'mixes packed and unpacked typed values');
    if (t.count !== count) fail(t, `holds ${t.count} values; dims ${JSON.stringify(t.dims)} need ${count}`);
  }
  return t.dims;
}

/** The values of a checked tensor. */
export function tensorValues(t: TensorP, dtype: DType): Float64Array {
  const size = dtype === 'float32' ? 4 : 8;
  const chunks = t.raw !== null ? [t.raw] : t.packed;
  const out = new Float64Array(t.raw !== null ? t.raw.length / size : t.count);
  let k = 0;
  for (const c of chunks) {
    const view = new DataView(c.buffer, c.byteOffset, c.byteLength);
    for (let off = 0; off < c.byteLength; off += size)
      out[k++] = size === 4 ? view.getFloat32(off, true) : view.getFloat64(off, true);
  }
  for (const v of t.loose) out[k++] = size === 4 ? Math.fround(v) : v;
  return out;
}

/** The values of a small int64 tensor (a Pad's pads, a Reshape's shape), stored in raw_data or int64_data. */
export function int64s(t: TensorP, n: NodeP): number[] {
  const count = t.dims.reduce((x, y) => x * y, 1);
  const typed = t.raw === null && !t.int64More && t.int64.length === count && t.unsupported.length === 1;
  const raw = t.raw !== null && t.raw.length === count * 8 && t.int64.length === 0 && t.unsupported.length === 0;
  if (t.dataType !== 7 || t.dims.length > 1 || count > 16 || !(typed || raw)) {
    failNode(
      `${label(n)}: '${nm(t.name)}' must be an int64 list of at most 16 values, stored once (dims ${JSON.stringify(t.dims)}, ${typeName(t.dataType)})`,
    );
  }
  if (typed) return [...t.int64];
  const view = new DataView(t.raw!.buffer, t.raw!.byteOffset, t.raw!.byteLength);
  return Array.from({ length: count }, (_, i) => Number(view.getBigInt64(i * 8, true)));
}
