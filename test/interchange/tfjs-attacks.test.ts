// fromLayersModel on 300 seeded random corruptions of model.json and of the weight bytes: each gives
// a ModelFormatError (never another error, a hang or an unbounded allocation) or a network that
// predicts as TensorFlow.js does on the same model.json and weights.
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelFormatError, Network, ResourceError, ValidationError } from 'backprop-wasm';
import { fromLayersModel, loadLayersModel, toLayersModel, type LayersModelJSON } from 'backprop-wasm/tfjs';
import { inputs, loadOrRefuse, network } from './helpers.js';
import { loadTf, predictTf, saveTf, tf } from './tfjs-runtime.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside `v`. */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

const SPECIAL: Json[] = [
  null,
  -1,
  0,
  0.3,
  1.5,
  2 ** 31,
  2 ** 53,
  1e300,
  '',
  'x',
  'relu',
  'float16',
  [],
  {},
  [null, 4],
  [2 ** 40, 2 ** 40],
  true,
];

async function baseModels(): Promise<{ modelJSON: LayersModelJSON; weightData: ArrayBuffer }[]> {
  const ours = toLayersModel(await network('float32', 'leakyRelu', 'softmax'));
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 5, inputShape: [4], activation: 'tanh' }));
  m.add(tf.layers.dropout({ rate: 0.1 }));
  m.add(tf.layers.dense({ units: 1, activation: 'sigmoid', useBias: false }));
  const saved = await saveTf(m);
  return [ours, { modelJSON: saved.modelJSON as unknown as LayersModelJSON, weightData: saved.weightData }];
}

describe('300 random corruptions of layers models', () => {
  it('each gives a ModelFormatError or a network that predicts as TensorFlow.js does', async () => {
    const bases = await baseModels();
    const outcomes = { refused: 0, loaded: 0, tfjsRefused: 0 };
    const edit = fc.record({
      which: fc.nat(1),
      path: fc.nat(),
      kind: fc.constantFrom('replace', 'delete', 'weights-cut', 'weights-grow', 'weights-set'),
      value: fc.oneof(fc.constantFrom(...SPECIAL), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>),
      at: fc.nat(),
      byte: fc.nat(255),
    });
    await fc.assert(
      fc.asyncProperty(edit, async (e) => {
        const base = bases[e.which]!;
        const json = JSON.parse(JSON.stringify(base.modelJSON)) as Json;
        let weights = new Uint8Array(base.weightData.slice(0));
        const all = paths(json).slice(1);
        const path = all[e.path % all.length]!;
        const parent = path.slice(0, -1).reduce<Json>((v, k) => (v as Record<string, Json>)[k]!, json) as Record<
          string | number,
          Json
        >;
        const key = path[path.length - 1]!;
        if (e.kind === 'replace') parent[key] = e.value;
        else if (e.kind === 'delete') {
          if (Array.isArray(parent)) parent.splice(key as number, 1);
          else delete parent[key];
        } else if (e.kind === 'weights-cut') weights = weights.slice(0, e.at % weights.length);
        else if (e.kind === 'weights-grow') weights = Uint8Array.from([...weights, e.byte]);
        else {
          weights[e.at % weights.length] = e.byte;
          weights[(e.at + 1) % weights.length] = 0xff;
        }
        const result = await loadOrRefuse(
          () => fromLayersModel({ modelJSON: json as never, weightData: weights }, { backend: 'js' }),
          (net) => fromLayersModel(toLayersModel(net)),
          outcomes,
        );
        if (!result) return;
        // tfjs also refuses malformed training-only fields (initializers, regularizers, constraints) that
        // inference never reads and this reader ignores, and a first layer without an input shape.
        const model = await loadTf(json as object, weights.buffer as ArrayBuffer).catch(() => null);
        if (model === null) {
          outcomes.tfjsRefused++;
          return;
        }
        const x = inputs('float32', 3, result.sizes[0]!);
        const [ours, theirs] = [result.predict(x) as Float32Array, predictTf(model, x, result.sizes[0]!)];
        model.dispose();
        expect(ours.length).toBe(theirs.length);
        ours.forEach((a, i) => {
          const b = theirs[i]!;
          if (Number.isNaN(a) || Number.isNaN(b) || a === b)
            expect(Number.isNaN(a), `value ${i}: ${a} vs ${b}`).toBe(Number.isNaN(b));
          else expect(Math.abs(a - b), `value ${i}`).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(b)));
        });
      }),
      { seed: 31337, numRuns: 300 },
    );
    console.log('layers-model corruptions:', outcomes);
    expect(outcomes.refused).toBeGreaterThan(50);
  });
});

