// The public init(): optional, loads the WASM module from a URL, bytes or a compiled module.
import { loadWasm } from '../backends/wasm/index.js';
import type { WasmSource } from '../backends/wasm/loader.js';
import { ValidationError } from '../errors.js';

/**
 * Loads the WebAssembly module (once). Optional: the first Network.create with the wasm backend
 * calls it. Pass a URL, the bytes or a compiled WebAssembly.Module where the default location (next
 * to this package's JavaScript) does not work, e.g. with a bundler that does not copy the .wasm.
 */
export async function init(source?: WasmSource): Promise<void> {
  const ok = source === undefined || typeof source === 'string' || source instanceof URL || source instanceof ArrayBuffer
    || source instanceof Uint8Array || source instanceof WebAssembly.Module;
  if (!ok) {
    throw new ValidationError(`init takes the module's URL (a string or URL), its bytes (Uint8Array or ArrayBuffer) or a compiled `
      + `WebAssembly.Module, or nothing for the default location; got ${source === null ? 'null' : typeof source === 'object' ? 'an object' : JSON.stringify(source)}`);
  }
  await loadWasm(source);
}
