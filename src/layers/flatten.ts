// The flatten layer kind: [h, w, c] to [h·w·c] in channels-last order (Keras' Flatten on
// channels-last tensors), which is the memory order of an image row already: no data moves.
import { check } from '../errors.js';
import type { FlattenConfig, LayerKind } from './kind.js';

export const flatten: LayerKind<FlattenConfig> = {
  type: 'flatten',
  defaults: {},
  check() {},
  outputShape(_c, input, where) {
    check(input.length > 1, `${where}: its input [${input.join(', ')}] is flat already; leave the flatten out`);
    return [input.reduce((a, b) => a * b, 1)];
  },
  params: () => null,
  lower(c, records) {
    records.spatial.push(c);
  },
};
