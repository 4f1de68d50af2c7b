// fromONNX against graphs built to cost more than their bytes: one initializer reused by many
// layers (tied weights), networks past memoryLimit, names megabytes long in messages, and the
// crafted graphs of the hardening pass (cycles, a Gemm feeding two nodes, transB variants, dims).
import { describe, expect, it } from 'vitest';
import { ModelFormatError, Network, ResourceError } from 'backprop-wasm';
import { fromONNX } from 'backprop-wasm/onnx';
import { Writer } from '../../dist/src/interchange/onnx/wire.js';

type Node = { op: string; inputs: string[]; output: string; name?: string; attrs?: [string, number][] };
type Init = { name: string; dims: number[]; values?: number[] };

const info = (name: string, n: number): Writer =>
  new Writer()
    .string(1, name)
    .message(
      2,
      new Writer().message(
        1,
        new Writer()
          .int(1, 1)
          .message(2, new Writer().message(1, new Writer().string(2, 'N')).message(1, new Writer().int(1, n))),
      ),
    );

/** An ONNX model (opset 17, float) of `nodes` over float initializers, input 'x' of width `inputs`, output `output`. */
function model(nodes: Node[], inits: Init[], inputs: number, output: string, outputs: number): Uint8Array {
  const graph = new Writer();
  for (const n of nodes) {
    const w = new Writer();
    for (const i of n.inputs) w.string(1, i);
    w.string(2, n.output)
      .string(3, n.name ?? n.output)
      .string(4, n.op);
    for (const [k, v] of n.attrs ?? []) w.message(5, new Writer().string(1, k).int(3, v).int(20, 2));
    graph.message(1, w);
  }
  for (const t of inits) {
    const w = new Writer();
    for (const d of t.dims) w.int(1, d);
    const count = t.dims.reduce((a, b) => a * b, 1);
    const raw = new Float32Array(t.values ?? Array.from({ length: count }, (_, i) => ((i % 7) - 3) / 10));
    graph.message(5, w.int(2, 1).string(8, t.name).bytes(9, new Uint8Array(raw.buffer)));
  }
  graph.message(11, info('x', inputs)).message(12, info(output, outputs));
  return new Writer().int(1, 8).message(7, graph).message(8, new Writer().string(1, '').int(2, 17)).finish();
}

/** `layers` Gemm nodes (transB = 1) that all take the one n x n weight 'W'. */
function reused(layers: number, n: number): Uint8Array {
  const nodes: Node[] = Array.from({ length: layers }, (_, l) => ({
    op: 'Gemm',
    inputs: [l ? `h${l}` : 'x', 'W'],
    output: `h${l + 1}`,
    attrs: [['transB', 1]],
  }));
  return model(nodes, [{ name: 'W', dims: [n, n] }], n, `h${layers}`, n);
}

const rejection = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

