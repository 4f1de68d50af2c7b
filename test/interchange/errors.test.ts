// Bad input to every interchange function gets a typed error: ValidationError for bad arguments,
// DisposedError for a disposed network (as everywhere in the library), ModelFormatError for bad files.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DisposedError, ModelFormatError, Network, ValidationError } from 'backprop-wasm';
import { fromONNX, toONNX } from 'backprop-wasm/onnx';
import { fromLayersModel, loadLayersModel, saveLayersModel, toLayersModel, type LayersModel } from 'backprop-wasm/tfjs';
import { network } from './helpers.js';

const disposed = async (): Promise<Network> => {
  const n = await network('float32', 'relu', 'softmax');
  n.dispose();
  return n;
};
const NOT_NETWORKS: unknown[] = [undefined, null, {}, { layers: [2, 1] }, 'net', 3];

describe('toONNX / fromONNX arguments', () => {
  it('toONNX: not a Network, disposed, bad options', async () => {
    for (const bad of NOT_NETWORKS) expect(() => toONNX(bad), String(bad)).toThrow(ValidationError);
    expect(() => toONNX(disposed as never)).toThrow(/expected a Network; got function/);
    expect(toONNX.bind(null, await disposed())).toThrow(DisposedError);
    const net = await network('float32', 'tanh', 'sigmoid');
    for (const opset of [12, 22, '17', 13.5, null])
      expect(() => toONNX(net, { opset: opset as number }), String(opset)).toThrow(ValidationError);
    expect(() => toONNX(net, { opst: 17 } as never)).toThrow(/unknown option 'opst'/);
    expect(() => toONNX(net, 17 as never)).toThrow(ValidationError);
  });

  it('fromONNX: not bytes, bad options (checked before the file), a memoryLimit the model exceeds', async () => {
    const bytes = toONNX(await network('float32', 'tanh', 'sigmoid'));
    for (const bad of [undefined, null, 'onnx', [8, 7], new Float32Array(4)])
      await expect(fromONNX(bad as never), String(bad)).rejects.toThrow(ValidationError);
    await expect(fromONNX(bytes, { backend: 'gpu' } as never)).rejects.toThrow(/backend "gpu"/);
    await expect(fromONNX(new Uint8Array([1, 2]), { backnd: 'js' } as never)).rejects.toThrow(
      /unknown option 'backnd'/,
    );
    await expect(fromONNX(bytes, { memoryLimit: -1 })).rejects.toThrow(/memoryLimit/);
    await expect(fromONNX(bytes, { memoryLimit: 100 })).rejects.toThrow(ValidationError);
  });

  it('threads, as Network.fromJSON takes it: a threaded network predicts as a one-thread one; bad counts are ValidationErrors', async () => {
    const net = await network('float32', 'tanh', 'sigmoid');
    const bytes = toONNX(net),
      model = toLayersModel(net);
    const x = new Float32Array(net.sizes[0]! * 5).map((_, i) => Math.sin(i));
    for (const loaded of [await fromONNX(bytes, { threads: 2 }), await fromLayersModel(model, { threads: 2 })]) {
      expect(loaded.threads).toBe(2);
      expect(loaded.predict(x)).toEqual(net.predict(x));
      loaded.dispose();
    }
    await expect(fromONNX(bytes, { threads: 2, backend: 'js' })).rejects.toThrow(
      /fromONNX: threads: 2 needs backend 'wasm'/,
    );
    await expect(fromONNX(bytes, { threads: 0 })).rejects.toThrow(ValidationError);
    await expect(fromLayersModel(model, { threads: 'all' as never })).rejects.toThrow(
      /fromLayersModel: threads must be 'auto' or an integer/,
    );
    await expect(fromLayersModel(model, { threads: 0 })).rejects.toThrow(
      /fromLayersModel: threads must be 'auto' or an integer from 1 to 64; got 0/,
    );
  });

  it('fromONNX: files that are not MLPs', async () => {
    const net = await Network.create({ layers: [2, 3, 1], activation: 'relu', seed: 1 });
    const good = toONNX(net);
    const swap = (from: string, to: string, all = true): Uint8Array => {
      const text = Buffer.from(good).toString('latin1');
      expect(text).toContain(from);
      return Uint8Array.from(Buffer.from(all ? text.replaceAll(from, to) : text.replace(from, to), 'latin1'));
    };
    await expect(fromONNX(swap('Relu', 'Selu'))).rejects.toThrow(
      /op 'Selu' \(node '\/layers.0\/Selu' \(Selu\)\) is not supported/,
    );
    await expect(fromONNX(swap('transB', 'transC'))).rejects.toThrow(
      /attribute 'transC' of node '\/layers.0\/Gemm' \(Gemm\) is not supported/,
    );
    await expect(fromONNX(swap('layers.1.weight', 'layers.1.wEight', false))).rejects.toThrow(
      /node '\/layers.1\/Gemm' \(Gemm\) takes its weight from 'layers.1.wEight', which is not an initializer/,
    );
    await expect(fromONNX(new TextEncoder().encode('not an onnx file at all'))).rejects.toThrow(ModelFormatError);
  });
});

