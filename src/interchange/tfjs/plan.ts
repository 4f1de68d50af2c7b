// What model.json alone tells, before any weight byte is read: shared by fromLayersModel and by
// loadLayersModel, which checks memoryLimit on it before it reads the weight files.
import { ModelFormatError } from '../../index.js';
import { findWeight, readManifest, type Manifest, type ManifestEntry } from './manifest.js';
import { readTopology, type TopologyPlan } from './topology.js';

const WHAT = 'layers model';

export function parseJSON(modelJSON: unknown): Record<string, unknown> {
  let m = modelJSON;
  if (typeof m === 'string') {
    try { m = JSON.parse(m); } catch (e) { throw new ModelFormatError(`${WHAT}: model.json is not valid JSON (${(e as Error).message})`); }
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new ModelFormatError(`${WHAT}: model.json must hold an object`);
  const o = m as Record<string, unknown>;
  if (o.format !== undefined && o.format !== 'layers-model') {
    throw new ModelFormatError(`${WHAT}: format ${JSON.stringify(o.format)} is not 'layers-model' (graph models are not supported)`);
  }
  return o;
}

/**
 * What model.json alone tells (no weight byte is read): the topology, the manifest, the layer sizes
 * and each Dense layer's manifest entries.
 */
export function readLayersModel(modelJSON: unknown): {
  topo: TopologyPlan; manifest: Manifest; layers: number[]; params: { kernel: ManifestEntry; bias: ManifestEntry | null }[];
  convs: { kernel: ManifestEntry; bias: ManifestEntry | null; shape: number[] }[];
} {
  const json = parseJSON(modelJSON);
  const topo = readTopology(json.modelTopology);
  const manifest = readManifest(json.weightsManifest);
  // Conv kernels [kh, kw, inChannels, filters] (Network.create checks inChannels against the shapes).
  const convs = topo.image.flatMap(({ name, layer }) => {
    if (layer.type !== 'conv2d') return [];
    const k = layer.kernelSize, [kh, kw] = typeof k === 'number' ? [k, k] : k;
    const kernel = findWeight(manifest, name, 'kernel', [kh, kw, null, layer.filters]);
    return [{ kernel, bias: layer.useBias ? findWeight(manifest, name, 'bias', [layer.filters]) : null, shape: kernel.shape }];
  });
  const layers = [(topo.image.length ? null : topo.inputs) ?? findWeight(manifest, topo.dense[0]!.name, 'kernel', [null, topo.dense[0]!.units]).shape[0]!];
  const params = topo.dense.map((d) => {
    const kernel = findWeight(manifest, d.name, 'kernel', [layers[layers.length - 1]!, d.units]);
    layers.push(d.units);
    return { kernel, bias: d.useBias ? findWeight(manifest, d.name, 'bias', [d.units]) : null };
  });
  return { topo, manifest, layers, params, convs };
}

