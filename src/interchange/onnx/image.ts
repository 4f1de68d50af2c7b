// The image layers of an ONNX graph: the input rows [batch, h·w·c] (channels-last) reshaped to NHWC
// and transposed to NCHW; Conv (kernel [filters][inChannels][kh][kw], transposed from Keras' layout;
// explicit pads, asymmetric for 'same' as TensorFlow pads) and its activation, MaxPool, AveragePool
// (padding not counted); at flatten, a Transpose back to NHWC and a Flatten, so the Gemm after it sees
// the channels-last order this library's dense layer was trained on.
import type { Conv2dWeights, DType, LayerConfig } from '../../index.js';
import { activationOp, type ActivationOp, type OnnxExpr } from '../../internal.js';
import { windowOf, type Window } from '../../internal.js';
import { fckkIndex } from './layout.js';
import { int64Tensor, node, tensor, type Attr } from './nodes.js';
import type { Writer } from './wire.js';

type Out = { graph: Writer; inits: Writer[]; count: number; ops: Map<string, number> };
type Emit = (expr: OnnxExpr, x: string, scope: string, dtype: DType, out: Out, final: string | null) => string;

/** kernel_shape, strides and pads [top, left, bottom, right] of a window. */
function windowAttrs(w: Window): Attr[] {
  return [
    ['kernel_shape', [w.kh, w.kw], 'ints'],
    ['strides', [w.sh, w.sw], 'ints'],
    ['pads', [w.top, w.left, w.bottom, w.right], 'ints'],
  ];
}

/** Writes the image layers' nodes from 'input'; returns the name of the flattened output. */
export function imageGraph(
  out: Out,
  inputShape: readonly number[],
  layers: readonly LayerConfig[],
  weights: readonly Conv2dWeights[],
  dtype: DType,
  emit: Emit,
): string {
  out.inits.push(int64Tensor('image.shape', [-1, ...inputShape]));
  out.graph.message(1, node('Reshape', '/image/Reshape', ['input', 'image.shape'], '/image/Reshape_output_0'));
  out.graph.message(
    1,
    node('Transpose', '/image/Transpose', ['/image/Reshape_output_0'], '/image/Transpose_output_0', [
      ['perm', [0, 3, 1, 2], 'ints'],
    ]),
  );
  let cur = '/image/Transpose_output_0',
    shape = [...inputShape],
    conv = 0;
  layers.forEach((c, i) => {
    const scope = `image.${i}`,
      o = `/${scope}`;
    if (c.type === 'conv2d') {
      const w = windowOf(shape, c.kernelSize, c.strides, c.padding),
        { W, b } = weights[conv++]!,
        F = c.filters;
      const k = new Float64Array(F * w.c * w.kh * w.kw);
      for (let y = 0; y < w.kh; y++)
        for (let x = 0; x < w.kw; x++)
          for (let ci = 0; ci < w.c; ci++)
            for (let f = 0; f < F; f++) k[fckkIndex(f, ci, y, x, w.c, w.kh, w.kw)] = W[y]![x]![ci]![f]!;
      out.inits.push(tensor(`${scope}.weight`, dtype, [F, w.c, w.kh, w.kw], k));
      if (c.useBias) out.inits.push(tensor(`${scope}.bias`, dtype, [F], b));
      out.graph.message(
        1,
        node(
          'Conv',
          `${o}/Conv`,
          [cur, `${scope}.weight`, ...(c.useBias ? [`${scope}.bias`] : [])],
          `${o}/Conv_output_0`,
          [...windowAttrs(w), ['dilations', [1, 1], 'ints']],
        ),
      );
      const op: ActivationOp = activationOp(c.activation);
      const expr = (dtype === 'float64' ? op.onnx64 : undefined) ?? op.onnx;
      cur = expr === null ? `${o}/Conv_output_0` : emit(expr, `${o}/Conv_output_0`, scope, dtype, out, null);
      shape = [w.oh, w.ow, F];
    } else if (c.type === 'maxPooling2d' || c.type === 'averagePooling2d') {
      const w = windowOf(shape, c.poolSize, c.strides ?? c.poolSize, c.padding),
        op = c.type === 'maxPooling2d' ? 'MaxPool' : 'AveragePool';
      out.graph.message(
        1,
        node(op, `${o}/${op}`, [cur], `${o}/${op}_output_0`, [
          ...windowAttrs(w),
          ...(op === 'AveragePool' ? [['count_include_pad', 0, 'i'] as const] : []),
        ]),
      );
      cur = `${o}/${op}_output_0`;
      shape = [w.oh, w.ow, w.c];
    } else if (c.type === 'flatten') {
      out.graph.message(
        1,
        node('Transpose', `${o}/Transpose`, [cur], `${o}/Transpose_output_0`, [['perm', [0, 2, 3, 1], 'ints']]),
      );
      out.graph.message(
        1,
        node('Flatten', `${o}/Flatten`, [`${o}/Transpose_output_0`], `${o}/Flatten_output_0`, [['axis', 1, 'i']]),
      );
      cur = `${o}/Flatten_output_0`;
    }
  });
  return cur;
}
