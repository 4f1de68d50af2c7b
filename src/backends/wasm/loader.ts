// Loads the module without top-level await and without Node built-ins: from a URL (fetch,
// compileStreaming when the server sends application/wasm, bytes otherwise), from bytes, or from a
// compiled module. file: URLs are read by a reader that only the Node entry registers. Without a
// source, only the chosen variant's file is fetched (dist/backprop-relaxed.wasm or dist/backprop.wasm).
import type { WasmExports } from './exports.js';
import type { KernelVariant } from './features.js';

/** Where the module can come from: a URL, its bytes, or an already compiled module. */
export type WasmSource = string | URL | ArrayBuffer | Uint8Array | WebAssembly.Module;

type FileReader = (url: URL) => Promise<Uint8Array>;
let readFile: FileReader | null = null;

/** Set by the Node entry (index.node.ts): how to read file: URLs. */
export function registerFileReader(reader: FileReader): void {
  readFile = reader;
}

/**
 * The variant's module next to this package's JavaScript. One literal new URL(..., import.meta.url)
 * per file, so bundlers that follow them copy both.
 */
export function defaultWasmUrl(variant: KernelVariant = 'simd128'): URL {
  return variant === 'relaxed-simd'
    ? new URL('../../../backprop-relaxed.wasm', import.meta.url)
    : new URL('../../../backprop.wasm', import.meta.url);
}

/** The variant's threaded build (shared memory, worker loop), next to this package's JavaScript. */
export function threadsWasmUrl(variant: KernelVariant): URL {
  return variant === 'relaxed-simd'
    ? new URL('../../../backprop-relaxed-threads.wasm', import.meta.url)
    : new URL('../../../backprop-threads.wasm', import.meta.url);
}

/** Compiles the variant's threaded build. */
export function compileThreaded(variant: KernelVariant): Promise<WebAssembly.Module> {
  return fetchModule(threadsWasmUrl(variant));
}

async function fetchModule(url: URL): Promise<WebAssembly.Module> {
  if (url.protocol === 'file:') {
    if (!readFile)
      throw new Error(`backprop-wasm: cannot read ${url.href} here; pass the module's bytes or URL to init()`);
    return WebAssembly.compile((await readFile(url)) as BufferSource);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`backprop-wasm: fetching ${url.href} failed with HTTP ${response.status}`);
  if (
    typeof WebAssembly.compileStreaming === 'function' &&
    response.headers.get('content-type')?.split(';')[0]?.trim() === 'application/wasm'
  ) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

async function compile(source: WasmSource | undefined, variant: KernelVariant): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source as BufferSource);
  if (source === undefined) return fetchModule(defaultWasmUrl(variant));
  const base = typeof location !== 'undefined' ? location.href : undefined;
  return fetchModule(new URL(source, base));
}

/** A user-given source is used as given; `variant` picks the default file when there is none. */
export async function instantiate(source: WasmSource | undefined, variant: KernelVariant): Promise<WasmExports> {
  const module = await compile(source, variant);
  const instance = await WebAssembly.instantiate(module, {});
  return instance.exports as unknown as WasmExports;
}
