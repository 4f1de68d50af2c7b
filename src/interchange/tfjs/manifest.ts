// The weights manifest of a layers model: every entry float32 (no quantization), shapes of
// non-negative integers, and the byte total equal to the weight data, all checked before any weight
// is read. The weight data is the concatenation of every group's files, in manifest order.
import { ModelFormatError } from '../../index.js';
import { shown, shownText as nm } from '../../internal.js';

export interface ManifestEntry {
  name: string;
  shape: number[];
  /** Byte offset in the weight data. */
  offset: number;
  count: number;
}

export interface Manifest {
  paths: string[];
  entries: Map<string, ManifestEntry>;
  /** Entries by their last two '/'-separated parts (see tail): where findWeight looks for a prefixed name. */
  byTail: Map<string, ManifestEntry[]>;
  bytes: number;
}

/** What follows the second-to-last '/' of a name (the whole name when it has fewer than two). */
function tail(name: string): string {
  const last = name.lastIndexOf('/');
  return name.slice((last > 0 ? name.lastIndexOf('/', last - 1) : -1) + 1);
}

const WHAT = 'layers model weightsManifest';
const MAX_ENTRIES = 100_000;
const fail = (message: string): never => {
  throw new ModelFormatError(`${WHAT}: ${message}`);
};

export function readManifest(manifest: unknown): Manifest {
  if (!Array.isArray(manifest)) fail('must be an array of { paths, weights } groups');
  const out: Manifest = { paths: [], entries: new Map(), byTail: new Map(), bytes: 0 };
  for (const [g, group] of (manifest as unknown[]).entries()) {
    if (typeof group !== 'object' || group === null) fail(`group ${g} must be an object`);
    const { paths, weights } = group as { paths?: unknown; weights?: unknown };
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string'))
      fail(`group ${g}: paths must be an array of strings`);
    if (!Array.isArray(weights)) fail(`group ${g}: weights must be an array`);
    if (out.paths.length + (paths as string[]).length > MAX_ENTRIES) fail(`more than ${MAX_ENTRIES} weight files`);
    out.paths.push(...(paths as string[]));
    for (const w of weights as unknown[]) {
      if (out.entries.size >= MAX_ENTRIES) fail(`more than ${MAX_ENTRIES} weights`);
      if (typeof w !== 'object' || w === null) fail(`group ${g}: a weight entry is not an object`);
      const { name, shape, dtype, quantization } = w as Record<string, unknown>;
      if (typeof name !== 'string') fail(`group ${g}: a weight has no name`);
      const where = `weight '${nm(name as string)}'`;
      if (out.entries.has(name as string)) fail(`${where} is listed twice`);
      if (dtype !== 'float32') fail(`${where} has dtype ${shown(dtype)}; only float32 is supported`);
      if (quantization !== undefined && quantization !== null)
        fail(`${where} is quantized; only float32 weights are supported`);
      if (!Array.isArray(shape) || shape.length > 8) fail(`${where}: shape must be an array of at most 8 sizes`);
      let count = 1;
      for (const d of shape as unknown[]) {
        if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) fail(`${where} has the shape ${shown(shape)}`);
        if ((d as number) > 0 && count > Number.MAX_SAFE_INTEGER / 4 / (d as number))
          fail(`${where}: shape ${shown(shape)} overflows`);
        count *= d as number;
      }
      const entry = { name: name as string, shape: shape as number[], offset: out.bytes, count };
      out.entries.set(entry.name, entry);
      const t = tail(entry.name),
        same = out.byTail.get(t);
      if (same) same.push(entry);
      else out.byTail.set(t, [entry]);
      out.bytes += count * 4;
      if (out.bytes > Number.MAX_SAFE_INTEGER) fail('the weights add up to more bytes than can be addressed');
    }
  }
  return out;
}

/** The entry of a layer's weight (null in `shape`: any size): `${layer}/${kind}`, or a name that ends in `/${layer}/${kind}` (a nested model's prefix). */
export function findWeight(
  m: Manifest,
  layer: string,
  kind: 'kernel' | 'bias',
  shape: (number | null)[],
): ManifestEntry {
  const key = `${layer}/${kind}`;
  const exact = m.entries.get(key);
  // A name ending in `/${key}` has the tail of `key`: only those entries are looked at, not the whole manifest.
  const found = exact ? [exact] : (m.byTail.get(tail(key)) ?? []).filter((e) => e.name.endsWith(`/${key}`));
  if (found.length !== 1)
    fail(
      found.length
        ? `several weights end in '${nm(layer)}/${kind}'`
        : `no weight '${nm(layer)}/${kind}' for layer '${nm(layer)}'`,
    );
  const e = found[0]!;
  if (e.shape.length !== shape.length || e.shape.some((d, i) => d !== (shape[i] ?? d))) {
    fail(`weight '${nm(e.name)}' has the shape ${shown(e.shape)}; layer '${nm(layer)}' needs ${shown(shape)}`);
  }
  if (e.count === 0) fail(`weight '${nm(e.name)}' is empty (shape ${shown(e.shape)})`);
  return e;
}

/** The float32 values of a checked entry (little-endian). */
export function weightValues(data: DataView, e: ManifestEntry): Float64Array {
  const out = new Float64Array(e.count);
  for (let i = 0; i < e.count; i++) out[i] = data.getFloat32(e.offset + 4 * i, true);
  return out;
}