describe('toLayersModel / fromLayersModel arguments and files', () => {
  let model: LayersModel;
  // biome-ignore lint/suspicious/noExplicitAny: the edits reach anywhere into a parsed model.json, as an attacker's would
  const edited = (f: (j: any) => void): LayersModel['modelJSON'] => {
    const j = structuredClone(model.modelJSON);
    f(j);
    return j;
  };
  const refuse = (modelJSON: unknown, message: RegExp, weightData: ArrayBuffer = model.weightData) =>
    expect(fromLayersModel({ modelJSON: modelJSON as never, weightData })).rejects.toThrow(message);

  it('toLayersModel: not a Network, disposed', async () => {
    for (const bad of NOT_NETWORKS) expect(() => toLayersModel(bad), String(bad)).toThrow(ValidationError);
    expect(toLayersModel.bind(null, await disposed())).toThrow(DisposedError);
  });

  it('fromLayersModel: bad arguments', async () => {
    model = toLayersModel(await network('float32', 'leakyRelu', 'softmax'));
    for (const bad of [
      undefined,
      null,
      'model',
      {},
      { modelJSON: model.modelJSON },
      { modelJSON: model.modelJSON, weightData: 'x' },
      { ...model, extra: 1 },
    ])
      await expect(fromLayersModel(bad as never), JSON.stringify(bad)?.slice(0, 40)).rejects.toThrow(ValidationError);
    await expect(fromLayersModel(model, { backend: 'cpu' } as never)).rejects.toThrow(ValidationError);
    await expect(fromLayersModel(model, { memoryLimit: 0 })).rejects.toThrow(ValidationError);
  });

  it('fromLayersModel: bad files name the layer or weight', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: as above, a parsed model.json edited anywhere
    const layers = (j: any): any[] => j.modelTopology.config.layers;
    await refuse('{"format": ', /not valid JSON/);
    await refuse(
      edited((j) => {
        j.format = 'graph-model';
      }),
      /graph models are not supported/,
    );
    await refuse(
      edited((j) => {
        delete j.modelTopology;
      }),
      /modelTopology must be an object/,
    );
    await refuse(
      edited((j) => {
        layers(j)[0].class_name = 'Conv2D';
      }),
      /layer 'dense_1' \(Conv2D\) needs an image input/,
    );
    await refuse(
      edited((j) => {
        layers(j)[0].class_name = 'Conv3D';
      }),
      /layer 'dense_1' \(Conv3D\) is not supported/,
    );
    await refuse(
      edited((j) => {
        layers(j)[0].config.activation = 'selu';
      }),
      /layer 'dense_1' \(Dense\) has the activation "selu"/,
    );
    await refuse(
      edited((j) => {
        layers(j)[1].config.alpha = 0.3;
      }),
      /layer 'leaky_re_lu_1' \(LeakyReLU\) has alpha 0.3/,
    );
    await refuse(
      edited((j) => {
        delete layers(j)[1].config.alpha;
      }),
      /alpha 0.3/,
    ); // tfjs' default
    await refuse(
      edited((j) => {
        layers(j)[0].config.activation = 'relu';
      }),
      /LeakyReLU\) follows no Dense, or one that already has an activation/,
    );
    await refuse(
      edited((j) => {
        layers(j).splice(1, 1);
        layers(j)[0].config.activation = 'softmax';
      }),
      /softmax in layer 0 is supported only as the output activation/,
    );
    await refuse(
      edited((j) => {
        j.weightsManifest[0].weights[0].dtype = 'int32';
      }),
      /weight 'dense_1\/kernel' has dtype "int32"/,
    );
    await refuse(
      edited((j) => {
        j.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 1, min: 0 };
      }),
      /quantized/,
    );
    await refuse(
      edited((j) => {
        j.weightsManifest[0].weights[1].name = 'dense_9/bias';
      }),
      /no weight 'dense_1\/bias'/,
    );
    await refuse(
      edited((j) => {
        j.weightsManifest[0].weights[0].shape = [6, 4];
      }),
      /has the shape \[6,4\]; layer 'dense_1' needs \[4,6\]/,
    );
    await refuse(model.modelJSON, /lists 332 bytes of weights, the weight data holds 331/, model.weightData.slice(1));
    const nan = model.weightData.slice(0);
    new DataView(nan).setFloat32(8, NaN, true);
    await refuse(model.modelJSON, /weight 'dense_1\/kernel': holds the non-finite value NaN at \[0, 2\]/, nan);
  });
});

