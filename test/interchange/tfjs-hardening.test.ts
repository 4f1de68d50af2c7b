// Layers models built to cost more than their bytes or to reach outside their folder: Dense layers
// sharing a name (one manifest entry read 50 times), symbolic links out of the folder, names a
// megabyte long in messages.
import { link, mkdir, mkdtemp, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelFormatError, Network } from 'backprop-wasm';
import {
  fromLayersModel,
  loadLayersModel,
  saveLayersModel,
  toLayersModel,
  type LayersModelJSON,
} from 'backprop-wasm/tfjs';
import { openChecked } from '../../dist/src/interchange/tfjs/node.js';
import { network } from './helpers.js';

type Layer = { class_name: string; config: Record<string, unknown> };
const dense = (name: string, units: number, inputs?: number): Layer => ({
  class_name: 'Dense',
  config: {
    name,
    units,
    activation: 'linear',
    use_bias: true,
    ...(inputs ? { batch_input_shape: [null, inputs] } : {}),
  },
});
const json = (layers: Layer[], weights: { name: string; shape: number[] }[]): LayersModelJSON => ({
  format: 'layers-model',
  modelTopology: { class_name: 'Sequential', config: { name: 's', layers } },
  weightsManifest: [{ paths: ['w.bin'], weights: weights.map((w) => ({ ...w, dtype: 'float32' })) }],
});
const rejection = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

describe('fromLayersModel: one weight, one layer', () => {
  it('refuses Dense layers that share a name (24 bytes of weights would become 50 layers), naming it', async () => {
    const layers = Array.from({ length: 50 }, (_, i) => dense('d', 2, i === 0 ? 2 : undefined));
    const model = json(layers, [
      { name: 'd/kernel', shape: [2, 2] },
      { name: 'd/bias', shape: [2] },
    ]);
    const e = await rejection(fromLayersModel({ modelJSON: model, weightData: new Float32Array(6).buffer }));
    expect(e).toBeInstanceOf(ModelFormatError);
    expect((e as Error).message).toMatch(/two layers are named 'd'; each layer needs its own name/);
  });

  it("refuses two layers that find one weight ('a' and 'm/a' both match 'm/a/kernel')", async () => {
    const model = json(
      [dense('m/a', 2, 2), dense('a', 2)],
      [
        { name: 'm/a/kernel', shape: [2, 2] },
        { name: 'm/a/bias', shape: [2] },
      ],
    );
    await expect(fromLayersModel({ modelJSON: model, weightData: new Float32Array(6).buffer })).rejects.toThrow(
      /layers 'm\/a' and 'a' both read the weight 'm\/a\/kernel'/,
    );
  });

  it('refuses a weight name listed twice in the manifest, naming it', async () => {
    const model = json(
      [dense('d', 2, 2)],
      [
        { name: 'd/kernel', shape: [2, 2] },
        { name: 'd/kernel', shape: [2] },
      ],
    );
    await expect(fromLayersModel({ modelJSON: model, weightData: new Float32Array(6).buffer })).rejects.toThrow(
      /weight 'd\/kernel' is listed twice/,
    );
  });

  it('names from model.json are cut in messages', async () => {
    const long = 'n'.repeat(1_000_000);
    const cases: LayersModelJSON[] = [
      json([dense(long, 2, 2), dense(long, 2)], []),
      json([{ class_name: long, config: { name: 'x' } }], []),
      json(
        [dense('d', 2, 2)],
        [
          { name: long, shape: [2, 2] },
          { name: long, shape: [2] },
        ],
      ),
      json([dense(long, 2, 2)], [{ name: 'd/kernel', shape: [2, 2] }]),
      json([{ class_name: 'Dense', config: { name: 'd', units: long } }], []),
      { ...json([dense('d', 2, 2)], []), format: long },
    ];
    for (const [i, modelJSON] of cases.entries()) {
      const e = await rejection(fromLayersModel({ modelJSON, weightData: new ArrayBuffer(0) }));
      expect(e, `case ${i}`).toBeInstanceOf(ModelFormatError);
      const message = (e as Error).message;
      expect(message.length, `case ${i}: ${message.slice(0, 300)}`).toBeLessThan(1000);
      expect(message, `case ${i}`).toMatch(/n{150}\.\.\./);
    }
  });
});

