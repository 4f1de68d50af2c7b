// Seeded weight initialization, by the scheme the layer's activation declares (src/ops/activations.ts):
// Glorot uniform, limit √(6 / (in + out)), or He uniform, limit √(6 / in).
import { activationOp, type ActivationName } from '../ops/activations.js';
import type { Model } from '../backends/backend.js';
import { parameterShapesOf, type Architecture } from '../checks/options.js';
import { Rng } from '../util/rng.js';

/** `length` values (default inputs x outputs; a conv kernel's fan-in and fan-out count its window). */
export function initialWeights(
  rng: Rng,
  inputs: number,
  outputs: number,
  act: ActivationName,
  length = inputs * outputs,
): Float64Array {
  const limit = activationOp(act).init === 'he' ? Math.sqrt(6 / inputs) : Math.sqrt(6 / (inputs + outputs));
  const W = new Float64Array(length);
  for (let i = 0; i < W.length; i++) W[i] = (2 * rng.next() - 1) * limit;
  return W;
}

/** Writes a new network's seeded weights (zero biases): conv layers first, fan-in kh·kw·inChannels and fan-out kh·kw·filters as Keras counts them, then the dense layers. */
export function initializeParams(model: Model, arch: Architecture): void {
  const rng = new Rng(arch.seed),
    convs = arch.spatial.filter((c) => c.type === 'conv2d');
  parameterShapesOf(arch).forEach(({ W, b }, l) => {
    const act = l < convs.length ? convs[l]!.activation : arch.activations[l - convs.length]!;
    const field = W.length === 4 ? W[0]! * W[1]! : 1,
      inputs = W.slice(0, -1).reduce((a, v) => a * v, 1);
    model.writeParams(l, initialWeights(rng, inputs, field * b[0]!, act, inputs * b[0]!), new Float64Array(b[0]!));
  });
}
