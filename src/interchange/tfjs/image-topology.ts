// The image layers of a layers-model topology, before its Dense layers: Reshape (of flat rows to
// [h, w, c], first), Conv2D (channels_last, no dilation; an activation of src/ops/activations.ts, or
// linear with an Activation or LeakyReLU after it), MaxPooling2D, AveragePooling2D and Flatten, as
// Network.create's image layers. Anything else about them is a ModelFormatError naming the layer.
import { ModelFormatError } from '../../index.js';
import type { LayerOptions, ActivationName } from '../../index.js';

/** An image layer before the Dense ones: its name (its weights' prefix) and its options as Network.create takes them. */
export interface ImagePlan {
  name: string;
  layer: LayerOptions & { type: 'conv2d' | 'maxPooling2d' | 'averagePooling2d' | 'flatten' };
}
/** What of the topology plan the image layers read and extend. */
interface ImageState {
  inputs: number | null;
  inputShape: number[] | null;
  image: ImagePlan[];
  dense: readonly unknown[];
}

type Obj = Record<string, unknown>;
const fail = (message: string): never => {
  throw new ModelFormatError(`layers model: ${message}`);
};

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 65536;
function pair(v: unknown, key: string, where: string): [number, number] {
  if (positive(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && positive(v[0]) && positive(v[1])) return [v[0], v[1]];
  return fail(`${where} has ${key} ${JSON.stringify(v)}; expected two positive integers`);
}
function padding(v: unknown, where: string): 'valid' | 'same' {
  return v === 'valid' || v === 'same'
    ? v
    : fail(`${where} has padding ${JSON.stringify(v)}; expected 'valid' or 'same'`);
}
function channelsLast(v: unknown, where: string): void {
  if (v !== undefined && v !== null && v !== 'channels_last')
    fail(`${where} has data_format ${JSON.stringify(v)}; only channels_last is supported`);
}

/** n for [n, n] (as Keras writes a square kernel in Python), else [h, w]. */
const short = (p: [number, number]): number | [number, number] => (p[0] === p[1] ? p[0] : p);

/** The image layer of this class (appended to plan.image), or null when the class is not an image layer. */
export function imageLayer(
  cls: unknown,
  config: Obj,
  name: string,
  where: string,
  plan: ImageState,
  index: number,
  activations: Record<string, ActivationName>,
): ImagePlan | null {
  if (cls === 'Conv2D' || cls === 'MaxPooling2D' || cls === 'AveragePooling2D' || cls === 'Flatten') {
    if (plan.dense.length > 0) fail(`${where} follows a Dense layer; image layers come first`);
    if (!plan.inputShape)
      fail(
        `${where} needs an image input: give the first layer the input shape [null, height, width, channels], or start with a Reshape to [height, width, channels]`,
      );
  }
  const image = (layer: ImagePlan['layer']): ImagePlan => {
    const p = { name, layer };
    plan.image.push(p);
    return p;
  };
  switch (cls) {
    case 'Reshape': {
      const t = config.target_shape;
      if (
        plan.image.length > 0 ||
        plan.dense.length > 0 ||
        !(Array.isArray(t) && t.length === 3 && t.every(positive))
      ) {
        return fail(
          `${where} is supported only first, to [height, width, channels] (three positive integers); got target_shape ${JSON.stringify(t)} at layer ${index}`,
        );
      }
      const size = (t as number[]).reduce((a, b) => a * b, 1);
      if (plan.inputs !== null && plan.inputs !== size)
        fail(`${where} reshapes ${plan.inputs} features to ${JSON.stringify(t)} (${size})`);
      plan.inputShape = [...(t as number[])];
      plan.inputs = null;
      return { name, layer: { type: 'flatten' } }; // not a layer of the network: the rows are channels-last already
    }
    case 'Conv2D': {
      channelsLast(config.data_format, where);
      const dilation = pair(config.dilation_rate ?? 1, 'dilation_rate', where);
      if (dilation[0] !== 1 || dilation[1] !== 1)
        fail(`${where} has dilation_rate ${JSON.stringify(config.dilation_rate)}; only 1 is supported`);
      if (!positive(config.filters)) fail(`${where} has filters ${JSON.stringify(config.filters)}`);
      const a = config.activation ?? 'linear';
      const activation =
        typeof a === 'string' && Object.hasOwn(activations, a)
          ? activations[a]!
          : fail(`${where} has the activation ${JSON.stringify(a)}`);
      if (activation === 'softmax') fail(`${where} has the activation 'softmax'; a Conv2D takes an elementwise one`);
      const useBias = config.use_bias ?? true;
      if (typeof useBias !== 'boolean') fail(`${where} has use_bias ${JSON.stringify(useBias)}`);
      return image({
        type: 'conv2d',
        filters: config.filters as number,
        kernelSize: short(pair(config.kernel_size, 'kernel_size', where)),
        strides: short(pair(config.strides ?? 1, 'strides', where)),
        padding: padding(config.padding ?? 'valid', where),
        activation: activation as Exclude<ActivationName, 'softmax'>,
        useBias: useBias as boolean,
      });
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      channelsLast(config.data_format, where);
      const poolSize = pair(config.pool_size ?? 2, 'pool_size', where);
      const strides =
        config.strides === null || config.strides === undefined ? poolSize : pair(config.strides, 'strides', where);
      return image({
        type: cls === 'MaxPooling2D' ? 'maxPooling2d' : 'averagePooling2d',
        poolSize: short(poolSize),
        strides: strides[0] === poolSize[0] && strides[1] === poolSize[1] ? null : short(strides),
        padding: padding(config.padding ?? 'valid', where),
      });
    }
    case 'Flatten':
      channelsLast(config.data_format, where);
      return image({ type: 'flatten' });
    default:
      return null;
  }
}
