// Reads a layers-model topology (TensorFlow.js, or Keras via the tensorflowjs converter) as a chain of
// Dense layers: Sequential, or a functional model whose layers form one chain. InputLayer, Dense
// (an activation of src/ops/activations.ts; use_bias true or false), LeakyReLU and Activation after a
// linear Dense, and Dropout (after a hidden Dense it becomes that layer's dropout rate; before the
// first or after the last Dense it is skipped, the identity at inference). Anything else is a ModelFormatError.
import { ModelFormatError } from '../../index.js';
import { shown, shownText as nm } from '../../internal.js';
import type { ActivationName } from '../../index.js';
import { imageLayer, type ImagePlan } from './image-topology.js';
import { isLeakySlope } from '../common.js';
import { ACTIVATIONS as ALL_ACTIVATIONS, type ActivationOp } from '../../internal.js';

export interface DensePlan {
  name: string;
  units: number;
  useBias: boolean;
}

export interface TopologyPlan {
  /** Input width, when the model states it. */
  inputs: number | null;
  /** [h, w, c] of a model that starts with image layers (its first layer's input shape, or a Reshape's target). */
  inputShape: number[] | null;
  image: ImagePlan[];
  dense: DensePlan[];
  activations: ActivationName[];
  /** Dropout rate after each Dense (0: none). */
  dropout: number[];
}

const WHAT = 'layers model';
const MAX_LAYERS = 10_000;
/** Dense activations by their layers-model name, from the descriptors (src/ops/activations.ts). */
const ACTIVATIONS: Record<string, ActivationName> = Object.fromEntries(
  (ALL_ACTIVATIONS as readonly ActivationOp[]).flatMap((op) =>
    'activation' in op.tfjs ? [[op.tfjs.activation, op.name as ActivationName]] : [],
  ),
);
type Obj = Record<string, unknown>;

const fail = (message: string): never => {
  throw new ModelFormatError(`${WHAT}: ${message}`);
};
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown, what: string): Obj => (isObj(v) ? v : fail(`${what} must be an object`));
const list = (v: unknown, what: string): unknown[] => {
  if (!Array.isArray(v)) fail(`${what} must be an array`);
  if ((v as unknown[]).length > MAX_LAYERS) fail(`${what} lists more than ${MAX_LAYERS} entries`);
  return v as unknown[];
};

/** 'float32', or Keras 3's { class_name: 'DTypePolicy', config: { name: 'float32' } }. */
function checkDtype(v: unknown, where: string): void {
  const name = isObj(v) && isObj(v.config) ? v.config.name : v;
  if (v !== undefined && v !== null && name !== 'float32')
    fail(`${where} has dtype ${shown(name)}; only float32 is supported`);
}

/** The input shape without the batch: [n] of [null, n] (batch_input_shape / batch_shape) or of [n] (input_shape), or [h, w, c] of an image. */
function inputDims(config: Obj, where: string): number[] | null {
  const batch = config.batch_input_shape ?? config.batch_shape;
  const shape = batch !== undefined && batch !== null ? batch : config.input_shape;
  if (shape === undefined || shape === null) {
    const n = config.input_dim;
    if (n === undefined || n === null) return null;
    if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0)
      fail(`${where} has input_dim ${shown(n)}; it must be a positive integer`);
    return [n as number];
  }
  const dims = list(shape, `${where} input shape`).slice(shape === batch ? 1 : 0);
  if (
    !(dims.length === 1 || dims.length === 3) ||
    !dims.every((n) => typeof n === 'number' && Number.isInteger(n) && n > 0) ||
    (shape === batch && (shape as unknown[])[0] !== null)
  ) {
    fail(
      `${where} has the input shape ${shown(shape)}; only [batch, features] and [batch, height, width, channels] are supported`,
    );
  }
  return dims as number[];
}

/** The layers of a functional model in chain order, from its one input to its one output. */
function chain(config: Obj): Obj[] {
  const layers = list(config.layers, 'functional config.layers').map((l, i) => obj(l, `layer ${i}`));
  const ends = (key: string): string => {
    const v = list(config[key], key);
    const first = v.length === 1 && Array.isArray(v[0]) ? v[0][0] : v[0];
    if (typeof first !== 'string' || (v.length !== 1 && !(v.length === 3 && typeof v[0] === 'string')))
      fail(`${key} must name one layer`);
    return first as string;
  };
  const input = ends('input_layers'),
    output = ends('output_layers');
  const byName = new Map<string, Obj>(),
    next = new Map<string, string>();
  for (const l of layers) {
    const name = typeof l.name === 'string' ? l.name : fail('a layer of a functional model has no name');
    if (byName.has(name)) fail(`two layers are named '${nm(name)}'`);
    byName.set(name, l);
    const inbound = list(l.inbound_nodes ?? [], `inbound_nodes of '${nm(name)}'`);
    if (inbound.length === 0) continue;
    // Keras 2 / TensorFlow.js: [[[layer, node, tensor, kwargs]]]; Keras 3: [{ args: [{ config: { keras_history: [layer, node, tensor] } }] }].
    const node = inbound[0];
    const args = isObj(node)
      ? list(node.args, `inbound node of '${nm(name)}'`)
      : list(node, `inbound node of '${nm(name)}'`);
    const src =
      args.length === 1 ? (isObj(args[0]) && isObj(args[0].config) ? args[0].config.keras_history : args[0]) : null;
    const from = Array.isArray(src) ? src[0] : null;
    if (inbound.length !== 1 || typeof from !== 'string')
      fail(`layer '${nm(name)}' must take exactly one input from one layer (the model must be a chain)`);
    if (next.has(from as string)) fail(`layer '${nm(from)}' feeds more than one layer (the model must be a chain)`);
    next.set(from as string, name);
  }
  const out: Obj[] = [];
  for (let name: string | undefined = input; name !== undefined; name = next.get(name)) {
    if (out.length > layers.length) fail('the layers form a cycle');
    out.push(byName.get(name) ?? fail(`no layer is named '${nm(name)}'`));
    if (name === output) break;
  }
  if (out.at(-1) !== byName.get(output) || out.length !== layers.length)
    fail(`the layers do not form one chain from '${nm(input)}' to '${nm(output)}'`);
  return out;
}

