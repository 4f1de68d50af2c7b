// fromONNX on hand-built image graphs (onnx-cnn-graph.ts): the padding, pooling and layout variants
// it maps exactly agree with onnxruntime on the same channels-first rows; every one it cannot map
// (padding no Keras padding equals, counted padding, wrong-rank or mismatched kernels, a Flatten not
// at axis 1, image nodes after the Flatten, unbounded shapes…) is a ModelFormatError naming it.
import { describe, expect, it } from 'vitest';
import { ModelFormatError, type LayerConfig } from 'backprop-wasm';
import { fromONNX, toChannelsLast } from 'backprop-wasm/onnx';
import { inputs } from './helpers.js';
import { ACTIVATIONS } from '../../dist/src/ops/activations.js';
import { MONOTONE } from '../../dist/src/interchange/onnx/recipes.js';
import { cnn, init, node, type GNode, type Graph } from './onnx-cnn-graph.js';
import { runOrt, runOrtImages } from './ort.js';

/** predict on toChannelsLast(x) agrees with onnxruntime on x to 1e-5, on both backends; the layers read. */
async function agrees(bytes: Uint8Array, image: [number, number, number], rows2d = false): Promise<LayerConfig[]> {
  const [c, h, w] = image,
    x = inputs('float32', 3, c * h * w, 9) as Float32Array;
  const want = rows2d ? await runOrt(bytes, x, c * h * w) : await runOrtImages(bytes, x, image);
  let layers: LayerConfig[] = [];
  for (const backend of ['wasm', 'js'] as const) {
    const net = await fromONNX(bytes, { backend });
    const got = net.predict(toChannelsLast(x, net.inputShape));
    expect(got.length).toBe(want.length);
    want.forEach((v, i) => expect(Math.abs(got[i]! - v), `${backend}: output ${i}`).toBeLessThan(1e-5));
    layers = net.layers;
    net.dispose();
  }
  return layers;
}

/** The base graph with the Gemm taking `flat` inputs. */
const flat = (g: Graph, n: number): void => {
  init(g, 'W').dims = [2, n];
};

/** The base graph as Conv → MaxPool → the activation `nodes` (on 'p', ending in 'a') → Flatten: PyTorch's F.relu(F.max_pool2d(conv(x), 2)). */
function pooledActivation(g: Graph, nodes: GNode[]): void {
  g.nodes.splice(1, 1);
  node(g, 'p').inputs[0] = 'c';
  g.nodes.splice(2, 0, ...nodes);
  node(g, 'f').inputs[0] = 'a';
}

