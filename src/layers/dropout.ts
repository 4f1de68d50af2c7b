// The dropout layer kind: inverted dropout of the previous dense layer's outputs during fit, with
// masks from a counter-based hash (ops/dropout.ts, assembly/dropout.ts). It has no parameters and
// keeps the shape; it lowers to the rate of the record before it, so it must follow a hidden dense layer.
import { check, shown } from '../errors.js';
import { dropoutThreshold } from '../ops/dropout.js';
import type { DropoutConfig, LayerKind } from './kind.js';

export const dropout: LayerKind<DropoutConfig> = {
  type: 'dropout',
  defaults: { rate: undefined },
  check(c, where) {
    const r = c.rate;
    check(
      typeof r === 'number' && Number.isFinite(r) && r >= 0 && r < 1,
      `${where}: rate must be in [0, 1); got ${shown(r)}`,
    );
    // The kernels apply rates in steps of 2^-24: a rate that rounds to 0 or to 1 would do nothing, or drop every unit.
    const t = dropoutThreshold(r);
    check(
      r === 0 || (t > 0 && t < 2 ** 24),
      `${where}: rate ${r} rounds to ${t === 0 ? 0 : 1} in the 2^-24 steps dropout uses; use a rate in [6e-8, 0.99999994]`,
    );
  },
  outputShape: (_c, input) => input,
  params: () => null,
  lower(c, records, where) {
    const last = records.dropout.length - 1;
    check(last >= 0, `${where}: dropout must follow a dense layer (dropout of the inputs is not supported)`);
    check(records.dropout[last] === 0, `${where}: two dropout layers follow one another; give one rate`);
    records.dropout[last] = c.rate;
  },
};
