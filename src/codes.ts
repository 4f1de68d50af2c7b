// Names to the numeric codes of the WASM ABI; mirrors assembly/codes.ts.
import type { LossName, OptimizerName, OutputActivation } from './types.js';

export const ACTIVATION_CODES: Readonly<Record<OutputActivation, number>> = {
  linear: 0, sigmoid: 1, tanh: 2, relu: 3, leakyRelu: 4, softmax: 5,
};
export const LOSS_CODES: Readonly<Record<LossName, number>> = { mse: 0, crossEntropy: 1 };
export const OPTIMIZER_CODES: Readonly<Record<OptimizerName, number>> = { sgd: 0, momentum: 1, adam: 2 };

/** Slope of leakyRelu for negative inputs (both backends). */
export const LEAKY_SLOPE = 0.01;
/** Probabilities are clamped to this before log in cross-entropy (both backends). */
export const LOG_EPSILON = 1e-12;