describe('fromONNX maps exactly what Keras padding expresses, agreeing with onnxruntime', () => {
  it('auto_pad SAME_UPPER and explicit asymmetric pads equal to it (stride 2, the odd pixel after): padding same', async () => {
    for (const conv of [
      { auto_pad: 'SAME_UPPER', strides: [2, 2] },
      { pads: [0, 0, 1, 1], strides: [2, 2] },
    ]) {
      const layers = await agrees(
        cnn((g) => {
          node(g, 'c').attrs = { kernel_shape: [3, 3], ...conv };
          flat(g, 3);
        }),
        [2, 6, 6],
      );
      expect(layers[0]).toMatchObject({ type: 'conv2d', padding: 'same', strides: [2, 2] });
    }
  });

  it('auto_pad SAME_LOWER where the padding is even, VALID, no kernel_shape, no bias', async () => {
    const lower = await agrees(
      cnn((g) => {
        node(g, 'c').attrs = { auto_pad: 'SAME_LOWER' };
        flat(g, 27);
      }),
      [2, 6, 6],
    );
    expect(lower[0]).toMatchObject({ padding: 'same', kernelSize: [3, 3] });
    const valid = await agrees(
      cnn((g) => {
        node(g, 'c').attrs = { auto_pad: 'VALID' };
        node(g, 'c').inputs.pop();
      }),
      [2, 6, 6],
    );
    expect(valid[0]).toMatchObject({ padding: 'valid', useBias: false });
  });

  it('ceil_mode 1 where the input divides by the stride, AveragePool with count_include_pad 1 and no pads, a Pad of zeros, Identity', async () => {
    await agrees(
      cnn((g) => {
        node(g, 'p').attrs!.ceil_mode = 1;
      }),
      [2, 6, 6],
    );
    const avg = await agrees(
      cnn((g) => {
        Object.assign(node(g, 'p'), {
          op: 'AveragePool',
          attrs: { kernel_shape: [2, 2], strides: [2, 2], count_include_pad: 1 },
        });
      }),
      [2, 6, 6],
    );
    expect(avg[1]).toMatchObject({ type: 'averagePooling2d', padding: 'valid' });
    await agrees(
      cnn((g) => {
        g.nodes.splice(
          2,
          1,
          { op: 'Constant', inputs: [], output: 'zeros', attrs: { value: { int64: [0, 0, 0, 0, 0, 0, 0, 0] } } },
          { op: 'Pad', inputs: ['r', 'zeros'], output: 'padded', attrs: { mode: 'constant' } },
          { op: 'Identity', inputs: ['padded'], output: 'same' },
          { op: 'MaxPool', inputs: ['same'], output: 'p', attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
        );
      }),
      [2, 6, 6],
    );
  });

  it('MatMul + Add after the Flatten (the weight [inputs, outputs] reordered too), and rows reshaped to [N, C, H, W] in the graph', async () => {
    await agrees(
      cnn((g) => {
        g.nodes[4] = { op: 'MatMul', inputs: ['f', 'W'], output: 'm' };
        g.nodes.push({ op: 'Add', inputs: ['m', 'b'], output: 'y' });
        init(g, 'W').dims = [12, 2];
      }),
      [2, 6, 6],
    );
    const layers = await agrees(
      cnn((g) => {
        g.input = ['N', 72];
        g.inits.push({ name: 'shape', dims: [4], values: [-1, 2, 6, 6], int64: true });
        g.nodes.unshift({ op: 'Reshape', inputs: ['x', 'shape'], output: 'x4' });
        node(g, 'c').inputs[0] = 'x4';
      }),
      [2, 6, 6],
      true,
    );
    expect(layers[0]).toMatchObject({ type: 'conv2d', filters: 3 });
  });

  it('a Reshape of the image to [0, -1] or [-1, C·H·W] is a flatten', async () => {
    for (const to of [
      [0, -1],
      [-1, 12],
    ]) {
      const layers = await agrees(
        cnn((g) => {
          g.inits.push({ name: 'to', dims: [2], values: to, int64: true });
          Object.assign(node(g, 'f'), { op: 'Reshape', inputs: ['p', 'to'], attrs: {} });
        }),
        [2, 6, 6],
      );
      expect(layers.map((l) => l.type)).toEqual(['conv2d', 'maxPooling2d', 'flatten', 'dense']);
    }
  });
});

describe("an activation after a MaxPool is its Conv's (max(f(x)) = f(max(x)) for a monotone f)", () => {
  const act = (op: string, attrs?: GNode['attrs']): GNode[] => [
    { op, inputs: ['p'], output: 'a', ...(attrs ? { attrs } : {}) },
  ];
  it.each([
    ['Relu', act('Relu'), 'relu'],
    ['Sigmoid', act('Sigmoid'), 'sigmoid'],
    ['Tanh', act('Tanh'), 'tanh'],
    ['LeakyRelu', act('LeakyRelu', { alpha: { float: 0.01 } }), 'leakyRelu'],
    ['Elu', act('Elu', { alpha: { float: 1 } }), 'elu'],
    ['Softplus', act('Softplus'), 'softplus'],
  ] as const)('Conv → MaxPool → %s predicts what onnxruntime does', async (_op, nodes, name) => {
    const layers = await agrees(
      cnn((g) => pooledActivation(g, [...nodes])),
      [2, 6, 6],
    );
    expect(layers.map((l) => l.type)).toEqual(['conv2d', 'maxPooling2d', 'flatten', 'dense']);
    expect(layers[0]).toMatchObject({ activation: name });
  });

  it('also after a padded MaxPool (padding is never the maximum, in ONNX as here) and a Pad of zeros', async () => {
    const layers = await agrees(
      cnn((g) => {
        pooledActivation(g, act('Relu'));
        node(g, 'p').attrs = { kernel_shape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] };
        flat(g, 48);
      }),
      [2, 6, 6],
    );
    expect(layers[1]).toMatchObject({ type: 'maxPooling2d', padding: 'same' });
    expect(layers[0]).toMatchObject({ activation: 'relu' });
    await agrees(
      cnn((g) => {
        pooledActivation(g, [
          { op: 'Constant', inputs: [], output: 'zeros', attrs: { value: { int64: [0, 0, 0, 0, 0, 0, 0, 0] } } },
          { op: 'Pad', inputs: ['p', 'zeros'], output: 'q' },
          ...act('Tanh').map((n) => ({ ...n, inputs: ['q'] })),
        ]);
      }),
      [2, 6, 6],
    );
  });

  it('reads only the activations that are monotone (each checked on a grid; every other elementwise one dips somewhere)', () => {
    const grid = Array.from({ length: 4001 }, (_, i) => -20 + i / 100);
    for (const op of ACTIVATIONS) {
      if (op.kind !== 'elementwise') {
        expect(MONOTONE.has(op.name), op.name).toBe(false);
        continue;
      }
      const f = op.f as (z: number) => number,
        ys = grid.map(f);
      const monotone = ys.every((y, i) => i === 0 || y >= ys[i - 1]!);
      expect(MONOTONE.has(op.name), `${op.name}: monotone on [-20, 20] is ${monotone}`).toBe(monotone);
    }
    expect([...MONOTONE].sort()).toEqual(['elu', 'leakyRelu', 'linear', 'relu', 'sigmoid', 'softplus', 'tanh']);
  });
});

