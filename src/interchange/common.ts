// What the ONNX and TensorFlow.js converters share: reading a Network through the public API, checking
// options, and building a Network from a checked plan. Imports the library through its public entry
// (and the threads check, so that load options are refused as Network.fromJSON refuses them).
import { ModelFormatError, Network, ResourceError, ValidationError } from '../index.js';
import { shown, shownText as nm } from '../internal.js';
import type {
  Conv2dWeights,
  DType,
  HiddenActivation,
  LayerConfig,
  LayerOptions,
  LayerWeights,
  LoadOptions,
  ActivationName,
} from '../index.js';
import { checkMemoryLimit, checkNetworkSize } from '../internal.js';
import { resolveThreads } from '../internal.js';
import { LEAKY_SLOPE } from '../internal.js';

/** An MLP as the converters see it: sizes, one activation per layer (the last is the output's), dtype. */
export interface Architecture {
  layers: number[];
  activations: ActivationName[];
  dtype: DType;
  /** Dropout rate of each hidden layer (absent: none). */
  dropout?: number[];
  /** Image layers before the dense ones (absent: none), with the input shape [h, w, c]. */
  image?: { inputShape: number[]; layers: LayerOptions[] };
}

/** backend, memoryLimit and threads, as Network.fromJSON takes them. */
export type { LoadOptions };

/** The leaky ReLU slope of this library (ops/activations.ts): files may store it as a float32 (0.009999999776…). */
export { LEAKY_SLOPE };
export function isLeakySlope(alpha: number): boolean {
  return Math.fround(alpha) === Math.fround(LEAKY_SLOPE);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}

/** Architecture and weights of a live Network, its image layers (and their weights) apart (a disposed one throws DisposedError, as everywhere in the library). */
export function readNetwork(
  net: unknown,
  what: string,
): Omit<Architecture, 'image'> & {
  weights: LayerWeights[];
  inputShape: number[];
  imageConfigs: LayerConfig[];
  imageWeights: Conv2dWeights[];
} {
  if (!(net instanceof Network)) throw new ValidationError(`${what}: expected a Network; got ${describe(net)}`);
  const weights = net.getWeights(); // first: a disposed network throws here
  const imageLayers = net.layers.slice(
    0,
    net.layers.findIndex((l) => l.type === 'dense'),
  );
  const convs = imageLayers.filter((l) => l.type === 'conv2d').length;
  const dropout = net.dropout;
  return {
    layers: [...net.sizes],
    activations: [...net.activations],
    dtype: net.dtype,
    weights: weights.slice(convs),
    ...(dropout.some((r) => r > 0) ? { dropout: [...dropout] } : {}),
    inputShape: [...net.inputShape],
    imageConfigs: imageLayers,
    imageWeights: weights.slice(0, convs) as unknown as Conv2dWeights[],
  };
}

