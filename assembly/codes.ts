// Numeric codes of the ABI: activations, losses and optimizers by number. Exported as constant
// globals; the descriptors in src/ops/ must give the same codes (checked at load).

export const ACT_LINEAR: i32 = 0;
export const ACT_SIGMOID: i32 = 1;
export const ACT_TANH: i32 = 2;
export const ACT_RELU: i32 = 3;
export const ACT_LEAKY_RELU: i32 = 4;
export const ACT_SOFTMAX: i32 = 5;
export const ACT_GELU: i32 = 6;
export const ACT_SWISH: i32 = 7;
export const ACT_ELU: i32 = 8;
export const ACT_SOFTPLUS: i32 = 9;

export const LOSS_MSE: i32 = 0;
export const LOSS_CROSS_ENTROPY: i32 = 1;

export const OPT_SGD: i32 = 0;
export const OPT_MOMENTUM: i32 = 1;
export const OPT_ADAM: i32 = 2;
export const OPT_ADAMW: i32 = 3;

/** Slope of leakyRelu for negative inputs. */
export const LEAKY_SLOPE: f64 = 0.01;
