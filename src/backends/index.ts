// Backend lookup by name.
import type { Backend } from './backend.js';
import type { DType } from '../util/float-array.js';

export type BackendName = 'wasm' | 'js';
import { createJsBackend } from './js/index.js';
import { createWasmBackend, loadWasm } from './wasm/index.js';

/** The backend of that name and dtype (loading the WASM module on first use). */
export async function getBackend(name: BackendName, dtype: DType): Promise<Backend> {
  if (name === 'js') return createJsBackend(dtype);
  return createWasmBackend(await loadWasm(), dtype);
}
