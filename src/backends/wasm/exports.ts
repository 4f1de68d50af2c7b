// The raw exports of dist/backprop.wasm (assembly/index.ts): pointers are byte offsets.

type Gemm = (
  m: number,
  n: number,
  k: number,
  a: number,
  lda: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
  acc: boolean | number,
  ws: number,
) => void;

type FusedGemm = (
  m: number,
  n: number,
  k: number,
  a: number,
  lda: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
  aux: number,
  act: number,
  ws: number,
) => void;

export interface DTypeExports {
  gemm_bias_activation_nn: FusedGemm;
  gemm_activation_backward_nt: FusedGemm;
  gemm_nn: Gemm;
  gemm_tn: Gemm;
  gemm_nt: Gemm;
  bias_activation(act: number, rows: number, cols: number, z: number, bias: number): void;
  activation_backward(act: number, n: number, a: number, delta: number): void;
  output_delta(
    loss: number,
    act: number,
    rows: number,
    cols: number,
    a: number,
    z: number,
    y: number,
    d: number,
    scale: number,
  ): number;
  column_sums(rows: number, cols: number, m: number, out: number): void;
  update(
    opt: number,
    n: number,
    w: number,
    g: number,
    s1: number,
    s2: number,
    lr: number,
    hyperBlock: number,
    t: number,
    weights: boolean | number,
  ): void;
  forward(net: number, x: number, rows: number): number;
  train_epochs(
    net: number,
    x: number,
    y: number,
    perms: number,
    n: number,
    batch: number,
    epochs: number,
    lr: number,
    mean: boolean | number,
    hyperBlock: number,
    t0: number,
    losses: number,
  ): number;
}

export interface WasmExports {
  memory: WebAssembly.Memory;
  heap_base(): number;
  gemm_workspace_bytes(): number;
  net_descriptor_bytes(layers: number): number;
  optimizer_params_bytes(): number;
  [name: string]: unknown;
}

const NAMES: (keyof DTypeExports)[] = [
  'gemm_bias_activation_nn',
  'gemm_activation_backward_nt',
  'gemm_nn',
  'gemm_tn',
  'gemm_nt',
  'bias_activation',
  'activation_backward',
  'output_delta',
  'column_sums',
  'update',
  'forward',
  'train_epochs',
];

/** The exports of one dtype under suffix-free names (gemm_f32_nn becomes gemm_nn). */
export function exportsFor(ex: WasmExports, suffix: 'f32' | 'f64'): DTypeExports {
  const out: Record<string, unknown> = {};
  for (const name of NAMES) {
    // gemm_nn -> gemm_f32_nn, gemm_bias_activation_nn -> gemm_bias_activation_f32_nn, sgd -> sgd_f32
    const form = /_(nn|tn|nt)$/.exec(name);
    const full = form ? `${name.slice(0, -3)}_${suffix}_${form[1]}` : `${name}_${suffix}`;
    const fn = ex[full];
    if (typeof fn !== 'function') throw new Error(`backprop.wasm lacks the export ${full}: rebuild it (npm run build)`);
    out[name] = fn;
  }
  return out as unknown as DTypeExports;
}