describe('fromONNX: what the network will hold, not the file', () => {
  it('refuses one initializer used by two layers (tied weights), naming it and both nodes', async () => {
    const e = await rejection(fromONNX(reused(2, 2)));
    expect(e).toBeInstanceOf(ModelFormatError);
    expect((e as Error).message).toMatch(
      /the initializer 'W' is a parameter of both node 'h1' \(Gemm\) and node 'h2' \(Gemm\); shared \(tied\) weights are not supported/,
    );
    // A weight reused as another layer's bias, or as its own MatMul's bias through Add.
    const asBias = model(
      [
        { op: 'Gemm', inputs: ['x', 'W', 'b'], output: 'h' },
        { op: 'Gemm', inputs: ['h', 'V', 'b'], output: 'y' },
      ],
      [
        { name: 'W', dims: [2, 2] },
        { name: 'V', dims: [2, 2] },
        { name: 'b', dims: [2] },
      ],
      2,
      'y',
      2,
    );
    await expect(fromONNX(asBias)).rejects.toThrow(
      /the initializer 'b' is a parameter of both node 'h' \(Gemm\) and node 'y' \(Gemm\)/,
    );
    // Separate initializers with the same values load: the rule is about sharing, not content.
    const separate = model(
      [
        { op: 'Gemm', inputs: ['x', 'W'], output: 'h' },
        { op: 'Gemm', inputs: ['h', 'V'], output: 'y' },
      ],
      [
        { name: 'W', dims: [2, 2] },
        { name: 'V', dims: [2, 2] },
      ],
      2,
      'y',
      2,
    );
    const net = await fromONNX(separate, { backend: 'js' });
    expect(net.sizes).toEqual([2, 2, 2]);
    net.dispose();
  });

  it('a file under 500 KB of 2,713 Gemm nodes reusing one 300 x 300 weight (245 million parameters) is refused before anything is allocated', async () => {
    const bytes = reused(2713, 300);
    expect(bytes.length).toBeLessThan(500_000);
    const e = await rejection(fromONNX(bytes));
    expect(e).toBeInstanceOf(ModelFormatError);
    expect((e as Error).message).toMatch(
      /the initializer 'W' is a parameter of both node 'h1' \(Gemm\) and node 'h2' \(Gemm\)/,
    );
  });

  it('checks the network the graph describes against memoryLimit in the importer, before reading a weight', async () => {
    // A 100-100 layer: 10,100 parameters, x 4 bytes x 4 copies = 161,600 bytes.
    const bytes = model(
      [{ op: 'Gemm', inputs: ['x', 'W', 'b'], output: 'y' }],
      [
        { name: 'W', dims: [100, 100] },
        { name: 'b', dims: [100] },
      ],
      100,
      'y',
      100,
    );
    const e = await rejection(fromONNX(bytes, { memoryLimit: 160_000, backend: 'js' }));
    expect(e).toBeInstanceOf(ResourceError);
    expect((e as Error).message).toMatch(
      /^ONNX model: a 100-100 network has 10,100 parameters and needs .* more than the limit of .*\(memoryLimit\)/,
    );
    const net = await fromONNX(bytes, { memoryLimit: 161_600, backend: 'js' });
    expect(net).toBeInstanceOf(Network);
    net.dispose();
  });
});

describe('fromONNX: names from the file are cut in messages', () => {
  const long = 'n'.repeat(1_000_000);
  it('a node name, an op type, an initializer name and a graph output name of a million characters', async () => {
    const cases: Uint8Array[] = [
      model([{ op: 'Conv', inputs: ['x', 'W'], output: 'y', name: long }], [{ name: 'W', dims: [2, 2] }], 2, 'y', 2),
      model([{ op: long, inputs: ['x', 'W'], output: 'y' }], [{ name: 'W', dims: [2, 2] }], 2, 'y', 2),
      model([{ op: 'Gemm', inputs: ['x', long], output: 'y' }], [{ name: 'W', dims: [2, 2] }], 2, 'y', 2),
      model([{ op: 'Gemm', inputs: ['x', 'W'], output: 'y' }], [{ name: 'W', dims: [2, 2] }], 2, long, 2),
      model(
        [
          { op: 'Gemm', inputs: ['x', long], output: 'h' },
          { op: 'Gemm', inputs: ['h', long], output: 'y' },
        ],
        [{ name: long, dims: [2, 2] }],
        2,
        'y',
        2,
      ),
    ];
    for (const [i, bytes] of cases.entries()) {
      const e = await rejection(fromONNX(bytes));
      expect(e, `case ${i}`).toBeInstanceOf(ModelFormatError);
      const message = (e as Error).message;
      expect(message.length, `case ${i}: ${message.slice(0, 300)}`).toBeLessThan(1000);
      expect(message, `case ${i}`).toContain(`'${'n'.repeat(197)}...'`);
    }
  });
});