/** The layer list of a modelTopology: Sequential (config.layers, or an old-style array) or a functional chain. */
function layerList(topology: unknown): Obj[] {
  let t = obj(topology, 'modelTopology');
  if (t.model_config !== undefined) t = obj(t.model_config, 'modelTopology.model_config');
  const cls = t.class_name;
  if (cls === 'Sequential') {
    const layers = Array.isArray(t.config) ? t.config : obj(t.config, 'Sequential config').layers;
    return list(layers, 'Sequential config.layers').map((l, i) => obj(l, `layer ${i}`));
  }
  if (cls === 'Model' || cls === 'Functional') return chain(obj(t.config, `${cls} config`));
  return fail(`modelTopology.class_name ${shown(cls)} is not supported (Sequential, Model or Functional)`);
}

export function readTopology(topology: unknown): TopologyPlan {
  const plan: TopologyPlan = { inputs: null, inputShape: null, image: [], dense: [], activations: [], dropout: [] };
  // Whether the last Dense (or a Conv2D, before any Dense) may still take an activation (it is linear and none followed it yet).
  let open = false;
  let openConv: { activation?: string } | null = null;
  const activate = (act: ActivationName, where: string): void => {
    if (openConv) {
      if (act === 'softmax') fail(`${where}: softmax after a Conv2D is not supported`);
      if (act !== 'linear') {
        openConv.activation = act;
        openConv = null;
      }
      return;
    }
    if (!open) fail(`${where} follows no Dense, or one that already has an activation`);
    if (act !== 'linear') plan.activations[plan.activations.length - 1] = act;
    open = act === 'linear';
  };
  const names = new Set<string>();
  layerList(topology).forEach((layer, i) => {
    const cls = layer.class_name;
    const config = obj(layer.config, `config of layer ${i}`);
    const name = typeof config.name === 'string' ? config.name : typeof layer.name === 'string' ? layer.name : `#${i}`;
    const where = `layer '${nm(name)}' (${nm(String(cls))})`;
    // Weights are found by layer name: two layers of one name would both read one entry.
    if (names.has(name))
      fail(`two layers are named '${nm(name)}'; each layer needs its own name (its weights are found by it)`);
    names.add(name);
    if (i === 0) {
      const dims = inputDims(config, where);
      if (dims?.length === 3) plan.inputShape = dims;
      else plan.inputs = dims?.[0] ?? null;
    }
    checkDtype(config.dtype, where);
    if (cls !== 'LeakyReLU' && cls !== 'Activation') openConv = null;
    const image = imageLayer(cls, config, name, where, plan, i, ACTIVATIONS);
    if (image) {
      if (image.layer.type === 'conv2d' && image.layer.activation === 'linear')
        openConv = image.layer as { activation?: string };
      return;
    }
    switch (cls) {
      case 'InputLayer':
        if (i !== 0) fail(`${where} is not the first layer`);
        if (config.sparse === true || config.ragged === true) fail(`${where} is sparse or ragged`);
        break;
      case 'Dense': {
        const units = config.units;
        if (typeof units !== 'number' || !Number.isInteger(units) || units <= 0)
          fail(`${where} has units ${shown(units)}`);
        const actName = config.activation ?? 'linear';
        const act =
          typeof actName === 'string' && Object.hasOwn(ACTIVATIONS, actName)
            ? ACTIVATIONS[actName]!
            : fail(`${where} has the activation ${shown(actName)}; supported: ${Object.keys(ACTIVATIONS).join(', ')}`);
        const useBias = config.use_bias ?? true;
        if (typeof useBias !== 'boolean') fail(`${where} has use_bias ${shown(useBias)}`);
        plan.dense.push({ name, units: units as number, useBias: useBias as boolean });
        plan.activations.push(act);
        plan.dropout.push(0);
        open = act === 'linear';
        break;
      }
      case 'LeakyReLU': {
        const alpha = config.alpha ?? config.negative_slope ?? 0.3; // Keras' and TensorFlow.js' default
        if (typeof alpha !== 'number' || !isLeakySlope(alpha))
          fail(`${where} has alpha ${shown(alpha)}; this library's leaky ReLU has slope 0.01`);
        activate('leakyRelu', where);
        break;
      }
      case 'Activation': {
        const a = config.activation;
        activate(
          typeof a === 'string' && Object.hasOwn(ACTIVATIONS, a)
            ? ACTIVATIONS[a]!
            : fail(`${where} has the activation ${shown(a)}`),
          where,
        );
        break;
      }
      case 'Dropout': {
        const rate = config.rate;
        if (typeof rate !== 'number' || !(rate >= 0 && rate < 1))
          fail(`${where} has rate ${shown(rate)}; a dropout rate is in [0, 1)`);
        if (plan.dense.length > 0) plan.dropout[plan.dense.length - 1] = rate as number;
        break;
      }
      default:
        fail(
          `${where} is not supported; a model of Dense layers may also have InputLayer, LeakyReLU (alpha 0.01), Activation and Dropout, and before them Reshape (to [h, w, c]), Conv2D, MaxPooling2D, AveragePooling2D and Flatten`,
        );
    }
  });
  if (plan.dense.length === 0) fail('the model has no Dense layer');
  return plan;
}