describe('loadLayersModel: nothing outside the folder, links resolved', () => {
  let top: string, dir: string;
  beforeEach(async () => {
    top = await mkdtemp(join(tmpdir(), 'bpw-links-'));
    dir = join(top, 'model');
    await saveLayersModel(await network('float32', 'relu', 'softmax'), dir);
  });
  afterEach(() => rm(top, { recursive: true, force: true }));

  const withPaths = async (paths: string[]): Promise<void> => {
    const { modelJSON } = toLayersModel(await network('float32', 'relu', 'softmax'));
    await writeFile(
      join(dir, 'model.json'),
      JSON.stringify({ ...modelJSON, weightsManifest: [{ ...modelJSON.weightsManifest[0], paths }] }),
    );
  };

  it('refuses a weight file that is a link to a file outside the folder', async () => {
    const { weightData } = toLayersModel(await network('float32', 'relu', 'softmax'));
    await writeFile(join(top, 'secret.bin'), new Uint8Array(weightData));
    await symlink('../secret.bin', join(dir, 'w.bin'));
    await withPaths(['w.bin']);
    const e = await rejection(loadLayersModel(dir));
    expect(e).toBeInstanceOf(ModelFormatError);
    expect((e as Error).message).toMatch(
      /the weight path "w.bin" leaves the folder \(a symbolic link leads outside it\)/,
    );
  });

  it('refuses a weight file inside a linked subfolder that points outside', async () => {
    const { weightData } = toLayersModel(await network('float32', 'relu', 'softmax'));
    await mkdir(join(top, 'elsewhere'));
    await writeFile(join(top, 'elsewhere', 'weights.bin'), new Uint8Array(weightData));
    await symlink('../elsewhere', join(dir, 'sub'));
    await withPaths(['sub/weights.bin']);
    await expect(loadLayersModel(dir)).rejects.toThrow(/the weight path "sub\/weights.bin" leaves the folder/);
  });

  it('refuses a model.json that links outside the folder, and a loop of links', async () => {
    await rm(join(dir, 'model.json'));
    const { modelJSON } = toLayersModel(await network('float32', 'relu', 'softmax'));
    await writeFile(join(top, 'model.json'), JSON.stringify(modelJSON));
    await symlink('../model.json', join(dir, 'model.json'));
    await expect(loadLayersModel(dir)).rejects.toThrow(/model.json leaves the folder/);
    await rm(join(dir, 'model.json'));
    await writeFile(join(dir, 'model.json'), JSON.stringify(modelJSON));
    await symlink('loop2', join(dir, 'loop1'));
    await symlink('loop1', join(dir, 'loop2'));
    await withPaths(['loop1']);
    await expect(loadLayersModel(dir)).rejects.toThrow(/the weight path "loop1" is a loop of symbolic links/);
  });

  it('follows links that stay inside, and a folder reached through a link', async () => {
    await mkdir(join(dir, 'data'));
    await rm(join(dir, 'weights.bin')).catch(() => undefined);
    const { weightData } = toLayersModel(await network('float32', 'relu', 'softmax'));
    await writeFile(join(dir, 'data', 'real.bin'), new Uint8Array(weightData));
    await symlink('data/real.bin', join(dir, 'w.bin'));
    await withPaths(['w.bin']);
    await symlink('model', join(top, 'linked'));
    for (const at of [dir, join(top, 'linked')]) {
      const net = await loadLayersModel(at, { backend: 'js' });
      expect(net).toBeInstanceOf(Network);
      net.dispose();
    }
  });
});

