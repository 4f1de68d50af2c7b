// Node only: a layers model as a folder, model.json + weights.bin, as tf.loadLayersModel('file://…')
// (tfjs-node) and the tensorflowjs converter read and write it. Weight files are checked against the
// manifest (real paths, links resolved, inside the folder; each file once; sizes adding up), and the
// network against memoryLimit, before they are read, each through a handle on the inode checked.
import type { BigIntStats } from 'node:fs';
import { constants } from 'node:fs';
import { mkdir, open, realpath, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { ModelFormatError, ResourceError, ValidationError, type Network } from '../../index.js';
import { shown } from '../../internal.js';
import { checkMemoryLimit, checkNetworkSize } from '../../internal.js';
import { checkLoadOptions, type LoadOptions } from '../common.js';
import { WEIGHTS_FILE, writeLayersModel } from './export.js';
import type { ExportOptions } from '../export-options.js';
import { fromLayersModel } from './index.js';
import { parseJSON, readLayersModel } from './plan.js';

/** model.json larger than this is refused before it is read. */
const MAX_MODEL_JSON_BYTES = 64 * 2 ** 20;
const WHAT = 'layers model folder';
const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException).code;

function checkDir(dir: unknown, what: string): string {
  if (typeof dir !== 'string' || dir === '')
    throw new ValidationError(`${what}: expected a folder path; got ${shown(dir)}`);
  return dir;
}

/** The file's stat (bigint: inode numbers past 2^53 stay exact), or `missing()` when it is not a file. */
async function fileStat(path: string, missing: () => Error): Promise<BigIntStats> {
  try {
    const s = await stat(path, { bigint: true });
    if (!s.isFile()) throw missing();
    return s;
  } catch (e) {
    if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') throw missing();
    throw e;
  }
}

/**
 * The real path of `path` (every symbolic link resolved), refused unless it lies inside `root`, the
 * folder's real path: a link (`w.bin -> ../secret.bin`, a linked subfolder) must not lead out of it.
 */
async function realInside(root: string, path: string, name: string, missing: () => Error): Promise<string> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (e) {
    if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') throw missing();
    if (code(e) === 'ELOOP') throw new ModelFormatError(`${WHAT}: ${name} is a loop of symbolic links`);
    throw e;
  }
  const rel = relative(root, real);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new ModelFormatError(
      `${WHAT}: ${name} leaves the folder (a symbolic link leads outside it); copy the file into the folder`,
    );
  }
  return real;
}

/**
 * Opens the file that was checked: the same inode (device and number) as `checked`, so a file or a
 * folder on its path swapped for a link after the checks is refused, never read.
 */
export async function openChecked(path: string, checked: BigIntStats, name: string): Promise<FileHandle> {
  const h = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch((e: unknown) => {
    if (code(e) === 'ELOOP' || code(e) === 'ENOENT')
      throw new ModelFormatError(`${WHAT}: ${name} changed while it was read`);
    throw e;
  });
  const s = await h.stat({ bigint: true });
  if (s.dev !== checked.dev || s.ino !== checked.ino || s.size !== checked.size) {
    await h.close();
    throw new ModelFormatError(`${WHAT}: ${name} changed while it was read`);
  }
  return h;
}

/** Writes model.json and weights.bin into `dir` (created if needed); options as toLayersModel takes them. */
export async function saveLayersModel(net: Network, dir: string, options?: ExportOptions): Promise<void> {
  checkDir(dir, 'saveLayersModel');
  const { modelJSON, weightData } = writeLayersModel(net, options, 'saveLayersModel');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, WEIGHTS_FILE), new Uint8Array(weightData));
  await writeFile(join(dir, 'model.json'), JSON.stringify(modelJSON));
}

