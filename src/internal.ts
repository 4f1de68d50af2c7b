// What the subpaths (interchange/, cli/) use of the core beyond the public entries (index.ts,
// index.node.ts): the operation descriptors, checks and formulas they share with it. Nothing else of
// src/ is theirs to import (test/architecture.test.ts); package.json does not export this file.

export { argmax } from './ops/accuracy.js';
export { HIDDEN_ACTIVATIONS, LEAKY_SLOPE, activationOp, ACTIVATIONS } from './ops/activations.js';
export type { ActivationOp, OnnxExpr } from './ops/activations.js';
export { OPTIMIZER_NAMES } from './ops/optimizers.js';
export { badValue, storable } from './checks/data.js';
export { regression } from './train/metrics.js';
export { Rng } from './util/rng.js';
export { shown, shownText } from './errors.js';
export { checkMemoryLimit, checkNetworkSize } from './checks/limits.js';
export { resolveThreads } from './checks/threads.js';
export { PADDINGS, windowOf } from './layers/window.js';
export { LAYER_KINDS, LAYER_TYPES, MAX_IMAGE_VALUES, lowerLayers } from './layers/index.js';
export type { LayerType } from './layers/index.js';
export type { Window } from './layers/window.js';
export { checkAttached } from './checks/bytes.js';
