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
export const H_STAGES: i32 = 11;     // image stages (conv2d, pooling) before the dense layers; their records follow the layers'
export const H_COLS: i32 = 12;       // im2col scratch (maxRows x the widest conv stage's outH*outW*kh*kw*inC), 0 without conv
export const H_INPUT_WIDTH: i32 = 13; // elements of one input row (the image's, when stages come first)
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

// An image stage's record (STAGE_WORDS i32 words, after the L layer records). Flatten has none: channels-last
// rows are already flat, so the dense layers read the last stage's A and write its D.
export const STAGE_CONV: i32 = 1;
export const STAGE_MAX_POOL: i32 = 2;
export const STAGE_AVERAGE_POOL: i32 = 3;
export const S_TYPE: i32 = 0;        // STAGE_*
export const S_HEIGHT: i32 = 1;      // input [height, width, channels]
export const S_WIDTH: i32 = 2;
export const S_CHANNELS: i32 = 3;
export const S_KH: i32 = 4;          // window (kernel or pool) height and width
export const S_KW: i32 = 5;
export const S_SH: i32 = 6;          // strides
export const S_SW: i32 = 7;
export const S_TOP: i32 = 8;         // padding before the first window row / column (Keras' 'same' rule)
export const S_LEFT: i32 = 9;
export const S_OH: i32 = 10;         // output height and width
export const S_OW: i32 = 11;
export const S_FILTERS: i32 = 12;    // output channels (conv: filters; pooling: the input's channels)
export const S_ACT: i32 = 13;        // conv: ACT_* code
export const S_USE_BIAS: i32 = 14;   // conv: 1 with a bias (else b stays zero, db is zero)
export const S_W: i32 = 15;          // conv: W [kh][kw][channels][filters], b, dW, db
export const S_B: i32 = 16;
export const S_DW: i32 = 17;
export const S_DB: i32 = 18;
export const S_A: i32 = 19;          // output (maxRows x oh x ow x filters)
export const S_D: i32 = 20;          // its gradient (dL/dA, then dL/dZ for conv)
export const S_Z: i32 = 21;          // conv: z + b when the activation's derivative is taken from z, else 0
export const S_ARGMAX: i32 = 22;     // max pooling: i32 index (within the batch) of each output's input
export const S_S1W: i32 = 23;        // conv: optimizer state as a layer's
export const S_S1B: i32 = 24;
export const S_S2W: i32 = 25;
export const S_S2B: i32 = 26;
export const STAGE_WORDS: i32 = 28;

@inline export function header(net: usize, field: i32): i32 {
  return load<i32>(net + (<usize>field << 2));
}

@inline export function layerField(net: usize, l: i32, field: i32): i32 {
  return load<i32>(net + (<usize>(HEADER_WORDS + l * LAYER_WORDS + field) << 2));
}

@inline export function stageField(net: usize, s: i32, field: i32): i32 {
  return load<i32>(net + (<usize>(HEADER_WORDS + header(net, H_LAYERS) * LAYER_WORDS + s * STAGE_WORDS + field) << 2));
}
