// Seeded weight initialization: Glorot uniform for sigmoid/tanh/linear/softmax, He uniform for relu.
import type { Rng } from './rng.js';
import type { OutputActivation } from './types.js';

export function initialWeights(rng: Rng, inputs: number, outputs: number, act: OutputActivation): Float64Array {
  const limit = act === 'relu' || act === 'leakyRelu'
    ? Math.sqrt(6 / inputs)
    : Math.sqrt(6 / (inputs + outputs));
  const W = new Float64Array(inputs * outputs);
  for (let i = 0; i < W.length; i++) W[i] = (2 * rng.next() - 1) * limit;
  return W;
}