/** Reads model.json and the weight files it lists (paths relative to `dir`, never outside it). */
export async function loadLayersModel(dir: string, options?: LoadOptions): Promise<Network> {
  checkDir(dir, 'loadLayersModel');
  const o = checkLoadOptions(options, 'loadLayersModel');
  const noModel = (): Error => new ValidationError(`loadLayersModel: there is no model.json in ${shown(dir)}`);
  let root: string;
  try {
    root = await realpath(dir);
  } catch (e) {
    if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') throw noModel();
    throw e;
  }
  const jsonPath = await realInside(root, join(root, 'model.json'), 'model.json', noModel);
  const jsonStat = await fileStat(jsonPath, noModel);
  const size = Number(jsonStat.size);
  if (size > MAX_MODEL_JSON_BYTES)
    throw new ModelFormatError(`${WHAT}: model.json holds ${size} bytes, more than the ${MAX_MODEL_JSON_BYTES} read`);
  const handle = await openChecked(jsonPath, jsonStat, 'model.json');
  let text: string;
  try {
    text = await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
  const json = parseJSON(text);
  // The network model.json describes, checked against memoryLimit before any weight file is read
  // (Network.create checks again, for the backend it gets).
  const { manifest, layers } = readLayersModel(json);
  const limit = checkMemoryLimit(o.memoryLimit, o.backend ?? 'wasm'); // wasm: the default backend, as in Network.fromJSON
  checkNetworkSize(layers, 'float32', limit, 'loadLayersModel');
  if (manifest.bytes > limit) {
    throw new ResourceError(
      `loadLayersModel: the weight files of ${shown(dir)} hold ${manifest.bytes} bytes, more than the ${limit} bytes allowed (memoryLimit, or 32-bit WebAssembly memory on the wasm backend)`,
      manifest.bytes,
      limit,
    );
  }
  const files = await Promise.all(
    manifest.paths.map(async (p) => {
      const n = normalize(p);
      if (p === '' || isAbsolute(p) || n === '..' || n.startsWith(`..${sep}`) || p.includes('\0')) {
        throw new ModelFormatError(`${WHAT}: the weight path ${shown(p)} leaves the folder`);
      }
      const missing = (): Error =>
        new ModelFormatError(`${WHAT}: the weight file ${shown(p)} listed in model.json is missing`);
      return realInside(root, join(root, n), `the weight path ${shown(p)}`, missing);
    }),
  );
  const stats = await Promise.all(
    files.map((f, i) =>
      fileStat(
        f,
        () =>
          new ModelFormatError(`${WHAT}: the weight file ${shown(manifest.paths[i])} listed in model.json is missing`),
      ),
    ),
  );
  // One file listed twice (or through two names: a link, a hard link) would be read twice: a folder
  // with one small file could then fill memoryLimit with copies of it.
  const seen = new Map<string, number>();
  stats.forEach((s, i) => {
    if (s.ino === 0n) return; // a file system without inode numbers: nothing to compare
    const first = seen.get(`${s.dev}:${s.ino}`);
    if (first !== undefined)
      throw new ModelFormatError(
        `${WHAT}: the weight paths ${shown(manifest.paths[first])} and ${shown(manifest.paths[i])} are one file; list each weight file once`,
      );
    seen.set(`${s.dev}:${s.ino}`, i);
  });
  const sizes = stats.map((s) => Number(s.size));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== manifest.bytes)
    throw new ModelFormatError(`${WHAT}: the weight files hold ${total} bytes, the manifest lists ${manifest.bytes}`);
  const data = new Uint8Array(total);
  let at = 0;
  for (const [i, f] of files.entries()) {
    const name = shown(manifest.paths[i]);
    const h = await openChecked(f, stats[i]!, name);
    try {
      // Read in place; shrunk since stat, the manifest's offsets no longer hold.
      for (let done = 0; done < sizes[i]!; ) {
        const { bytesRead } = await h.read(data, at + done, sizes[i]! - done, done);
        if (bytesRead === 0)
          throw new ModelFormatError(`${WHAT}: ${name} changed while it was read (${done} bytes, ${sizes[i]} before)`);
        done += bytesRead;
      }
    } finally {
      await h.close();
    }
    at += sizes[i]!;
  }
  return fromLayersModel({ modelJSON: json as never, weightData: data }, options);
}