describe('fromONNX: crafted graphs', () => {
  const W = { name: 'W', dims: [2, 2] },
    V = { name: 'V', dims: [2, 2] };
  it('a value written twice (a node writing an earlier output: a cycle in a chain) is refused; ONNX graphs are SSA', async () => {
    const twice = model(
      [
        { op: 'Gemm', inputs: ['x', 'W'], output: 'h' },
        { op: 'Relu', inputs: ['h'], output: 'h', name: 'r' },
      ],
      [W],
      2,
      'h',
      2,
    );
    await expect(fromONNX(twice)).rejects.toThrow(/node 'r' \(Relu\) writes 'h', which is already defined/);
    const back = model(
      [
        { op: 'Gemm', inputs: ['x', 'W'], output: 'h' },
        { op: 'Gemm', inputs: ['h', 'V'], output: 'x2', name: 'g2' },
        { op: 'Identity', inputs: ['x2'], output: 'h', name: 'loop' },
      ],
      [W, V],
      2,
      'h',
      2,
    );
    await expect(fromONNX(back)).rejects.toThrow(/node 'loop' \(Identity\) writes 'h', which is already defined/);
  });

  it('a Gemm whose output feeds two nodes is refused (the graph is not a chain)', async () => {
    const fork = model(
      [
        { op: 'Gemm', inputs: ['x', 'W'], output: 'h' },
        { op: 'Relu', inputs: ['h'], output: 'a' },
        { op: 'Sigmoid', inputs: ['h'], output: 'b' },
      ],
      [W],
      2,
      'b',
      2,
    );
    await expect(fromONNX(fork)).rejects.toThrow(
      /node 'b' \(Sigmoid\) follows no Conv, Gemm or MatMul layer, or one that already has an activation/,
    );
    const side = model(
      [
        { op: 'Gemm', inputs: ['x', 'W'], output: 'h' },
        { op: 'Gemm', inputs: ['h', 'V'], output: 'y' },
        { op: 'Relu', inputs: ['h'], output: 'z' },
      ],
      [W, V],
      2,
      'y',
      2,
    );
    await expect(fromONNX(side)).rejects.toThrow(/node 'z' \(Relu\) must take the single input 'y'/);
  });

  it('transB 0 and 1 read a 2 x 3 weight as [inputs, outputs] and [outputs, inputs]; other values are refused', async () => {
    const values = [1, 2, 3, 4, 5, 6];
    const gemm = (transB: number, dims: number[], inputs: number, outputs: number): Uint8Array =>
      model(
        [{ op: 'Gemm', inputs: ['x', 'W'], output: 'y', attrs: [['transB', transB]] }],
        [{ name: 'W', dims, values }],
        inputs,
        'y',
        outputs,
      );
    const plain = await fromONNX(gemm(0, [2, 3], 2, 3), { backend: 'js' });
    expect(plain.getWeights()[0]!.W).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const turned = await fromONNX(gemm(1, [2, 3], 3, 2), { backend: 'js' });
    expect(turned.getWeights()[0]!.W).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(Array.from(turned.predict(new Float32Array([1, 1, 1])))).toEqual([6, 15]);
    for (const t of [2, -1])
      await expect(fromONNX(gemm(t, [2, 3], 2, 3))).rejects.toThrow(
        new RegExp(`attribute 'transB' = ${t} of node 'y' \\(Gemm\\) must be 0 or 1`),
      );
    await expect(fromONNX(gemm(1, [2, 3], 2, 2))).rejects.toThrow(
      /node 'y' \(Gemm\) has 3 inputs but receives 2 values per row/,
    );
  });

  it('unpacked int32_data of a million values gives one short message', async () => {
    const t = new Writer().int(1, 2).int(1, 2).int(2, 1).string(8, 'W');
    for (let i = 0; i < 1_000_000; i++) t.int(5, 1);
    const graph = new Writer()
      .message(1, new Writer().string(1, 'x').string(1, 'W').string(2, 'y').string(3, 'g').string(4, 'Gemm'))
      .message(5, t)
      .message(11, info('x', 2))
      .message(12, info('y', 2));
    const bytes = new Writer().int(1, 8).message(7, graph).message(8, new Writer().string(1, '').int(2, 17)).finish();
    const e = await rejection(fromONNX(bytes));
    expect((e as Error).message).toBe(
      "ONNX initializer 'W': int32_data is not supported (only float or double data stored in the file)",
    );
  });
});
