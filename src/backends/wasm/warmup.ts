// V8 runs a WASM function in its baseline tier until it has used a budget of work, and a call
// already running stays there. A long first epoch would run unoptimized, so the module is warmed
// up on small shapes at load: every dtype, optimizer and loss path, packed and small gemm paths.
import type { OptimizerConfig } from '../../backend.js';
import type { DType, OptimizerName } from '../../types.js';
import { WasmModel } from './model.js';
import type { WasmRuntime } from './runtime.js';

const OPTIMIZERS: OptimizerName[] = ['sgd', 'momentum', 'adam'];

export function warmUp(rt: WasmRuntime): void {
  for (const dtype of ['float32', 'float64'] as DType[]) {
    for (const [inputs, hidden, rows] of [[2, 3, 2], [64, 40, 24]] as const) {
      const model = new WasmModel(rt, {
        loss: 'crossEntropy',
        layers: [
          { inputs, outputs: hidden, activation: 'sigmoid' },
          { inputs: hidden, outputs: 4, activation: 'softmax' },
        ],
      }, dtype);
      const x = dtype === 'float32' ? new Float32Array(rows * inputs) : new Float64Array(rows * inputs);
      const y = dtype === 'float32' ? new Float32Array(rows * 4) : new Float64Array(rows * 4);
      for (let i = 0; i < x.length; i++) x[i] = ((i * 7919) % 13) / 13 - 0.5;
      for (let r = 0; r < rows; r++) y[r * 4 + (r % 4)] = 1;
      const data = model.loadData(x, y, rows, 40, false);
      for (const name of OPTIMIZERS) {
        const optimizer: OptimizerConfig = { name, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
        model.prepare(rows, name);
        model.trainEpochs(data, 40, rows, { learningRate: 1e-3, reduction: 'mean', optimizer }, 0);
      }
      model.predict(x, rows, new (x.constructor as Float32ArrayConstructor)(rows * 4));
      data.release();
      model.dispose();
    }
  }
}
