// Backend lookup by name.
import type { Backend } from '../backend.js';
import type { BackendName, DType } from '../types.js';
import { createJsBackend } from './js/index.js';
import { createWasmBackend } from './wasm/index.js';
import { init } from './wasm/runtime.js';

/** The backend of that name and dtype (loading the WASM module on first use). */
export async function getBackend(name: BackendName, dtype: DType): Promise<Backend> {
  if (name === 'js') return createJsBackend(dtype);
  return createWasmBackend(await init(), dtype);
}
