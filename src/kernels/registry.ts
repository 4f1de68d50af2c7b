// Every exported kernel, by the name it has in the WASM module. Tests and benchmarks iterate this
// list, so no kernel ships untested or unbenchmarked.
import type { DType } from '../types.js';

export type KernelFamily =
  | 'gemm' | 'gemmBiasActivation' | 'gemmActivationBackward' | 'biasActivation' | 'activationBackward' | 'outputDelta' | 'columnSums'
  | 'sgd' | 'momentum' | 'adam' | 'forward' | 'trainEpochs';

export interface KernelEntry {
  /** Export name in backprop.wasm, e.g. gemm_f32_tn. */
  name: string;
  family: KernelFamily;
  dtype: DType;
  /** The gemm form, for gemm entries. */
  variant?: 'nn' | 'tn' | 'nt';
}

const FAMILIES: [KernelFamily, string][] = [
  ['biasActivation', 'bias_activation'], ['activationBackward', 'activation_backward'],
  ['outputDelta', 'output_delta'], ['columnSums', 'column_sums'], ['sgd', 'sgd'],
  ['momentum', 'momentum'], ['adam', 'adam'], ['forward', 'forward'],
  ['trainEpochs', 'train_epochs'],
];

export const KERNELS: readonly KernelEntry[] = (['float32', 'float64'] as const).flatMap((dtype) => {
  const s = dtype === 'float32' ? 'f32' : 'f64';
  return [
    ...(['nn', 'tn', 'nt'] as const).map((variant) => ({ name: `gemm_${s}_${variant}`, family: 'gemm' as const, dtype, variant })),
    { name: `gemm_bias_activation_${s}_nn`, family: 'gemmBiasActivation' as const, dtype, variant: 'nn' as const },
    { name: `gemm_activation_backward_${s}_nt`, family: 'gemmActivationBackward' as const, dtype, variant: 'nt' as const },
    ...FAMILIES.map(([family, base]) => ({ name: `${base}_${s}`, family, dtype })),
  ];
});

/** Tile-edge sizes: below, at and above the register tile and block sizes. */
export const EDGE_SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129] as const;
