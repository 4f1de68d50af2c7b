// Loads dist/backprop.wasm without top-level await and without Node built-ins: from a URL (fetch,
// compileStreaming when the server sends application/wasm, bytes otherwise), from bytes, or from a
// compiled module. file: URLs are read by a reader that only the Node entry registers.
import type { WasmExports } from './exports.js';

/** Where the module can come from: a URL, its bytes, or an already compiled module. */
export type WasmSource = string | URL | ArrayBuffer | Uint8Array | WebAssembly.Module;

type FileReader = (url: URL) => Promise<Uint8Array>;
let readFile: FileReader | null = null;

/** Set by the Node entry (index.node.ts): how to read file: URLs. */
export function registerFileReader(reader: FileReader): void {
  readFile = reader;
}

/** The module next to this package's JavaScript (bundlers that follow new URL(..., import.meta.url) copy it). */
export function defaultWasmUrl(): URL {
  return new URL('../../../backprop.wasm', import.meta.url);
}

async function fetchModule(url: URL): Promise<WebAssembly.Module> {
  if (url.protocol === 'file:') {
    if (!readFile) throw new Error(`backprop-wasm: cannot read ${url.href} here; pass the module's bytes or URL to init()`);
    return WebAssembly.compile(await readFile(url) as BufferSource);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`backprop-wasm: fetching ${url.href} failed with HTTP ${response.status}`);
  if (typeof WebAssembly.compileStreaming === 'function'
    && response.headers.get('content-type')?.split(';')[0]?.trim() === 'application/wasm') {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

async function compile(source: WasmSource | undefined): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source as BufferSource);
  if (source === undefined) return fetchModule(defaultWasmUrl());
  const base = typeof location !== 'undefined' ? location.href : undefined;
  return fetchModule(new URL(source, base));
}

export async function instantiate(source?: WasmSource): Promise<WasmExports> {
  const module = await compile(source);
  const instance = await WebAssembly.instantiate(module, {});
  return instance.exports as unknown as WasmExports;
}