describe('layers models: crafted model.json', () => {
  it('input_dim must be a positive integer', async () => {
    for (const bad of [2.5, -2, 0, '2']) {
      const layer = { class_name: 'Dense', config: { name: 'd', units: 2, input_dim: bad } };
      const model = json(
        [layer as Layer],
        [
          { name: 'd/kernel', shape: [2, 2] },
          { name: 'd/bias', shape: [2] },
        ],
      );
      await expect(
        fromLayersModel({ modelJSON: model, weightData: new Float32Array(6).buffer }),
        String(bad),
      ).rejects.toThrow(`layer 'd' (Dense) has input_dim ${JSON.stringify(bad)}; it must be a positive integer`);
    }
  });

  it('model.json text with a byte order mark loads, from memory and from a folder', async () => {
    const net = await network('float32', 'relu', 'softmax');
    const { modelJSON, weightData } = toLayersModel(net);
    const x = new Float32Array(8).map((_, i) => Math.sin(i));
    const expected = (await fromLayersModel({ modelJSON, weightData }, { backend: 'js' })).predict(x);
    const fromText = await fromLayersModel(
      { modelJSON: `\ufeff${JSON.stringify(modelJSON)}`, weightData },
      { backend: 'js' },
    );
    expect(fromText.predict(x)).toEqual(expected);
    const top = await mkdtemp(join(tmpdir(), 'bpw-bom-'));
    try {
      await saveLayersModel(net, top);
      await writeFile(join(top, 'model.json'), `\ufeff${JSON.stringify(modelJSON)}`);
      const fromFolder = await loadLayersModel(top, { backend: 'js' });
      expect(fromFolder.predict(x)).toEqual(expected);
    } finally {
      await rm(top, { recursive: true, force: true });
    }
  });

  it('loadLayersModel refuses one weight file listed twice, or through a hard link (read twice, it would fill memory with copies)', async () => {
    const top = await mkdtemp(join(tmpdir(), 'bpw-twice-'));
    try {
      const net = await network('float32', 'relu', 'softmax');
      await saveLayersModel(net, top);
      const { modelJSON } = toLayersModel(net);
      // Two entries whose bytes are one file's twice: sizes add up, so only the identity check refuses it.
      const half = modelJSON.weightsManifest[0]!.weights;
      const doubled = {
        ...modelJSON,
        weightsManifest: [
          {
            paths: ['weights.bin', './weights.bin'],
            weights: [...half, ...half.map((w) => ({ ...w, name: `copy/${w.name}` }))],
          },
        ],
      };
      await writeFile(join(top, 'model.json'), JSON.stringify(doubled));
      await expect(loadLayersModel(top)).rejects.toThrow(
        /the weight paths "weights.bin" and ".\/weights.bin" are one file; list each weight file once/,
      );
      await link(join(top, 'weights.bin'), join(top, 'hard.bin'));
      await writeFile(
        join(top, 'model.json'),
        JSON.stringify({
          ...doubled,
          weightsManifest: [{ ...doubled.weightsManifest[0], paths: ['weights.bin', 'hard.bin'] }],
        }),
      );
      await expect(loadLayersModel(top)).rejects.toThrow(/the weight paths "weights.bin" and "hard.bin" are one file/);
    } finally {
      await rm(top, { recursive: true, force: true });
    }
  });
});

describe('loadLayersModel reads the file it checked', () => {
  it('a file swapped (for another file, or for a link out of the folder) after its checks is refused, not read', async () => {
    const top = await mkdtemp(join(tmpdir(), 'bpw-swap-'));
    try {
      await mkdir(join(top, 'model'));
      const file = join(top, 'model', 'w.bin');
      await writeFile(file, new Uint8Array(8));
      const checked = await stat(file, { bigint: true });
      const same = await openChecked(file, checked, '"w.bin"');
      await same.close();
      await writeFile(join(top, 'other.bin'), new Uint8Array(8));
      await rename(join(top, 'other.bin'), file); // same size, another inode
      await expect(openChecked(file, checked, '"w.bin"')).rejects.toThrow(
        /layers model folder: "w.bin" changed while it was read/,
      );
      await writeFile(join(top, 'secret.bin'), new Uint8Array(8));
      await rm(file);
      await symlink('../secret.bin', file);
      await expect(openChecked(file, checked, '"w.bin"')).rejects.toThrow(ModelFormatError);
    } finally {
      await rm(top, { recursive: true, force: true });
    }
  });
});