/** A Sequential of `names.length` Dense layers of `units` units after `inputs` inputs (no weights manifest). */
function denseChain(names: string[], inputs: number, units: number, extra: object[] = []): object {
  return {
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      layers: [
        ...names.map((name, i) => ({
          class_name: 'Dense',
          config: { name, units, activation: 'linear', ...(i === 0 ? { batch_input_shape: [null, inputs] } : {}) },
        })),
        ...extra,
      ],
    },
  };
}

describe('hostile layers models that are not corruptions of a good one', () => {
  // Not in quadratic time: 20,000 layers × 400,000 entries would be 8·10⁹ name comparisons (minutes),
  // a linear reading takes seconds; the test's timeout catches the former, with no wall-clock bound.
  it('20,000 prefixed layers among 400,000 manifest entries: loaded or refused, not in quadratic time', {
    timeout: 60_000,
  }, async () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `dense_${i + 1}`);
    const weights = names.flatMap((n) => [
      { name: `outer/${n}/kernel`, shape: [1, 1], dtype: 'float32' },
      { name: `outer/${n}/bias`, shape: [1], dtype: 'float32' },
    ]);
    for (let i = weights.length; i < 400_000; i++) weights.push({ name: `pad_${i}`, shape: [0], dtype: 'float32' });
    const modelJSON = {
      format: 'layers-model',
      modelTopology: denseChain(names, 1, 1),
      weightsManifest: [{ paths: ['weights.bin'], weights }],
    };
    const weightData = new Float32Array(2 * names.length).fill(0.5).buffer;
    const result = await fromLayersModel({ modelJSON: JSON.stringify(modelJSON), weightData }, { backend: 'js' }).then(
      (n) => n,
      (e: unknown) => e,
    );
    if (result instanceof Network) expect(result.sizes).toHaveLength(20_001);
    else expect(result).toBeInstanceOf(ModelFormatError);
  });

  it('a prefixed weight found among many with the same last two parts; several matches stay ambiguous', async () => {
    const weights = [
      { name: 'other/a/dense_1/kernel', shape: [2, 1], dtype: 'float32' },
      { name: 'outer/b/dense_1/kernel', shape: [2, 1], dtype: 'float32' },
      { name: 'x/dense_1/bias', shape: [1], dtype: 'float32' },
    ];
    const json = (layer: string): object => ({
      modelTopology: denseChain([layer], 2, 1),
      weightsManifest: [{ paths: ['w.bin'], weights }],
    });
    const weightData = Float32Array.of(1, 2, 3, 4, 5).buffer;
    await expect(fromLayersModel({ modelJSON: json('dense_1') as never, weightData })).rejects.toThrow(
      /several weights end in 'dense_1\/kernel'/,
    );
    weights[2]!.name = 'b/dense_1/bias';
    const net = await fromLayersModel({ modelJSON: json('b/dense_1') as never, weightData }, { backend: 'js' });
    expect(net.getWeights()).toEqual([{ W: [[3], [4]], b: [5] }]);
  });

  it('weightData with a hole is a ValidationError, as other bad weightData is, not a TypeError', async () => {
    const { modelJSON, weightData } = toLayersModel(await network('float32', 'relu', 'softmax'));
    const half = weightData.byteLength / 2;
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [weightData.slice(0, half), , weightData.slice(half)] as ArrayBuffer[];
    await expect(fromLayersModel({ modelJSON, weightData: sparse })).rejects.toThrow(ValidationError);
    await expect(fromLayersModel({ modelJSON, weightData: sparse })).rejects.toThrow(/weightData\[1\] is a hole/);
    await expect(
      fromLayersModel({ modelJSON, weightData: [weightData.slice(0, half), 'x' as never, weightData.slice(half)] }),
    ).rejects.toThrow(ValidationError);
    expect(
      (
        await fromLayersModel(
          { modelJSON, weightData: [weightData.slice(0, half), weightData.slice(half)] },
          { backend: 'js' },
        )
      ).sizes,
    ).toEqual([4, 6, 5, 3]);
  });

  it("a Dropout rate that rounds to 0 in the 2^-24 steps is a ModelFormatError, with Network.create's reason", async () => {
    const { modelJSON, weightData } = toLayersModel(
      await Network.create({ layers: [3, 4, 2], activation: 'tanh', output: 'sigmoid', dropout: 0.5, seed: 1 }),
    );
    const layers = (
      modelJSON.modelTopology as { config: { layers: { class_name: string; config: { rate?: number } }[] } }
    ).config.layers;
    const dropout = layers.find((l) => l.class_name === 'Dropout')!;
    dropout.config.rate = 1e-12;
    const refused = await fromLayersModel({ modelJSON, weightData }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ModelFormatError);
    expect((refused as Error).message).toMatch(/^layers model: .*dropout of hidden layer 0: 1e-12 rounds to 0/);
    dropout.config.rate = 0.25;
    expect((await fromLayersModel({ modelJSON, weightData }, { backend: 'js' })).dropout).toEqual([0.25]);
  });
});

