// The WebAssembly backend: kernels and models over one module's linear memory.
import type { Backend, ModelSpec } from '../../backend.js';
import type { DType } from '../../types.js';
import { createWasmKernels, WasmBuffer } from './kernels.js';
import { WasmModel } from './model.js';
import type { WasmRuntime } from './runtime.js';

export function createWasmBackend(rt: WasmRuntime, dtype: DType): Backend {
  return {
    name: 'wasm',
    dtype,
    kernels: createWasmKernels(rt, dtype),
    alloc: (n: number) => new WasmBuffer(rt, dtype, n),
    createModel: (spec: ModelSpec) => new WasmModel(rt, spec, dtype),
  };
}
