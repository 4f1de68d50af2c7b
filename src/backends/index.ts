// Backend lookup by name.
import type { Backend } from './backend.js';
import type { DType } from '../util/float-array.js';

export type BackendName = 'wasm' | 'js';
import { createJsBackend } from './js/index.js';
import { createThreadedBackend, createWasmBackend, loadWasm } from './wasm/index.js';

/** The backend of that name and dtype (loading the WASM module on first use); threads > 1: a threaded one of its own. */
export async function getBackend(name: BackendName, dtype: DType, threads = 1): Promise<Backend> {
  if (name === 'js') return createJsBackend(dtype);
  if (threads > 1) return createThreadedBackend(dtype, threads);
  return createWasmBackend(await loadWasm(), dtype);
}