describe('saveLayersModel / loadLayersModel arguments and folders', () => {
  it('refuses bad arguments, missing files, paths outside the folder, sizes that do not add up', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bpw-errors-'));
    try {
      const net = await network('float32', 'relu', 'softmax');
      await expect(saveLayersModel({} as never, dir)).rejects.toThrow(ValidationError);
      await expect(saveLayersModel(await disposed(), dir)).rejects.toThrow(DisposedError);
      await expect(saveLayersModel(net, '' as never)).rejects.toThrow(ValidationError);
      await expect(loadLayersModel(3 as never)).rejects.toThrow(ValidationError);
      await expect(loadLayersModel(join(dir, 'nothing-here'))).rejects.toThrow(/there is no model.json/);
      await saveLayersModel(net, dir);
      await expect(loadLayersModel(dir, { seed: 1 } as never)).rejects.toThrow(ValidationError);
      const { modelJSON } = toLayersModel(net);
      const write = (paths: string[]): Promise<void> =>
        writeFile(
          join(dir, 'model.json'),
          JSON.stringify({ ...modelJSON, weightsManifest: [{ ...modelJSON.weightsManifest[0], paths }] }),
        );
      for (const p of ['../weights.bin', '/etc/passwd', 'a/../../weights.bin']) {
        await write([p]);
        await expect(loadLayersModel(dir), p).rejects.toThrow(/leaves the folder/);
      }
      await write(['missing.bin']);
      await expect(loadLayersModel(dir)).rejects.toThrow(/weight file "missing.bin" listed in model.json is missing/);
      await mkdir(join(dir, 'sub'));
      await writeFile(join(dir, 'sub', 'short.bin'), new Uint8Array(8));
      await write(['sub/short.bin']);
      await expect(loadLayersModel(dir)).rejects.toThrow(/the weight files hold 8 bytes, the manifest lists/);
      await writeFile(join(dir, 'model.json'), '{ not json');
      await expect(loadLayersModel(dir)).rejects.toThrow(ModelFormatError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