/** Checks an options object: undefined or a plain object with only the `allowed` keys. */
export function checkOptions(options: unknown, allowed: readonly string[], what: string): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError(`${what}: options must be an object; got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ValidationError(
        `${what}: unknown option '${nm(key)}' (valid: ${allowed.map((k) => `'${k}'`).join(', ')})`,
      );
    }
  }
  return options as Record<string, unknown>;
}

/** backend, memoryLimit and threads, checked before the file is looked at. */
export function checkLoadOptions(options: unknown, what: string): LoadOptions {
  const o = checkOptions(options, ['backend', 'memoryLimit', 'threads'], what);
  if (o.backend !== undefined && o.backend !== 'wasm' && o.backend !== 'js') {
    throw new ValidationError(`${what}: backend ${shown(o.backend)} is not one of 'wasm', 'js'`);
  }
  const limit = o.memoryLimit;
  if (limit !== undefined && !(typeof limit === 'number' && Number.isFinite(limit) && limit > 0)) {
    throw new ValidationError(`${what}: memoryLimit must be a positive number of bytes; got ${shown(limit)}`);
  }
  try {
    resolveThreads(o.threads, o.backend ?? 'wasm');
  } catch (e) {
    throw new ValidationError(`${what}: ${(e as Error).message}`);
  }
  return o as LoadOptions;
}

/** A ModelFormatError unless `ok`. */
export function need(ok: boolean, what: string, message: string): asserts ok {
  if (!ok) throw new ModelFormatError(`${what}: ${message}`);
}

/**
 * Checks what Network.create would refuse in a file's architecture, so that it reads as a format
 * error with the converter's words; buildNetwork turns anything else Network.create refuses in the
 * file (a dropout rate that rounds to 0, say) into a ModelFormatError too.
 */
export function checkArchitecture(arch: Architecture, what: string): void {
  need(arch.layers.length >= 2, what, 'the model has no layers');
  arch.activations.forEach((a, l) => {
    need(
      a !== 'softmax' || l === arch.activations.length - 1,
      what,
      `softmax in layer ${l} is supported only as the output activation`,
    );
  });
  const outputs = arch.layers[arch.layers.length - 1]!;
  need(
    arch.activations.at(-1) !== 'softmax' || outputs >= 2,
    what,
    `a softmax output needs at least 2 units; the model ends in ${outputs}`,
  );
}

/**
 * Creates the Network (which checks memoryLimit before allocating), then fills in the weights that
 * `weights()` reads from the file; the loss is crossEntropy for a softmax output, mse otherwise.
 */
export async function buildNetwork(
  arch: Architecture,
  weights: () => LayerWeights[],
  options: LoadOptions,
  what: string,
): Promise<Network> {
  checkArchitecture(arch, what);
  // The network the file describes (its parameters, gradients and Adam state), not the file's bytes,
  // against memoryLimit or the wasm backend's cap, before anything is allocated or read.
  checkNetworkSize(arch.layers, arch.dtype, checkMemoryLimit(options.memoryLimit, options.backend ?? 'wasm'), what);
  const output = arch.activations.at(-1)!;
  let net: Network;
  try {
    // With image layers, the general form: they, then a dense layer per record and its dropout.
    const general: LayerOptions[] | null = arch.image
      ? [
          ...arch.image.layers,
          ...arch.activations.flatMap((activation, l): LayerOptions[] => [
            { type: 'dense', units: arch.layers[l + 1]!, activation },
            ...((arch.dropout?.[l] ?? 0) > 0 ? [{ type: 'dropout' as const, rate: arch.dropout![l]! }] : []),
          ]),
        ]
      : null;
    net = await Network.create({
      ...(general
        ? { inputShape: arch.image!.inputShape, layers: general }
        : {
            layers: arch.layers,
            activation: arch.activations.slice(0, -1) as HiddenActivation[],
            output,
            ...(arch.dropout?.some((r) => r > 0) ? { dropout: arch.dropout } : {}),
          }),
      loss: output === 'softmax' ? 'crossEntropy' : 'mse',
      dtype: arch.dtype,
      ...(options.backend !== undefined ? { backend: options.backend } : {}),
      ...(options.memoryLimit !== undefined ? { memoryLimit: options.memoryLimit } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
    });
  } catch (e) {
    // The options were checked before the file: a ValidationError here is about the file's network
    // (a ResourceError, memoryLimit exceeded, stays what it is).
    if (e instanceof ValidationError && !(e instanceof ResourceError)) {
      throw new ModelFormatError(`${what}: ${e.message}`);
    }
    throw e;
  }
  try {
    net.setWeights(weights());
  } catch (e) {
    net.dispose();
    throw e;
  }
  return net;
}

/** Rows of a flat array: W[i][j] = data[i * cols + j], or data[j * rows + i] when stored transposed. */
export function toRows(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
  transposed: boolean,
  what: string,
): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const row = new Array<number>(cols);
    for (let j = 0; j < cols; j++) {
      const v = data[transposed ? j * rows + i : i * cols + j]!;
      // The message only on failure (building it for every value was most of a large import's time).
      if (!Number.isFinite(v))
        need(false, what, `holds the non-finite value ${v} at [${transposed ? `${j}, ${i}` : `${i}, ${j}`}]`);
      row[j] = v;
    }
    out.push(row);
  }
  return out;
}

export function finiteList(data: ArrayLike<number>, what: string): number[] {
  const out = Array.from(data);
  out.forEach((v, i) => {
    if (!Number.isFinite(v)) need(false, what, `holds the non-finite value ${v} at [${i}]`);
  });
  return out;
}
