// The network descriptor ("layer table") that src/backends/wasm/layout.ts writes into linear memory.
// All fields are i32 words. The module exports these constants (assembly/abi.ts) and the TypeScript
// side compares them with its own at load.

export const H_LAYERS: i32 = 0;      // number of layers L
export const H_LOSS: i32 = 1;        // LOSS_* code
export const H_OPTIMIZER: i32 = 2;   // OPT_* code
export const H_WORKSPACE: i32 = 3;   // gemm scratch pointer
export const H_MAX_ROWS: i32 = 4;    // rows the A/D buffers hold
export const H_X_BATCH: i32 = 5;     // gathered input rows (maxRows x inputs)
export const H_Y_BATCH: i32 = 6;     // gathered target rows (maxRows x outputs)
export const H_FAILED_BATCH: i32 = 7;// written by trainEpochs: index of the batch that failed, else -1
export const H_FAILED_KIND: i32 = 8; // why: FAIL_LOSS (non-finite loss) or FAIL_UPDATE (non-finite gradient/update)
export const H_METRIC: i32 = 9;     // the per-epoch score: METRIC_CORRECT (classification) or METRIC_ABS_ERROR (regression)
export const H_DROPOUT_SEED: i32 = 10; // u32 seed of the dropout masks
export const METRIC_CORRECT: i32 = 0;
export const METRIC_ABS_ERROR: i32 = 1;
export const FAIL_LOSS: i32 = 1;
export const FAIL_UPDATE: i32 = 2;
export const HEADER_WORDS: i32 = 16;

export const L_IN: i32 = 0;
export const L_OUT: i32 = 1;
export const L_ACT: i32 = 2;
export const L_W: i32 = 3;
export const L_B: i32 = 4;
export const L_DW: i32 = 5;
export const L_DB: i32 = 6;
export const L_A: i32 = 7;           // activations out of the layer (maxRows x out)
export const L_D: i32 = 8;           // deltas dL/dZ of the layer (maxRows x out)
export const L_S1W: i32 = 9;         // optimizer state 1 (momentum velocity, adam m)
export const L_S1B: i32 = 10;
export const L_S2W: i32 = 11;        // optimizer state 2 (adam v)
export const L_S2B: i32 = 12;
export const L_Z: i32 = 13;           // z + b (maxRows x out), kept for the output's loss (cross-entropy) or a derivative from z; else 0
export const L_MASK: i32 = 14;        // dropout: the mask of the last training batch (maxRows x out), 0 without dropout
export const L_DROPPED: i32 = 15;     // dropout: A ⊙ mask, the next layer's input in training
export const L_DROP_THRESHOLD: i32 = 16; // dropout rate in units of 2^-24 (0: none)
export const LAYER_WORDS: i32 = 20;

@inline export function header(net: usize, field: i32): i32 {
  return load<i32>(net + (<usize>field << 2));
}

@inline export function layerField(net: usize, l: i32, field: i32): i32 {
  return load<i32>(net + (<usize>(HEADER_WORDS + l * LAYER_WORDS + field) << 2));
}
