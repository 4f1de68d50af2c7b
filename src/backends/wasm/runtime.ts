// One instantiated module per process (or per worker): its exports, its arena and the gemm scratch.
import { Arena } from './arena.js';
import { exportsFor, type DTypeExports, type WasmExports } from './exports.js';
import { instantiate, type WasmSource } from './loader.js';
import { warmUp } from './warmup.js';
import { descriptorWords } from './layout.js';

export interface WasmRuntime {
  readonly raw: WasmExports;
  readonly arena: Arena;
  /** Scratch for gemm packing, shared by every call (calls never overlap: one thread). */
  readonly workspace: number;
  readonly f32: DTypeExports;
  readonly f64: DTypeExports;
}

let pending: Promise<WasmRuntime> | null = null;
let sourceUrl: string | null = null;

function createRuntime(raw: WasmExports): WasmRuntime {
  // assembly/layout.ts and layout.ts must agree on the layer table; a stale .wasm would not.
  if (raw.net_descriptor_bytes(3) !== descriptorWords(3) * 4) {
    throw new Error('backprop-wasm: backprop.wasm does not match this JavaScript (layer table layout); rebuild it (npm run build)');
  }
  const arena = new Arena(raw.memory, raw.heap_base());
  const workspace = arena.alloc(raw.gemm_workspace_bytes());
  const rt = { raw, arena, workspace, f32: exportsFor(raw, 'f32'), f64: exportsFor(raw, 'f64') };
  warmUp(rt);
  return rt;
}

/**
 * Loads and instantiates the module (once; later calls return the same runtime). Optional: the
 * first Network.create calls it. Pass a URL, bytes or a compiled module where the default location
 * (next to this package's JavaScript) does not work.
 */
export function init(source?: WasmSource): Promise<WasmRuntime> {
  if (!pending) {
    // Recorded only once the module works from there: after a failed init(url), workers must not use url.
    const url = typeof source === 'string' || source instanceof URL
      ? new URL(source, typeof location !== 'undefined' ? location.href : undefined).href : null;
    pending = instantiate(source).then((raw) => {
      const rt = createRuntime(raw);
      sourceUrl = url;
      return rt;
    });
    pending.catch(() => { pending = null; });
  }
  return pending;
}

/** The URL the module was loaded from, when init() was given one and it worked: workers load it from there too. */
export function wasmSourceUrl(): string | null {
  return sourceUrl;
}
