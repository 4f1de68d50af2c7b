// The WebAssembly backend: kernels and models over one module's linear memory. Loading goes
// through here, so the module is warmed up once, above the runtime that only instantiates it.
import type { Backend, ModelSpec } from '../backend.js';
import type { DType } from '../../util/float-array.js';
import { createWasmKernels, WasmBuffer } from './kernels.js';
import type { WasmSource } from './loader.js';
import { WasmModel } from './model.js';
import { init, type InitOptions, type WasmRuntime } from './runtime.js';
import { warmUp } from './warmup.js';
import { createThreadedRuntime } from './threads.js';

const warm = new WeakSet<WasmRuntime>();

/** Loads the module (once), warmed up. */
export async function loadWasm(source?: WasmSource, options?: InitOptions): Promise<WasmRuntime> {
  const rt = await init(source, options);
  if (!warm.has(rt)) {
    warm.add(rt);
    warmUp(rt);
  }
  return rt;
}

export function createWasmBackend(rt: WasmRuntime, dtype: DType): Backend {
  return {
    name: 'wasm',
    dtype,
    kernels: createWasmKernels(rt, dtype),
    alloc: (n: number) => new WasmBuffer(rt, dtype, n),
    createModel: (spec: ModelSpec) => new WasmModel(rt, spec, dtype),
  };
}

/** A backend with its own threaded runtime (the loaded kernel build, threaded), for one network. */
export async function createThreadedBackend(dtype: DType, threads: number): Promise<Backend> {
  const base = await loadWasm();
  const t = await createThreadedRuntime(threads, base.kernels);
  if (!warm.has(t.rt)) {
    warm.add(t.rt);
    warmUp(t.rt);
  }
  return { ...createWasmBackend(t.rt, dtype), threads, dispose: t.stop };
}
