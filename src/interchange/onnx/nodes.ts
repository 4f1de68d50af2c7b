// The pieces of an ONNX graph the writer emits: initializers (float, and int64 for shapes), value
// infos of [batch, features] inputs and outputs, and nodes with float, int and ints attributes.
import type { DType } from '../../index.js';
import { elemType } from './tensors.js';
import { Writer } from './wire.js';

const ATTR_FLOAT = 1,
  ATTR_INT = 2,
  ATTR_INTS = 7,
  INT64 = 7;
export type Attr = readonly [string, number, 'f' | 'i'] | readonly [string, readonly number[], 'ints'];

/** An int64 initializer (a Reshape's shape). */
export function int64Tensor(name: string, values: readonly number[]): Writer {
  const t = new Writer().int(1, values.length).int(2, INT64).string(8, name);
  for (const v of values) t.int(7, v);
  return t;
}

export function tensor(name: string, dtype: DType, dims: number[], values: ArrayLike<number>): Writer {
  const size = dtype === 'float32' ? 4 : 8;
  const raw = new Uint8Array(values.length * size),
    view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) {
    if (size === 4) view.setFloat32(i * size, values[i]!, true);
    else view.setFloat64(i * size, values[i]!, true);
  }
  const t = new Writer();
  for (const d of dims) t.int(1, d);
  return t.int(2, elemType(dtype)).string(8, name).bytes(9, raw);
}

export function valueInfo(name: string, dtype: DType, features: number): Writer {
  const shape = new Writer().message(1, new Writer().string(2, 'batch')).message(1, new Writer().int(1, features));
  const tensorType = new Writer().int(1, elemType(dtype)).message(2, shape);
  return new Writer().string(1, name).message(2, new Writer().message(1, tensorType));
}

export function node(op: string, name: string, inputs: string[], output: string, attrs: readonly Attr[] = []): Writer {
  const n = new Writer();
  for (const i of inputs) n.string(1, i);
  n.string(2, output).string(3, name).string(4, op);
  for (const [key, v, kind] of attrs) {
    const a = new Writer().string(1, key);
    if (kind === 'ints') {
      for (const i of v as readonly number[]) a.int(8, i);
      a.int(20, ATTR_INTS);
    } else if (kind === 'f') a.float(2, v as number).int(20, ATTR_FLOAT);
    else a.int(3, v as number).int(20, ATTR_INT);
    n.message(5, a);
  }
  return n;
}