describe('loadLayersModel reads no weight file before it has checked model.json', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bpw-tfjs-attack-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A 64-4096-4096-1 model (17.1 M float32 weights, 68 MB) whose weights.bin is sparse: its size without its blocks. */
  async function bigModel(bytes?: number, hidden = 4096): Promise<number> {
    const names = ['dense_1', 'dense_2', 'dense_3'];
    const sizes = [64, hidden, hidden, 1];
    const weights = names.flatMap((n, l) => [
      { name: `${n}/kernel`, shape: [sizes[l]!, sizes[l + 1]!], dtype: 'float32' },
      { name: `${n}/bias`, shape: [sizes[l + 1]!], dtype: 'float32' },
    ]);
    const total = weights.reduce((s, w) => s + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
    const topology = denseChain(names, 64, hidden);
    (topology as { config: { layers: { config: { units?: number } }[] } }).config.layers[2]!.config.units = 1;
    await writeFile(
      join(dir, 'model.json'),
      JSON.stringify({
        format: 'layers-model',
        modelTopology: topology,
        weightsManifest: [{ paths: ['weights.bin'], weights }],
      }),
    );
    await writeFile(join(dir, 'weights.bin'), '');
    await truncate(join(dir, 'weights.bin'), bytes ?? total);
    return total;
  }

  it('memoryLimit: a ResourceError from model.json alone, before weights.bin is read', async () => {
    const total = await bigModel();
    const refused = await loadLayersModel(dir, { memoryLimit: 1e6 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ResourceError);
    expect((refused as ResourceError).message).toMatch(
      /^loadLayersModel: a 64-4096-4096-1 network has 17,051,649 parameters/,
    );
    // The same refusal when weights.bin is not a regular file at all: only model.json was looked at.
    await rm(join(dir, 'weights.bin'));
    await expect(loadLayersModel(dir, { memoryLimit: 1e6 })).rejects.toThrow(ResourceError);
    // Within the limit, the missing file is what is refused.
    await expect(loadLayersModel(dir, { memoryLimit: 4 * total + 1e6, backend: 'js' })).rejects.toThrow(
      /weight file "weights.bin" listed in model.json is missing/,
    );
  });

  it('without a backend the cap is the wasm one, as for Network.fromJSON: a memoryLimit above 4 GiB does not let model.json through', async () => {
    await bigModel(undefined, 20000);
    await rm(join(dir, 'weights.bin')); // only model.json can be looked at
    const refused = await loadLayersModel(dir, { memoryLimit: 8e9 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ResourceError);
    expect((refused as ResourceError).message).toMatch(/^loadLayersModel: a 64-20000-20000-1 network has/);
    expect((refused as ResourceError).available).toBeLessThan(2 ** 32);
  });

  it('weight files that do not add up to the manifest are refused from their sizes, before they are read', async () => {
    const total = await bigModel(2 ** 31 + 8); // more than readFile can read
    await expect(loadLayersModel(dir, { memoryLimit: 8 * total, backend: 'js' })).rejects.toThrow(
      new RegExp(`the weight files hold ${2 ** 31 + 8} bytes, the manifest lists ${total}`),
    );
  });
});
