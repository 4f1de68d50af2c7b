// Every descriptor reaches every consumer: an activation is in the CLI's choices and help, in the
// ONNX and TensorFlow.js maps (written and read back), in the buffer plan and the memory formula
// (z kept exactly where its derivative needs it), and in the module's code table; every optimizer is
// a CLI choice; every layer kind is in the list the consumers iterate. A descriptor that misses one
// fails here (or, for the typed tables, does not compile).
import { describe, expect, it } from 'vitest';
import { Network } from 'backprop-wasm';
import { fromONNX, toONNX } from 'backprop-wasm/onnx';
import { fromLayersModel, toLayersModel } from 'backprop-wasm/tfjs';
import { ACTIVATIONS, HIDDEN_ACTIVATIONS } from '../dist/src/ops/activations.js';
import { OPTIMIZER_NAMES } from '../dist/src/ops/optimizers.js';
import { USAGE } from '../dist/src/cli/help.js';
import { FORMS, parseLayers } from '../dist/src/cli/layer-spec.js';
import { batchBuffers } from '../dist/src/backends/buffer-plan.js';
import { fitBytes } from '../dist/src/checks/limits.js';
import { LAYER_KINDS, LAYER_TYPES } from '../dist/src/layers/index.js';
import { init } from '../dist/src/backends/wasm/runtime.js';
import type { HiddenActivation } from '../dist/src/types.js';

const HIDDEN = HIDDEN_ACTIVATIONS as readonly HiddenActivation[];

describe('every descriptor reaches every consumer', () => {
  it('the CLI offers every hidden activation and every optimizer, in its help too', () => {
    const line = (flag: string) => USAGE.train!.split('\n').find((l) => l.includes(flag))!;
    for (const a of HIDDEN) expect(line('--activation'), a).toContain(a);
    for (const o of OPTIMIZER_NAMES) expect(line('--optimizer'), o).toContain(o);
  });

  it.each(HIDDEN)('%s: the module has its code; ONNX and TensorFlow.js write it and read it back', async (act) => {
    const rt = await init();
    const op = ACTIVATIONS.find((a) => a.name === act)!;
    expect((rt.raw[op.abi] as WebAssembly.Global).value).toBe(op.code);
    const net = await Network.create({
      layers: [3, 4, 2],
      activation: act,
      output: 'softmax',
      loss: 'crossEntropy',
      seed: 1,
    });
    expect((await fromONNX(toONNX(net))).activations).toEqual([act, 'softmax']);
    expect((await fromLayersModel(toLayersModel(net))).activations).toEqual([act, 'softmax']);
  });

  it.each(HIDDEN)(
    '%s: the buffer plan keeps z exactly when its derivative is taken from z, and the memory formula counts it',
    (act) => {
      const op = ACTIVATIONS.find((a) => a.name === act)!;
      const fromInput = op.kind === 'elementwise' && op.from === 'input';
      const spec = (a: HiddenActivation) =>
        ({
          loss: 'mse',
          layers: [
            { inputs: 3, outputs: 40, activation: a, dropout: 0 },
            { inputs: 40, outputs: 2, activation: 'linear', dropout: 0 },
          ],
        }) as const;
      expect(batchBuffers(spec(act))[0]).toEqual(fromInput ? ['A', 'D', 'Z'] : ['A', 'D']);
      const extra =
        fitBytes(spec(act), 'float64', 100, 10, 1, false) - fitBytes(spec('relu'), 'float64', 100, 10, 1, false);
      expect(extra).toBe(fromInput ? 10 * 40 * 8 : 0);
    },
  );

  it('every layer kind is in the list the consumers iterate, keyed by its type', () => {
    expect(LAYER_TYPES.length).toBeGreaterThanOrEqual(2);
    for (const type of LAYER_TYPES) expect(LAYER_KINDS[type].type).toBe(type);
  });

  it('every layer kind has a --layers form in the CLI help whose example parses to that kind, with options the kind declares', () => {
    for (const type of LAYER_TYPES) {
      const form = FORMS[type];
      expect(USAGE.train, type).toContain(form.syntax);
      const [layer] = parseLayers(form.example, 'relu').layers;
      expect(layer!.type, form.example).toBe(type);
      for (const key of Object.keys(layer!))
        if (key !== 'type') expect(Object.keys(LAYER_KINDS[type].defaults), `${type}.${key}`).toContain(key);
    }
  });
});
