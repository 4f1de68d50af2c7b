// V8 runs a WASM function in its baseline tier until it has used a budget of work, and a call
// already running stays there. A long first epoch would run unoptimized, so the module is warmed
// up on small shapes when the backend loads: every dtype and optimizer, packed and small gemm paths.
import type { OptimizerConfig } from '../backend.js';
import { OPTIMIZERS } from '../../ops/optimizers.js';
import { allocFloat, type DType } from '../../util/float-array.js';
import { WasmModel } from './model.js';
import type { WasmRuntime } from './runtime.js';

export function warmUp(rt: WasmRuntime): void {
  for (const dtype of ['float32', 'float64'] as DType[]) {
    for (const [inputs, hidden, rows] of [
      [2, 3, 2],
      [64, 40, 24],
    ] as const) {
      const model = new WasmModel(
        rt,
        {
          loss: 'crossEntropy',
          metric: 'accuracy',
          dropoutSeed: 1,
          layers: [
            { inputs, outputs: hidden, activation: 'sigmoid', dropout: 0.25 },
            { inputs: hidden, outputs: 4, activation: 'softmax', dropout: 0 },
          ],
        },
        dtype,
      );
      const x = allocFloat(dtype, rows * inputs),
        y = allocFloat(dtype, rows * 4);
      for (let i = 0; i < x.length; i++) x[i] = ((i * 7919) % 13) / 13 - 0.5;
      for (let r = 0; r < rows; r++) y[r * 4 + (r % 4)] = 1;
      const data = model.loadData(x, y, rows, 40, false);
      for (const op of OPTIMIZERS) {
        const optimizer: OptimizerConfig = {
          name: op.name,
          hyperParams: Object.fromEntries(op.hyperParams.map((p) => [p.name, p.default])),
        };
        model.prepare(rows, op.name);
        model.trainEpochs(data, 40, rows, { learningRate: 1e-3, reduction: 'mean', optimizer }, 0);
      }
      model.forwardRows(x, y, 0, rows, allocFloat(dtype, rows * 4));
      data.release();
      model.dispose();
    }
  }
}