const REFUSED: [string, (g: Graph) => void, RegExp][] = [
  [
    'SAME_LOWER with the odd pixel before',
    (g) => {
      node(g, 'c').attrs = { auto_pad: 'SAME_LOWER', strides: [2, 2] };
      flat(g, 3);
    },
    /node 'c' \(Conv\): auto_pad SAME_LOWER puts the odd pixel before, giving pads \[1, 1, 0, 0\] on its 6×6 input .*neither none \('valid'\) nor \[0, 0, 1, 1\]/,
  ],
  [
    'pads that are neither valid nor same',
    (g) => {
      node(g, 'c').attrs!.pads = [1, 1, 0, 0];
    },
    /node 'c' \(Conv\): pads \[1, 1, 0, 0\] \[top, left, bottom, right\] on its 6×6 input with a 3×3 window and strides 1×1 are neither none \('valid'\) nor \[1, 1, 1, 1\]/,
  ],
  [
    'auto_pad and pads together',
    (g) => {
      node(g, 'c').attrs!.auto_pad = 'SAME_UPPER';
    },
    /node 'c' \(Conv\) gives both auto_pad 'SAME_UPPER' and pads/,
  ],
  [
    'an unknown auto_pad',
    (g) => {
      node(g, 'c').attrs = { auto_pad: 'SAME' };
    },
    /attribute 'auto_pad' = 'SAME' of node 'c' \(Conv\) is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER/,
  ],
  [
    'pads of the wrong length',
    (g) => {
      node(g, 'c').attrs!.pads = [1, 1];
    },
    /attribute 'pads' = \[1, 1\] of node 'c' \(Conv\) must hold 4 values/,
  ],
  [
    'a kernel of rank 3',
    (g) => {
      init(g, 'K').dims = [3, 2, 9];
    },
    /ONNX initializer 'K': has 3 dimensions \[3,2,9\]; a weight has 4/,
  ],
  [
    'a kernel for other input channels',
    (g) => {
      init(g, 'K').dims = [3, 4, 3, 3];
    },
    /node 'c' \(Conv\): weight 'K' has dims \[3, 4, 3, 3\]: 4 input channels, but its input has 2/,
  ],
  [
    'kernel_shape unlike the weight',
    (g) => {
      node(g, 'c').attrs!.kernel_shape = [5, 5];
    },
    /attribute 'kernel_shape' = \[5, 5\] of node 'c' \(Conv\) differs from its weight's \[3, 3\]/,
  ],
  [
    'a bias of the wrong size',
    (g) => {
      init(g, 'B').dims = [4];
    },
    /node 'c' \(Conv\): bias 'B' has dims \[4\], expected \[3\]/,
  ],
  [
    'strides as one integer',
    (g) => {
      node(g, 'c').attrs!.strides = 2;
    },
    /attribute 'strides' of node 'c' \(Conv\) must be a list of integers/,
  ],
  [
    'strides of 0',
    (g) => {
      node(g, 'c').attrs!.strides = [0, 1];
    },
    /attribute 'strides' = \[0, 1\] of node 'c' \(Conv\) must be two integers from 1 to 65536/,
  ],
  [
    'a 1-D dilations',
    (g) => {
      node(g, 'c').attrs!.dilations = [1];
    },
    /attribute 'dilations' = \[1\] of node 'c' \(Conv\) must be two integers/,
  ],
  [
    'group 2',
    (g) => {
      node(g, 'c').attrs!.group = 2;
    },
    /attribute 'group' = 2 of node 'c' \(Conv\) is not supported/,
  ],
  [
    'an unknown Conv attribute',
    (g) => {
      node(g, 'c').attrs!.foo = 1;
    },
    /attribute 'foo' of node 'c' \(Conv\) is not supported/,
  ],
  [
    'a Conv of four inputs',
    (g) => {
      node(g, 'c').inputs.push('B');
    },
    /node 'c' \(Conv\) must take 'x', a weight and an optional bias/,
  ],
  [
    'a Conv weight that is not an initializer',
    (g) => {
      node(g, 'c').inputs[1] = 'x';
    },
    /node 'c' \(Conv\) takes its weight from 'x', which is not an initializer/,
  ],
  [
    'two Convs sharing a kernel',
    (g) => {
      g.nodes.splice(
        1,
        0,
        { op: 'Conv', inputs: ['c', 'K2'], output: 'c2', attrs: { pads: [1, 1, 1, 1] } },
        { op: 'Conv', inputs: ['c2', 'K2'], output: 'c3', attrs: { pads: [1, 1, 1, 1] } },
      );
      node(g, 'r').inputs[0] = 'c3';
      g.inits.push({ name: 'K2', dims: [3, 3, 3, 3] });
    },
    /the initializer 'K2' is a parameter of both node 'c2' \(Conv\) and node 'c3' \(Conv\)/,
  ],
  [
    'a Conv that writes its input',
    (g) => {
      node(g, 'c').output = 'x';
      node(g, 'r').inputs[0] = 'x';
    },
    /node 'x' \(Conv\) writes 'x', which is already defined/,
  ],
  [
    'a window larger than its input',
    (g) => {
      init(g, 'K').dims = [3, 2, 7, 7];
      node(g, 'c').attrs!.kernel_shape = [7, 7];
    },
    /node 'c' \(Conv\): its 7×7 window is larger than its 6×6 input/,
  ],
  [
    'ceil_mode that adds a partial window',
    (g) => {
      node(g, 'p').attrs = { kernel_shape: [3, 3], strides: [3, 3], ceil_mode: 1 };
    },
    /attribute 'ceil_mode' = 1 of node 'p' \(MaxPool\) adds a partial window on its 4×4 input/,
  ],
  [
    'AveragePool counting its same padding',
    (g) => {
      Object.assign(node(g, 'p'), {
        op: 'AveragePool',
        attrs: { kernel_shape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], count_include_pad: 1 },
      });
      flat(g, 48);
    },
    /node 'p' \(AveragePool\) counts its padding \[1, 1, 1, 1\] in each average \(count_include_pad = 1\)/,
  ],
  [
    'a MaxPool without kernel_shape',
    (g) => {
      node(g, 'p').attrs = {};
    },
    /node 'p' \(MaxPool\) has no 'kernel_shape'/,
  ],
  [
    'a Pad of ones',
    (g) => {
      g.inits.push({ name: 'ones', dims: [8], values: [0, 0, 1, 1, 0, 0, 1, 1], int64: true });
      g.nodes.splice(2, 0, { op: 'Pad', inputs: ['r', 'ones'], output: 'q' });
      node(g, 'p').inputs[0] = 'q';
    },
    /node 'q' \(Pad\) pads its input by \[0, 0, 1, 1, 0, 0, 1, 1\]/,
  ],
  [
    'a Pad whose pads are computed',
    (g) => {
      g.nodes.splice(2, 0, { op: 'Pad', inputs: ['r', 'c'], output: 'q' });
      node(g, 'p').inputs[0] = 'q';
    },
    /node 'q' \(Pad\) takes its pads from 'c', which is neither a Constant nor an initializer/,
  ],
  [
    'a Constant that is not an int64 list',
    (g) => {
      g.nodes.unshift({ op: 'Constant', inputs: [], output: 'k', attrs: { value_float: { float: 1 } } });
    },
    /attribute 'value_float' of node 'k' \(Constant\) is not supported/,
  ],
  [
    'a Flatten at axis 2',
    (g) => {
      node(g, 'f').attrs = { axis: 2 };
    },
    /attribute 'axis' = 2 of node 'f' \(Flatten\) is not supported \(an image \[N, C, H, W\] flattens at axis 1\)/,
  ],
  [
    'a Conv after the Flatten',
    (g) => {
      g.nodes.splice(4, 0, { op: 'Conv', inputs: ['f', 'K2'], output: 'c2' });
      node(g, 'y').inputs[0] = 'c2';
      g.inits.push({ name: 'K2', dims: [1, 1, 1, 1] });
    },
    /node 'c2' \(Conv\) takes an image \[N, C, H, W\], but it follows a Flatten: image layers must come first/,
  ],
  [
    'a Gemm before any Flatten',
    (g) => {
      g.nodes.splice(3, 1);
      node(g, 'y').inputs[0] = 'p';
    },
    /node 'y' \(Gemm\) takes an image \[N, C, H, W\]; flatten it first/,
  ],
  [
    'softmax after a Conv',
    (g) => {
      node(g, 'r').op = 'Softmax';
    },
    /node 'r' \(Softmax\): softmax after a Conv is not supported/,
  ],
  [
    'an activation after a MaxPool after a Conv with an activation',
    (g) => {
      g.nodes.splice(3, 0, { op: 'Tanh', inputs: ['p'], output: 't' });
      node(g, 'f').inputs[0] = 't';
    },
    /node 't' \(Tanh\) follows the MaxPool node 'p' \(MaxPool\), whose input is not a Conv without an activation: this library applies an activation only directly after a Conv, Gemm or MatMul/,
  ],
  [
    'an activation after an AveragePool',
    (g) => {
      pooledActivation(g, [{ op: 'Relu', inputs: ['p'], output: 'a' }]);
      node(g, 'p').op = 'AveragePool';
    },
    /node 'a' \(Relu\) follows the AveragePool node 'p' \(AveragePool\): this library applies an activation only directly after a Conv, Gemm or MatMul, as part of that layer, and an activation of an average is not the average/,
  ],
  [
    'swish (not monotone) after a MaxPool',
    (g) => {
      pooledActivation(g, [
        { op: 'Sigmoid', inputs: ['p'], output: 's' },
        { op: 'Mul', inputs: ['p', 's'], output: 'a' },
      ]);
    },
    /node 's' \(Sigmoid\): swish after the MaxPool node 'p' \(MaxPool\) cannot be read as its Conv's activation \(swish is not monotone/,
  ],
  [
    'a kernel larger than 65536 from the weight alone (no kernel_shape)',
    (g) => {
      g.input = ['N', 1, 70000, 1];
      Object.assign(init(g, 'K'), { dims: [1, 1, 70000, 1], values: Array(70000).fill(0.5) });
      init(g, 'B').dims = [1];
      node(g, 'c').attrs = {};
    },
    /ONNX model: node 'c' \(Conv\): weight 'K' has dims \[1, 1, 70000, 1\]: its 70000×1 kernel must be from 1 to 65536 on each side/,
  ],
  [
    'a graph that ends in an image',
    (g) => {
      g.nodes.splice(3);
      g.output = 'p';
    },
    /the graph ends in an image \[N, C, H, W\] \('p'\)/,
  ],
  [
    'a Transpose to NHWC before a Conv',
    (g) => {
      g.nodes.splice(0, 0, { op: 'Transpose', inputs: ['x'], output: 'xt', attrs: { perm: [0, 2, 3, 1] } });
      node(g, 'c').inputs[0] = 'xt';
    },
    /node 'c' \(Conv\) follows a Transpose to NHWC; only a Flatten may/,
  ],
  [
    'a Gemm too narrow for the flattened image',
    (g) => {
      flat(g, 10);
    },
    /node 'y' \(Gemm\) has 10 inputs but receives 12 values per row/,
  ],
  [
    'an input with a symbolic height',
    (g) => {
      g.input = ['N', 2, 'H', 6];
    },
    /the graph input 'x' has the shape \[N, 2, H, 6\]; an image input \[N, C, H, W\] needs C, H and W as positive integers; got C = 2, H = 'H', W = 6/,
  ],
  [
    'an input of 0 channels',
    (g) => {
      g.input = ['N', 0, 6, 6];
    },
    /the graph input 'x' has the shape \[N, 0, 6, 6\]; an image input \[N, C, H, W\] needs C, H and W as positive integers; got C = 0, H = 6, W = 6/,
  ],
  [
    'an input of rank 3',
    (g) => {
      g.input = ['N', 2, 6];
    },
    /the graph input 'x' has 3 dimensions; only \[batch, features\] or an image \[N, C, H, W\] is supported/,
  ],
  [
    'an input of 3·10^10 values per row',
    (g) => {
      g.input = ['N', 3, 100000, 100000];
    },
    /the graph input 'x' \[N, 3, 100000, 100000\] holds 30000000000 values per row, more than the 67108864/,
  ],
  [
    'a Conv whose output is too large (checked before anything is allocated)',
    (g) => {
      g.input = ['N', 2, 4096, 4096];
      init(g, 'K').dims = [64, 2, 1, 1];
      init(g, 'B').dims = [64];
      node(g, 'c').attrs = {};
      node(g, 'p').attrs = { kernel_shape: [4096, 4096], strides: [4096, 4096] };
      flat(g, 64);
    },
    /layers\[0\] \(conv2d\): \[4096, 4096, 64\] holds 1,073,741,824 values per row, more than the 67,108,864/,
  ],
  [
    'a Conv on [batch, features] rows',
    (g) => {
      g.input = ['N', 72];
    },
    /node 'c' \(Conv\) takes an image \[N, C, H, W\], but it follows the graph's 2-D input/,
  ],
  [
    'rows reshaped to something other than an image',
    (g) => {
      g.input = ['N', 72];
      g.nodes.unshift(
        { op: 'Constant', inputs: [], output: 'shape', attrs: { value: { int64: [-1, 72, 1] } } },
        { op: 'Reshape', inputs: ['x', 'shape'], output: 'x4' },
      );
      node(g, 'c').inputs[0] = 'x4';
    },
    /node 'x4' \(Reshape\) reshapes the graph's input rows to \[-1, 72, 1\]; only \[-1, C, H, W\]/,
  ],
  [
    'rows reshaped to an image of another size',
    (g) => {
      g.input = ['N', 70];
      g.nodes.unshift(
        { op: 'Constant', inputs: [], output: 'shape', attrs: { value: { int64: [-1, 2, 6, 6] } } },
        { op: 'Reshape', inputs: ['x', 'shape'], output: 'x4' },
      );
      node(g, 'c').inputs[0] = 'x4';
    },
    /node 'x4' \(Reshape\) reshapes rows of 70 values to \[-1, 2, 6, 6\] \(72 values\)/,
  ],
  [
    'ceil_mode 2',
    (g) => {
      node(g, 'p').attrs!.ceil_mode = 2;
    },
    /attribute 'ceil_mode' = 2 of node 'p' \(MaxPool\) must be 0 or 1/,
  ],
  [
    'a MaxPool of two inputs',
    (g) => {
      node(g, 'p').inputs.push('r');
    },
    /node 'p' \(MaxPool\) must take the single input 'r'/,
  ],
  [
    'a MaxPool off the chain',
    (g) => {
      node(g, 'p').inputs[0] = 'c';
    },
    /node 'p' \(MaxPool\) must take 'r' first/,
  ],
  [
    'a Flatten of two inputs',
    (g) => {
      node(g, 'f').inputs.push('p');
    },
    /node 'f' \(Flatten\) must take the single input 'p'/,
  ],
  [
    'a Transpose of two inputs',
    (g) => {
      g.nodes.splice(3, 0, { op: 'Transpose', inputs: ['p', 'p'], output: 't', attrs: { perm: [0, 2, 3, 1] } });
      node(g, 'f').inputs[0] = 't';
    },
    /node 't' \(Transpose\) must take the single input 'p'/,
  ],
  [
    'a Pad of four pads',
    (g) => {
      g.inits.push({ name: 'four', dims: [4], values: [0, 0, 0, 0], int64: true });
      g.nodes.splice(2, 0, { op: 'Pad', inputs: ['r', 'four'], output: 'q' });
      node(g, 'p').inputs[0] = 'q';
    },
    /node 'q' \(Pad\) has 4 pads; an image \[N, C, H, W\] has 8/,
  ],
  [
    'a Pad with axes',
    (g) => {
      g.nodes.splice(2, 0, { op: 'Pad', inputs: ['r', 'z', '', 'axes'], output: 'q' });
      node(g, 'p').inputs[0] = 'q';
    },
    /node 'q' \(Pad\) must take 'r', its pads and an optional value \(no axes\)/,
  ],
  [
    'float pads',
    (g) => {
      g.inits.push({ name: 'fp', dims: [8], values: [0, 0, 0, 0, 0, 0, 0, 0] });
      g.nodes.splice(2, 0, { op: 'Pad', inputs: ['r', 'fp'], output: 'q' });
      node(g, 'p').inputs[0] = 'q';
    },
    /node 'q' \(Pad\): 'fp' must be an int64 list of at most 16 values, stored once \(dims \[8\], float \(1\)\)/,
  ],
  [
    'a Constant without a value',
    (g) => {
      g.nodes.unshift({ op: 'Constant', inputs: [], output: 'k' });
    },
    /node 'k' \(Constant\) is supported only as an int64 'value' list/,
  ],
  [
    'a Constant of 17 values',
    (g) => {
      g.nodes.unshift({ op: 'Constant', inputs: [], output: 'k', attrs: { value: { int64: Array(17).fill(0) } } });
    },
    /node 'k' \(Constant\): '' must be an int64 list of at most 16 values/,
  ],
  [
    'a Reshape with allowzero 1',
    (g) => {
      g.input = ['N', 72];
      g.nodes.unshift(
        { op: 'Constant', inputs: [], output: 'shape', attrs: { value: { int64: [-1, 2, 6, 6] } } },
        { op: 'Reshape', inputs: ['x', 'shape'], output: 'x4', attrs: { allowzero: 1 } },
      );
      node(g, 'c').inputs[0] = 'x4';
    },
    /attribute 'allowzero' = 1 of node 'x4' \(Reshape\) is not supported/,
  ],
  [
    'a Reshape to a computed shape',
    (g) => {
      g.input = ['N', 72];
      g.nodes.unshift({ op: 'Reshape', inputs: ['x', 'x'], output: 'x4' });
      node(g, 'c').inputs[0] = 'x4';
    },
    /node 'x4' \(Reshape\) takes its shape from 'x', which is neither a Constant nor an initializer/,
  ],
  [
    'a Reshape of one input',
    (g) => {
      g.input = ['N', 72];
      g.nodes.unshift({ op: 'Reshape', inputs: ['x'], output: 'x4' });
      node(g, 'c').inputs[0] = 'x4';
    },
    /node 'x4' \(Reshape\) must take 'x' and a shape/,
  ],
  [
    'rows reshaped to a huge image',
    (g) => {
      g.input = ['N', 'F'];
      g.nodes.unshift(
        { op: 'Constant', inputs: [], output: 'shape', attrs: { value: { int64: [-1, 3, 100000, 100000] } } },
        { op: 'Reshape', inputs: ['x', 'shape'], output: 'x4' },
      );
      node(g, 'c').inputs[0] = 'x4';
    },
    /node 'x4' \(Reshape\): \[-1, 3, 100000, 100000\] holds 30000000000 values per row/,
  ],
  [
    'a second Reshape',
    (g) => {
      g.input = ['N', 72];
      g.nodes.unshift(
        { op: 'Constant', inputs: [], output: 'shape', attrs: { value: { int64: [-1, 2, 6, 6] } } },
        { op: 'Reshape', inputs: ['x', 'shape'], output: 'x4' },
        { op: 'Reshape', inputs: ['x4', 'shape'], output: 'x5' },
      );
      node(g, 'c').inputs[0] = 'x5';
    },
    /node 'x5' \(Reshape\) reshapes its \[N, 2, 6, 6\] image to \[-1, 2, 6, 6\]; only a flatten/,
  ],
  [
    'an image reshaped to something other than a flatten',
    (g) => {
      g.inits.push({ name: 'to', dims: [2], values: [-1, 6], int64: true });
      node(g, 'f').op = 'Reshape';
      node(g, 'f').inputs.push('to');
      node(g, 'f').attrs = {};
    },
    /node 'f' \(Reshape\) reshapes its \[N, 3, 2, 2\] image to \[-1, 6\]; only a flatten, \[-1, 12\] or \[0, -1\], is supported/,
  ],
  [
    'a non-finite kernel value',
    (g) => {
      init(g, 'K').values = Array.from({ length: 54 }, (_, i) => (i === 5 ? Infinity : 0.1));
    },
    /ONNX initializer 'K': holds the non-finite value Infinity at \[0, 0, 1, 2\]/,
  ],
];

describe('fromONNX refuses image graphs it cannot map, naming the node', () => {
  it.each(REFUSED)('%s', async (_name, edit, message) => {
    const error = await fromONNX(cnn(edit), { backend: 'js' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(message);
  });
});
