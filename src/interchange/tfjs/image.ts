// The image layers of a TensorFlow.js layers model: a Reshape of the flat input rows to
// [h, w, c] (channels-last, as the rows already are), then Conv2D, MaxPooling2D, AveragePooling2D
// and Flatten with Keras' options; conv kernels are written as stored ([kh][kw][inChannels][filters],
// Keras' layout), each activation as the descriptor's Dense form says (or a layer after a linear Conv2D).
import type { Conv2dWeights, LayerConfig } from '../../index.js';
import { activationOp, type ActivationOp } from '../../internal.js';

/** One weight of a manifest: its name, shape and dtype. */
export interface WeightEntry {
  name: string;
  shape: number[];
  dtype?: string;
  [key: string]: unknown;
}

const pair = (v: number | readonly [number, number]): number[] => (typeof v === 'number' ? [v, v] : [...v]);
/** A layer class's default name stem, as Keras makes it: LeakyReLU -> leaky_re_lu. */
export const snakeCase = (name: string): string =>
  name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();

/** Topology, weight entries and float values of the image layers (those before the first dense layer). */
export function imageLayers(
  inputShape: readonly number[],
  layers: readonly LayerConfig[],
  weights: readonly Conv2dWeights[],
): { topology: Record<string, unknown>[]; entries: WeightEntry[]; values: number[] } {
  const topology: Record<string, unknown>[] = [
    {
      class_name: 'Reshape',
      config: {
        target_shape: [...inputShape],
        name: 'reshape_1',
        trainable: true,
        batch_input_shape: [null, inputShape.reduce((a, b) => a * b, 1)],
        dtype: 'float32',
      },
    },
  ];
  const entries: WeightEntry[] = [],
    values: number[] = [];
  let conv = 0,
    pool = 0;
  for (const c of layers) {
    if (c.type === 'conv2d') {
      const { W, b } = weights[conv++]!,
        name = `conv2d_${conv}`;
      const t = (activationOp(c.activation) as ActivationOp).tfjs;
      topology.push({
        class_name: 'Conv2D',
        config: {
          filters: c.filters,
          kernel_size: pair(c.kernelSize),
          strides: pair(c.strides),
          padding: c.padding,
          data_format: 'channels_last',
          dilation_rate: [1, 1],
          activation: 'activation' in t ? t.activation : 'linear',
          use_bias: c.useBias,
          kernel_initializer: {
            class_name: 'VarianceScaling',
            config: { scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null },
          },
          bias_initializer: { class_name: 'Zeros', config: {} },
          kernel_regularizer: null,
          bias_regularizer: null,
          activity_regularizer: null,
          kernel_constraint: null,
          bias_constraint: null,
          name,
          trainable: true,
        },
      });
      if ('layer' in t)
        topology.push({
          class_name: t.layer,
          config: { ...t.config, name: `${snakeCase(t.layer)}_c${conv}`, trainable: true },
        });
      const kernel = W.flat(3);
      entries.push({
        name: `${name}/kernel`,
        shape: [W.length, W[0]!.length, W[0]![0]!.length, c.filters],
        dtype: 'float32',
      });
      values.push(...kernel);
      if (c.useBias) {
        entries.push({ name: `${name}/bias`, shape: [c.filters], dtype: 'float32' });
        values.push(...b);
      }
    } else if (c.type === 'maxPooling2d' || c.type === 'averagePooling2d') {
      const cls = c.type === 'maxPooling2d' ? 'MaxPooling2D' : 'AveragePooling2D';
      topology.push({
        class_name: cls,
        config: {
          pool_size: pair(c.poolSize),
          strides: pair(c.strides ?? c.poolSize),
          padding: c.padding,
          data_format: 'channels_last',
          name: `${c.type === 'maxPooling2d' ? 'max' : 'average'}_pooling2d_${++pool}`,
          trainable: true,
        },
      });
    } else if (c.type === 'flatten') {
      topology.push({
        class_name: 'Flatten',
        config: { data_format: 'channels_last', name: 'flatten_1', trainable: true },
      });
    }
  }
  return { topology, entries, values };
}
