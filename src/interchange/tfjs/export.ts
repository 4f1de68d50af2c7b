// Writes a Network as a TensorFlow.js layers model: a Sequential of Dense layers, each activation as
// its descriptor says (a Dense activation, or a layer after a linear Dense: leakyRelu becomes
// LeakyReLU with alpha 0.01), weights as little-endian float32.
import { ModelFormatError } from '../../index.js';
import { checkOptions, readNetwork } from '../common.js';
import {
  checkExportOptions,
  CLASS_NAMES_KEY,
  EXPORT_OPTIONS,
  foldScales,
  parseClassNames,
  type ExportOptions,
} from '../export-options.js';
import { imageLayers, snakeCase, type WeightEntry } from './image.js';
import { activationOp, type ActivationOp } from '../../internal.js';
import { parseJSON } from './plan.js';

/** The content of model.json, as tf.loadLayersModel reads it. */
export interface LayersModelJSON {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: WeightEntry[] }[];
  [key: string]: unknown;
}

export type { WeightEntry } from './image.js';

export interface LayersModel {
  modelJSON: LayersModelJSON;
  /** The bytes of weights.bin: every weight of the manifest, in its order, as little-endian float32. */
  weightData: ArrayBuffer;
}

export const WEIGHTS_FILE = 'weights.bin';

function dense(l: number, units: number, activation: string, inputs: number | null): Record<string, unknown> {
  return {
    class_name: 'Dense',
    config: {
      units,
      activation,
      use_bias: true,
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
      name: `dense_${l + 1}`,
      trainable: true,
      ...(inputs === null ? {} : { batch_input_shape: [null, inputs] }),
      dtype: 'float32',
    },
  };
}

/**
 * The network as { modelJSON, weightData } for tf.loadLayersModel (via tf.io.fromMemory or the files
 * model.json and weights.bin). TensorFlow.js stores float32: a float64 network's weights are rounded.
 * inputScale and outputScale are folded into the first and last Dense layer (the model takes raw
 * rows); classNames are stored in model.json's userDefinedMetadata (tfjs: model.getUserDefinedMetadata()),
 * which readLayersModelMetadata reads.
 */
export function toLayersModel(net: unknown, options?: ExportOptions): LayersModel {
  return writeLayersModel(net, options, 'toLayersModel');
}

/** toLayersModel, with the caller's name in error messages (saveLayersModel's). */
export function writeLayersModel(net: unknown, options: unknown, what: string): LayersModel {
  const o = checkOptions(options, EXPORT_OPTIONS, what);
  const {
    layers,
    activations,
    weights: trained,
    dropout,
    inputShape,
    imageConfigs: image,
    imageWeights,
  } = readNetwork(net, what);
  const extra = checkExportOptions(o, layers, activations.at(-1)!, what, image.length > 0);
  const weights = foldScales(trained, extra);
  // Image layers first (a Reshape of the flat rows to [h, w, c], then Conv2D, pooling, Flatten), when the network has them.
  const front = image.length ? imageLayers(inputShape, image, imageWeights) : { topology: [], entries: [], values: [] };
  const topology: Record<string, unknown>[] = front.topology;
  const entries: WeightEntry[] = front.entries;
  const count = front.values.length + weights.reduce((n, { W, b }) => n + W.length * b.length + b.length, 0);
  const data = new Float32Array(count);
  data.set(front.values);
  let k = front.values.length;
  weights.forEach(({ W, b }, l) => {
    const act = activations[l]!;
    const t = (activationOp(act) as ActivationOp).tfjs; // the Dense's activation, or a layer after a linear Dense
    topology.push(
      dense(
        l,
        layers[l + 1]!,
        'activation' in t ? t.activation : 'linear',
        l === 0 && !image.length ? layers[0]! : null,
      ),
    );
    if ('layer' in t)
      topology.push({
        class_name: t.layer,
        config: { ...t.config, name: `${snakeCase(t.layer)}_${l + 1}`, trainable: true },
      });
    const rate = dropout?.[l] ?? 0;
    if (rate > 0) topology.push({ class_name: 'Dropout', config: { rate, name: `dropout_${l + 1}`, trainable: true } });
    entries.push(
      { name: `dense_${l + 1}/kernel`, shape: [layers[l]!, layers[l + 1]!], dtype: 'float32' },
      { name: `dense_${l + 1}/bias`, shape: [layers[l + 1]!], dtype: 'float32' },
    );
    for (const row of W) for (const v of row) data[k++] = v;
    for (const v of b) data[k++] = v;
  });
  // Float32Array is platform-endian; the format is little-endian.
  const bytes = new ArrayBuffer(count * 4),
    view = new DataView(bytes);
  data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return {
    modelJSON: {
      format: 'layers-model',
      generatedBy: 'backprop-wasm',
      convertedBy: null,
      modelTopology: {
        class_name: 'Sequential',
        config: { name: 'sequential', layers: topology },
        keras_version: 'tfjs-layers 4.22.0',
        backend: 'tensor_flow.js',
      },
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: entries }],
      ...(extra.classNames ? { userDefinedMetadata: { [CLASS_NAMES_KEY]: extra.classNames } } : {}),
    },
    weightData: bytes,
  };
}

/** What a layers model stores beside the network: the class names toLayersModel wrote, if any. */
export interface LayersModelMetadata {
  /** model.json's userDefinedMetadata (an empty object when there is none). */
  userDefinedMetadata: Record<string, unknown>;
  /** userDefinedMetadata.classNames, or null when the model has none. */
  classNames: string[] | null;
}

/** The metadata of a layers model (model.json content, object or text). */
export function readLayersModelMetadata(modelJSON: LayersModelJSON | string): LayersModelMetadata {
  const meta = parseJSON(modelJSON).userDefinedMetadata;
  if (meta === undefined || meta === null) return { userDefinedMetadata: {}, classNames: null };
  if (typeof meta !== 'object' || Array.isArray(meta))
    throw new ModelFormatError('layers model: userDefinedMetadata must be an object');
  const names = (meta as Record<string, unknown>)[CLASS_NAMES_KEY];
  return {
    userDefinedMetadata: meta as Record<string, unknown>,
    classNames: names === undefined ? null : parseClassNames(names, 'layers model'),
  };
}
