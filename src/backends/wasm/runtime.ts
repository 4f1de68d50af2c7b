// One instantiated module per process (or per worker): its exports, its arena and the gemm scratch.
import { Arena } from './arena.js';
import { exportsFor, type DTypeExports, type WasmExports } from './exports.js';
import { instantiate, type WasmSource } from './loader.js';
import { descriptorWords } from './layout.js';
import { ALL_OPS } from '../../ops/index.js';

export interface WasmRuntime {
  readonly raw: WasmExports;
  readonly arena: Arena;
  /** Scratch for gemm packing, shared by every call (calls never overlap: one thread). */
  readonly workspace: number;
  /** The f64 block an optimizer reads its hyper-parameters from (written before each call that updates). */
  readonly params: number;
  writeParams(values: readonly number[]): void;
  readonly f32: DTypeExports;
  readonly f64: DTypeExports;
}

let pending: Promise<WasmRuntime> | null = null;
let sourceUrl: string | null = null;

/** The module's operation codes (constant globals) must be the descriptors' (src/ops/); a stale or foreign .wasm would not match. */
export function checkOpCodes(raw: WasmExports): void {
  for (const op of ALL_OPS) {
    const global = raw[op.abi];
    const code = global instanceof WebAssembly.Global ? global.value : undefined;
    if (code !== op.code) {
      throw new Error(`backprop-wasm: backprop.wasm gives ${op.family} '${op.name}' the code ${String(code)} (${op.abi}), `
        + `but this JavaScript uses ${op.code}; rebuild it (npm run build)`);
    }
  }
}

function createRuntime(raw: WasmExports): WasmRuntime {
  // assembly/layout.ts and layout.ts must agree on the layer table; a stale .wasm would not.
  if (raw.net_descriptor_bytes(3) !== descriptorWords(3) * 4) {
    throw new Error('backprop-wasm: backprop.wasm does not match this JavaScript (layer table layout); rebuild it (npm run build)');
  }
  checkOpCodes(raw);
  const arena = new Arena(raw.memory, raw.heap_base());
  const [workspace, params] = arena.allocAll([raw.gemm_workspace_bytes(), raw.optimizer_params_bytes()]);
  const capacity = raw.optimizer_params_bytes() / 8;
  return {
    raw, arena, workspace: workspace!, params: params!, f32: exportsFor(raw, 'f32'), f64: exportsFor(raw, 'f64'),
    writeParams(values) {
      if (values.length > capacity) throw new Error(`backprop-wasm: an optimizer with ${values.length} hyper-parameters; the module reads at most ${capacity}`);
      const block = new Float64Array(raw.memory.buffer, params!, values.length);
      for (let i = 0; i < values.length; i++) block[i] = values[i]!;
    },
  };
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
