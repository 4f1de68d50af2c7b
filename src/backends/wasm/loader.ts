// Loads dist/backprop.wasm once per process, in Node (file read) or a browser (fetch), without top-level await.
import type { WasmExports } from './exports.js';

/** Where the module can come from: a URL, its bytes, or an already compiled module. */
export type WasmSource = string | URL | ArrayBuffer | Uint8Array | WebAssembly.Module;

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

function defaultUrl(): URL {
  return new URL('../../../backprop.wasm', import.meta.url);
}

async function fetchModule(url: URL): Promise<WebAssembly.Module> {
  if (isNode && url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return WebAssembly.compile(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`backprop-wasm: fetching ${url.href} failed with HTTP ${response.status}`);
  if (typeof WebAssembly.compileStreaming === 'function'
    && response.headers.get('content-type')?.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

async function compile(source: WasmSource | undefined): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source as BufferSource);
  return fetchModule(source === undefined ? defaultUrl() : new URL(source));
}

export async function instantiate(source?: WasmSource): Promise<WasmExports> {
  const module = await compile(source);
  const instance = await WebAssembly.instantiate(module, {
    env: { abort: () => { throw new Error('backprop-wasm: abort in WebAssembly'); } },
  });
  return instance.exports as unknown as WasmExports;
}
