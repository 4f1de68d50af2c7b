// Every exported kernel, by the name it has in the WASM module, with the operations it dispatches
// over (from their descriptors). Tests and benchmarks iterate this list, so no kernel (and no
// operation of a kernel) ships untested or unbenchmarked.
import { ACTIVATIONS } from '../ops/activations.js';
import { LOSSES } from '../ops/losses.js';
import { OPTIMIZERS } from '../ops/optimizers.js';
import type { DType } from '../util/float-array.js';

export type KernelFamily =
  | 'gemm'
  | 'gemmBiasActivation'
  | 'gemmActivationBackward'
  | 'biasActivation'
  | 'activationBackward'
  | 'outputDelta'
  | 'columnSums'
  | 'update'
  | 'forward'
  | 'trainEpochs';

export interface KernelEntry {
  /** Export name in backprop.wasm, e.g. gemm_f32_tn. */
  name: string;
  family: KernelFamily;
  dtype: DType;
  /** The gemm form, for gemm entries. */
  variant?: 'nn' | 'tn' | 'nt';
  /** The operations the kernel takes by code (activations, losses or optimizers), for dispatching kernels. */
  ops?: readonly string[];
}

const elementwise = ACTIVATIONS.filter((a) => a.kind === 'elementwise').map((a) => a.name);
const FAMILIES: [family: KernelFamily, base: string, ops?: readonly string[]][] = [
  ['biasActivation', 'bias_activation', ACTIVATIONS.map((a) => a.name)],
  ['activationBackward', 'activation_backward', elementwise],
  ['outputDelta', 'output_delta', LOSSES.map((l) => l.name)],
  ['columnSums', 'column_sums'],
  ['update', 'update', OPTIMIZERS.map((o) => o.name)],
  ['forward', 'forward'],
  ['trainEpochs', 'train_epochs'],
];

export const KERNELS: readonly KernelEntry[] = (['float32', 'float64'] as const).flatMap((dtype) => {
  const s = dtype === 'float32' ? 'f32' : 'f64';
  return [
    ...(['nn', 'tn', 'nt'] as const).map((variant) => ({
      name: `gemm_${s}_${variant}`,
      family: 'gemm' as const,
      dtype,
      variant,
    })),
    {
      name: `gemm_bias_activation_${s}_nn`,
      family: 'gemmBiasActivation' as const,
      dtype,
      variant: 'nn' as const,
      ops: elementwise,
    },
    {
      name: `gemm_activation_backward_${s}_nt`,
      family: 'gemmActivationBackward' as const,
      dtype,
      variant: 'nt' as const,
      ops: elementwise,
    },
    ...FAMILIES.map(([family, base, ops]) => ({ name: `${base}_${s}`, family, dtype, ...(ops ? { ops } : {}) })),
  ];
});

/** Tile-edge sizes: below, at and above the register tile and block sizes. */
export const EDGE_SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129] as const;
