// The dense layer kind: options (units, activation = 'linear', as Keras' Dense), shapes and
// parameters; one layer record of the fused loop (assembly/train.ts), its reference math in
// backends/js/model.ts and its initialization by the activation's descriptor (Glorot or He uniform).
import { check, shown } from '../errors.js';
import { OUTPUT_ACTIVATIONS } from '../ops/activations.js';
import type { DenseConfig, LayerKind } from './kind.js';

export const dense: LayerKind<DenseConfig> = {
  type: 'dense',
  defaults: { units: undefined, activation: 'linear' },
  check(c, where) {
    check(
      typeof c.units === 'number' && Number.isInteger(c.units) && c.units > 0,
      `${where}: units must be a positive integer; got ${shown(c.units)}`,
    );
    check(
      (OUTPUT_ACTIVATIONS as readonly unknown[]).includes(c.activation),
      `${where}: activation ${shown(c.activation)} is not one of ${OUTPUT_ACTIVATIONS.map((a) => `'${a}'`).join(', ')}`,
    );
  },
  outputShape(c, input, where) {
    check(
      input.length === 1,
      `${where}: a dense layer takes a flat input [features]; got the shape [${input.join(', ')}] (put a flatten layer before it)`,
    );
    return [c.units];
  },
  params: (c, input) => ({ W: [input[0]!, c.units], b: [c.units] }),
  lower(c, records) {
    records.sizes.push(c.units);
    records.activations.push(c.activation);
    records.dropout.push(0);
  },
};
