// Hand-built ONNX graphs of image layers for the refusal tests (onnx-cnn-refusals.test.ts): nodes
// with integer, float, ints, string and int64-tensor attributes, float and int64 initializers, and a
// small base CNN (Conv 3×3 → Relu → MaxPool 2 → Flatten → Gemm on a [N, 2, 6, 6] input) to edit.
import { Writer } from '../../dist/src/interchange/onnx/wire.js';

export type Attr = number | number[] | string | { int64: number[] } | { float: number };
export interface GNode {
  op: string;
  inputs: string[];
  output: string;
  name?: string;
  attrs?: Record<string, Attr>;
}
export interface GInit {
  name: string;
  dims: number[];
  values?: number[];
  int64?: boolean;
}
export interface Graph {
  input: (number | string)[];
  nodes: GNode[];
  inits: GInit[];
  output: string;
  outputs: number;
  opset?: number;
}

const int64Tensor = (values: number[], name = ''): Writer => {
  const raw = new DataView(new ArrayBuffer(values.length * 8));
  values.forEach((v, i) => raw.setBigInt64(i * 8, BigInt(v), true));
  return new Writer().int(1, values.length).int(2, 7).string(8, name).bytes(9, new Uint8Array(raw.buffer));
};

function attribute(name: string, v: Attr): Writer {
  const a = new Writer().string(1, name);
  if (typeof v === 'number') return a.int(3, v).int(20, 2);
  if (typeof v === 'string') return a.string(4, v).int(20, 3);
  if (Array.isArray(v)) {
    for (const i of v) a.int(8, i);
    return a.int(20, 7);
  }
  if ('float' in v) return a.float(2, v.float).int(20, 1);
  return a.message(5, int64Tensor(v.int64)).int(20, 4);
}

const info = (name: string, dims: (number | string)[]): Writer => {
  const shape = new Writer();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new Writer().int(1, d) : new Writer().string(2, d));
  return new Writer().string(1, name).message(2, new Writer().message(1, new Writer().int(1, 1).message(2, shape)));
};

/** The model's bytes: float32, opset 13 unless given; initializer values default to a fixed pattern. */
export function build(g: Graph): Uint8Array {
  const graph = new Writer();
  for (const n of g.nodes) {
    const w = new Writer();
    for (const i of n.inputs) w.string(1, i);
    w.string(2, n.output)
      .string(3, n.name ?? n.output)
      .string(4, n.op);
    for (const [k, v] of Object.entries(n.attrs ?? {})) w.message(5, attribute(k, v));
    graph.message(1, w);
  }
  for (const t of g.inits) {
    const count = t.dims.reduce((a, b) => a * b, 1);
    if (t.int64) {
      graph.message(5, int64Tensor(t.values!, t.name));
      continue;
    }
    const w = new Writer();
    for (const d of t.dims) w.int(1, d);
    const raw = new Float32Array(t.values ?? Array.from({ length: count }, (_, i) => (((i * 7) % 11) - 5) / 10));
    graph.message(5, w.int(2, 1).string(8, t.name).bytes(9, new Uint8Array(raw.buffer)));
  }
  graph.message(11, info('x', g.input)).message(12, info(g.output, ['N', g.outputs]));
  const ir = (g.opset ?? 13) >= 21 ? 10 : 7;
  return new Writer()
    .int(1, ir)
    .message(7, graph)
    .message(8, new Writer().string(1, '').int(2, g.opset ?? 13))
    .finish();
}

/** The base CNN: x [N, 2, 6, 6] → Conv K [3, 2, 3, 3] + B → Relu → MaxPool 2 → Flatten → Gemm W [2, 12] + b. */
export function base(): Graph {
  return {
    input: ['N', 2, 6, 6],
    output: 'y',
    outputs: 2,
    nodes: [
      {
        op: 'Conv',
        inputs: ['x', 'K', 'B'],
        output: 'c',
        attrs: { kernel_shape: [3, 3], pads: [0, 0, 0, 0], strides: [1, 1] },
      },
      { op: 'Relu', inputs: ['c'], output: 'r' },
      { op: 'MaxPool', inputs: ['r'], output: 'p', attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
      { op: 'Flatten', inputs: ['p'], output: 'f', attrs: { axis: 1 } },
      { op: 'Gemm', inputs: ['f', 'W', 'b'], output: 'y', attrs: { transB: 1 } },
    ],
    inits: [
      { name: 'K', dims: [3, 2, 3, 3] },
      { name: 'B', dims: [3] },
      { name: 'W', dims: [2, 12] },
      { name: 'b', dims: [2] },
    ],
  };
}

/** The base CNN after `edit`. */
export function cnn(edit: (g: Graph) => void = () => {}): Uint8Array {
  const g = base();
  edit(g);
  return build(g);
}

export const node = (g: Graph, output: string): GNode => g.nodes.find((n) => n.output === output)!;
export const init = (g: Graph, name: string): GInit => g.inits.find((t) => t.name === name)!;
