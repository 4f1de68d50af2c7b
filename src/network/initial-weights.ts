// Seeded weight initialization, by the scheme the layer's activation declares (src/ops/activations.ts):
// Glorot uniform, limit √(6 / (in + out)), or He uniform, limit √(6 / in).
import { activationOp, type OutputActivation } from '../ops/activations.js';
import type { Rng } from '../util/rng.js';

/** `length` values (default inputs x outputs; a conv kernel's fan-in and fan-out count its window). */
export function initialWeights(rng: Rng, inputs: number, outputs: number, act: OutputActivation, length = inputs * outputs): Float64Array {
  const limit = activationOp(act).init === 'he' ? Math.sqrt(6 / inputs) : Math.sqrt(6 / (inputs + outputs));
  const W = new Float64Array(length);
  for (let i = 0; i < W.length; i++) W[i] = (2 * rng.next() - 1) * limit;
  return W;
}
