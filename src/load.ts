// The public init(): optional, loads the WASM module from a URL, bytes or a compiled module.
import { init as initRuntime } from './backends/wasm/runtime.js';
import type { WasmSource } from './backends/wasm/loader.js';

/**
 * Loads the WebAssembly module (once). Optional: the first Network.create with the wasm backend
 * calls it. Pass a URL, the bytes or a compiled WebAssembly.Module where the default location (next
 * to this package's JavaScript) does not work, e.g. with a bundler that does not copy the .wasm.
 */
export async function init(source?: WasmSource): Promise<void> {
  await initRuntime(source);
}
