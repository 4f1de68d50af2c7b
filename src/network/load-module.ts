// The public init() and capabilities(): loads the WASM module (from a URL, bytes or a compiled
// module, or the best kernel build for this engine), and says what the engine offers.
import { loadWasm } from '../backends/wasm/index.js';
import type { WasmSource } from '../backends/wasm/loader.js';
import type { InitOptions } from '../backends/wasm/runtime.js';
import { engineCapabilities, KERNEL_VARIANTS, type Capabilities } from '../backends/wasm/features.js';
import { oneOf, shown, ValidationError } from '../errors.js';
import { checkKeys } from '../checks/options.js';
import { checkAttached } from '../checks/bytes.js';

function isSource(value: unknown): value is WasmSource {
  return (
    typeof value === 'string' ||
    value instanceof URL ||
    value instanceof ArrayBuffer ||
    value instanceof Uint8Array ||
    value instanceof WebAssembly.Module
  );
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : shown(value);
}

/** A string source must parse as a URL (relative ones against the page, where there is one). */
function checkUrl(source: string): void {
  const base = typeof location !== 'undefined' ? location.href : undefined;
  try {
    new URL(source, base);
  } catch {
    throw new ValidationError(
      `init: ${shown(source)} is not a URL${base === undefined ? ' (with no page to resolve it against, an absolute one such as file:///path/backprop.wasm or https://host/backprop.wasm)' : ''}; ` +
        "init takes the module's URL (a string or URL), its bytes (Uint8Array or ArrayBuffer), a compiled WebAssembly.Module, or nothing for the default location",
    );
  }
}

function checkInitOptions(options: unknown): InitOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError(
      `init options must be an object such as { kernels: 'simd128' } or left out; got ${describe(options)}`,
    );
  }
  checkKeys(options, ['kernels'], 'init');
  const { kernels } = options as InitOptions;
  if (kernels !== undefined && !KERNEL_VARIANTS.includes(kernels)) {
    throw new ValidationError(
      `init: kernels ${shown(kernels)} is not one of ${oneOf(KERNEL_VARIANTS)}; leave it out for the best this engine supports`,
    );
  }
  return kernels === undefined ? {} : { kernels };
}

/**
 * Loads the WebAssembly module (once). Optional: the first Network.create with the wasm backend
 * calls it. Pass a URL, the bytes or a compiled WebAssembly.Module where the default location (next
 * to this package's JavaScript) does not work, e.g. with a bundler that does not copy the .wasm;
 * that module is used as given. Without one, the best build this engine supports is fetched:
 * relaxed SIMD (fused multiply-add) where it validates, plain SIMD otherwise.
 * `init({ kernels: 'simd128' })` (or `init(source, { kernels })`) forces a build.
 */
export async function init(source?: WasmSource | InitOptions, options?: InitOptions): Promise<void> {
  if (source !== undefined && !isSource(source)) {
    const plain =
      typeof source === 'object' &&
      source !== null &&
      !Array.isArray(source) &&
      Object.getPrototypeOf(source) === Object.prototype;
    if (!plain || options !== undefined || Object.keys(source).length === 0) {
      throw new ValidationError(
        `init takes the module's URL (a string or URL), its bytes (Uint8Array or ArrayBuffer) or a compiled ` +
          `WebAssembly.Module, or nothing for the default location, then optionally { kernels }; got ${describe(source)}`,
      );
    }
    await loadWasm(undefined, checkInitOptions(source));
    return;
  }
  checkAttached(source, 'init');
  if (typeof source === 'string') checkUrl(source);
  await loadWasm(source, checkInitOptions(options));
}

/**
 * What the running engine offers: the kernel build init() picks by default ('relaxed-simd' where
 * the engine validates relaxed SIMD, else 'simd128'), its cores, and whether a shared
 * WebAssembly.Memory can be created (browsers: only on crossOriginIsolated pages).
 */
export async function capabilities(): Promise<Capabilities> {
  return engineCapabilities();
}
