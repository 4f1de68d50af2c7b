// backprop-wasm/tfjs: TensorFlow.js layers models in and out (model.json + weights). Loaded only
// through this subpath: the main entry does not import it.
import { ModelFormatError, ValidationError, type Network } from '../../index.js';
import { checkAttached } from '../../internal.js';
import { shownText as nm } from '../../internal.js';
import { buildNetwork, checkLoadOptions, checkOptions, finiteList, toRows, type LoadOptions } from '../common.js';
import type { LayersModelJSON } from './export.js';
import { weightValues } from './manifest.js';
import { readLayersModel } from './plan.js';

export {
  toLayersModel,
  readLayersModelMetadata,
  WEIGHTS_FILE,
  type LayersModel,
  type LayersModelJSON,
  type LayersModelMetadata,
  type WeightEntry,
} from './export.js';
export type { ExportOptions, Scale } from '../export-options.js';
export type { LoadOptions } from '../common.js';

/** Weight data as tfjs hands it over: one buffer, a view of one, or a list of buffers (concatenated). */
export type WeightData = ArrayBuffer | ArrayBufferView | ArrayBuffer[];

const WHAT = 'layers model';

function weightBytes(data: unknown): DataView {
  checkAttached(data, 'fromLayersModel: weightData');
  if (data instanceof ArrayBuffer) return new DataView(data);
  if (ArrayBuffer.isView(data)) return new DataView(data.buffer, data.byteOffset, data.byteLength);
  // Indexed, not every(): every() skips the holes of a sparse array.
  if (Array.isArray(data)) {
    for (let i = 0; i < data.length; i++) {
      if (!(data[i] instanceof ArrayBuffer))
        throw new ValidationError(
          `fromLayersModel: weightData[${i}] is ${i in data ? 'not an ArrayBuffer' : 'a hole'}; expected an array of ArrayBuffers`,
        );
      checkAttached(data[i], `fromLayersModel: weightData[${i}]`);
    }
    const all = new Uint8Array(data.reduce((n, b: ArrayBuffer) => n + b.byteLength, 0));
    let at = 0;
    for (const b of data as ArrayBuffer[]) {
      all.set(new Uint8Array(b), at);
      at += b.byteLength;
    }
    return new DataView(all.buffer);
  }
  throw new ValidationError(
    'fromLayersModel: weightData must be an ArrayBuffer, a typed array or an array of ArrayBuffers',
  );
}

/**
 * Reads a layers model (model.json content, object or text, and the weight bytes) written by
 * TensorFlow.js or by the tensorflowjs converter from Keras. A Dropout after a hidden Dense becomes
 * that layer's dropout rate (others are skipped: the identity at inference); the loss is
 * crossEntropy for a softmax output, mse otherwise.
 */
export async function fromLayersModel(
  model: { modelJSON: LayersModelJSON | string; weightData: WeightData },
  options?: LoadOptions,
): Promise<Network> {
  if (typeof model !== 'object' || model === null)
    throw new ValidationError('fromLayersModel: expected { modelJSON, weightData }');
  checkOptions(model, ['modelJSON', 'weightData'], 'fromLayersModel');
  if (model.modelJSON === undefined) throw new ValidationError('fromLayersModel: modelJSON is missing');
  const data = weightBytes(model.weightData);
  const o = checkLoadOptions(options, 'fromLayersModel');
  const { topo, manifest, layers, params, convs } = readLayersModel(model.modelJSON);
  if (manifest.bytes !== data.byteLength) {
    throw new ModelFormatError(
      `${WHAT}: the manifest lists ${manifest.bytes} bytes of weights, the weight data holds ${data.byteLength}`,
    );
  }
  // Conv kernels [kh][kw][inChannels][filters] as stored (Keras' layout is this library's), then the Dense layers.
  const weights = (): { W: number[][]; b: number[] }[] => [
    ...convs.map(({ kernel, bias, shape }) => {
      const [kh, kw, c, f] = shape as [number, number, number, number];
      const rows = toRows(weightValues(data, kernel), kh * kw * c, f, false, `${WHAT}: weight '${nm(kernel.name)}'`);
      const W = Array.from({ length: kh }, (_, y) =>
        Array.from({ length: kw }, (_, x) => rows.slice((y * kw + x) * c, (y * kw + x + 1) * c)),
      );
      return {
        W: W as unknown as number[][],
        b: bias
          ? finiteList(weightValues(data, bias), `${WHAT}: weight '${nm(bias.name)}'`)
          : new Array<number>(f).fill(0),
      };
    }),
    ...params.map(({ kernel, bias }, l) => ({
      W: toRows(weightValues(data, kernel), layers[l]!, layers[l + 1]!, false, `${WHAT}: weight '${nm(kernel.name)}'`),
      b: bias
        ? finiteList(weightValues(data, bias), `${WHAT}: weight '${nm(bias.name)}'`)
        : new Array<number>(layers[l + 1]!).fill(0),
    })),
  ];
  const image = topo.image.length
    ? { inputShape: topo.inputShape!, layers: topo.image.map((p) => p.layer) }
    : undefined;
  return buildNetwork(
    {
      layers,
      activations: topo.activations,
      dtype: 'float32',
      dropout: topo.dropout.slice(0, -1),
      ...(image ? { image } : {}),
    },
    weights,
    o,
    WHAT,
  );
}
