// The layer table's layout as constant globals of the module: at load, src/backends/wasm/layout.ts
// compares every offset and size with its own (a stale .wasm is refused with "rebuild it").
export {
  H_LAYERS, H_LOSS, H_OPTIMIZER, H_WORKSPACE, H_MAX_ROWS, H_X_BATCH, H_Y_BATCH, H_FAILED_BATCH, H_FAILED_KIND, H_METRIC, H_DROPOUT_SEED,
  METRIC_CORRECT, METRIC_ABS_ERROR, FAIL_LOSS, FAIL_UPDATE, HEADER_WORDS,
  L_IN, L_OUT, L_ACT, L_W, L_B, L_DW, L_DB, L_A, L_D, L_S1W, L_S1B, L_S2W, L_S2B, L_Z, L_MASK, L_DROPPED, L_DROP_THRESHOLD, LAYER_WORDS,
} from "./layout";
