// The layer table's layout as constant globals of the module: at load, src/backends/wasm/layout.ts
// compares every offset and size with its own (a stale .wasm is refused with "rebuild it").
export {
  H_LAYERS, H_LOSS, H_OPTIMIZER, H_WORKSPACE, H_MAX_ROWS, H_X_BATCH, H_Y_BATCH, H_FAILED_BATCH, H_FAILED_KIND, H_METRIC, H_DROPOUT_SEED, H_STAGES, H_COLS, H_INPUT_WIDTH,
  METRIC_CORRECT, METRIC_ABS_ERROR, FAIL_LOSS, FAIL_UPDATE, HEADER_WORDS,
  L_IN, L_OUT, L_ACT, L_W, L_B, L_DW, L_DB, L_A, L_D, L_S1W, L_S1B, L_S2W, L_S2B, L_Z, L_MASK, L_DROPPED, L_DROP_THRESHOLD, LAYER_WORDS,
  STAGE_CONV, STAGE_MAX_POOL, STAGE_AVERAGE_POOL, S_TYPE, S_HEIGHT, S_WIDTH, S_CHANNELS, S_KH, S_KW, S_SH, S_SW, S_TOP, S_LEFT, S_OH, S_OW,
  S_FILTERS, S_ACT, S_USE_BIAS, S_W, S_B, S_DW, S_DB, S_A, S_D, S_Z, S_ARGMAX, S_S1W, S_S1B, S_S2W, S_S2B, STAGE_WORDS,
} from "./layout";
