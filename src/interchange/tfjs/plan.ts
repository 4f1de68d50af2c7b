// What model.json alone tells, before any weight byte is read: shared by fromLayersModel and by
// loadLayersModel, which checks memoryLimit on it before it reads the weight files.
import { ModelFormatError } from '../../index.js';
import { shown, shownText as nm } from '../../internal.js';
import { findWeight, readManifest, type Manifest, type ManifestEntry } from './manifest.js';
import { readTopology, type TopologyPlan } from './topology.js';

const WHAT = 'layers model';

export function parseJSON(modelJSON: unknown): Record<string, unknown> {
  let m = modelJSON;
  if (typeof m === 'string') {
    // A leading byte order mark (editors on Windows write one) is not part of the JSON (RFC 8259 §8.1).
    try {
      m = JSON.parse(m.charCodeAt(0) === 0xfeff ? m.slice(1) : m);
    } catch (e) {
      throw new ModelFormatError(`${WHAT}: model.json is not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m))
    throw new ModelFormatError(`${WHAT}: model.json must hold an object`);
  const o = m as Record<string, unknown>;
  if (o.format !== undefined && o.format !== 'layers-model') {
    throw new ModelFormatError(
      `${WHAT}: format ${shown(o.format)} is not 'layers-model' (graph models are not supported)`,
    );
  }
  return o;
}

/**
 * What model.json alone tells (no weight byte is read): the topology, the manifest, the layer sizes
 * and each Dense layer's manifest entries.
 */
export function readLayersModel(modelJSON: unknown): {
  topo: TopologyPlan;
  manifest: Manifest;
  layers: number[];
  params: { kernel: ManifestEntry; bias: ManifestEntry | null }[];
  convs: { kernel: ManifestEntry; bias: ManifestEntry | null; shape: number[] }[];
} {
  const json = parseJSON(modelJSON);
  const topo = readTopology(json.modelTopology);
  const manifest = readManifest(json.weightsManifest);
  // Each entry feeds one weight: 'a' and 'm/a' may both find 'm/a/kernel' (a prefixed name).
  const used = new Map<ManifestEntry, string>();
  const once = (e: ManifestEntry, layer: string): ManifestEntry => {
    const first = used.get(e);
    if (first !== undefined)
      throw new ModelFormatError(
        `${WHAT}: layers '${nm(first)}' and '${nm(layer)}' both read the weight '${nm(e.name)}'`,
      );
    used.set(e, layer);
    return e;
  };
  // Conv kernels [kh, kw, inChannels, filters] (Network.create checks inChannels against the shapes).
  const convs = topo.image.flatMap(({ name, layer }) => {
    if (layer.type !== 'conv2d') return [];
    const k = layer.kernelSize,
      [kh, kw] = typeof k === 'number' ? [k, k] : k;
    const kernel = once(findWeight(manifest, name, 'kernel', [kh, kw, null, layer.filters]), name);
    return [
      {
        kernel,
        bias: layer.useBias ? once(findWeight(manifest, name, 'bias', [layer.filters]), name) : null,
        shape: kernel.shape,
      },
    ];
  });
  const layers = [
    (topo.image.length ? null : topo.inputs) ??
      findWeight(manifest, topo.dense[0]!.name, 'kernel', [null, topo.dense[0]!.units]).shape[0]!,
  ];
  const params = topo.dense.map((d) => {
    const kernel = once(findWeight(manifest, d.name, 'kernel', [layers[layers.length - 1]!, d.units]), d.name);
    layers.push(d.units);
    return { kernel, bias: d.useBias ? once(findWeight(manifest, d.name, 'bias', [d.units]), d.name) : null };
  });
  return { topo, manifest, layers, params, convs };
}
