// One instantiated module per process (or per worker): its exports, its arena and the gemm scratch.
import { Arena } from './arena.js';
import { exportsFor, type DTypeExports, type WasmExports } from './exports.js';
import { instantiate, type WasmSource } from './loader.js';
import { checkLayout, descriptorWords } from './layout.js';
import { ALL_OPS } from '../../ops/index.js';
import { LEAKY_SLOPE } from '../../ops/activations.js';
import { ValidationError } from '../../errors.js';
import { bestKernels, relaxedSimdSupported, type KernelVariant } from './features.js';

export interface WasmRuntime {
  readonly raw: WasmExports;
  /** Which build is loaded (read from the module's RELAXED_SIMD global). */
  readonly kernels: KernelVariant;
  readonly arena: Arena;
  /** Scratch for gemm packing, shared by every call (calls never overlap: one thread). */
  readonly workspace: number;
  /** The f64 block an optimizer reads its hyper-parameters from (written before each call that updates). */
  readonly hyperBlock: number;
  writeHyperParams(values: readonly number[]): void;
  readonly f32: DTypeExports;
  readonly f64: DTypeExports;
  /** Threaded runtimes: whether a worker's share trapped (the module then traps on every call). */
  threadFailed?(): boolean;
}

/** init()'s options. */
export interface InitOptions {
  /** Force a kernel build: 'simd128' runs the plain one where relaxed SIMD would be chosen. */
  kernels?: KernelVariant;
}

let pending: Promise<WasmRuntime> | null = null;
let sourceUrl: string | null = null;
let forced: KernelVariant | null = null;

/** The module's operation codes (constant globals) must be the descriptors' (src/ops/); a stale or foreign .wasm would not match. */
export function checkOpCodes(raw: WasmExports): void {
  for (const op of ALL_OPS) {
    const global = raw[op.abi];
    const code = global instanceof WebAssembly.Global ? global.value : undefined;
    if (code !== op.code) {
      throw new Error(
        `backprop-wasm: backprop.wasm gives ${op.family} '${op.name}' the code ${String(code)} (${op.abi}), ` +
          `but this JavaScript uses ${op.code}; rebuild it (npm run build)`,
      );
    }
  }
  // The one constant an operation carries (assembly/codes.ts LEAKY_SLOPE, f64).
  const slope = raw.LEAKY_SLOPE instanceof WebAssembly.Global ? raw.LEAKY_SLOPE.value : undefined;
  if (slope !== LEAKY_SLOPE)
    throw new Error(
      `backprop-wasm: backprop.wasm has the leaky ReLU slope ${String(slope)}, but this JavaScript uses ${LEAKY_SLOPE}; rebuild it (npm run build)`,
    );
}

function variantOf(raw: WasmExports): KernelVariant {
  const flag = raw.RELAXED_SIMD instanceof WebAssembly.Global ? raw.RELAXED_SIMD.value : undefined;
  if (flag !== 0 && flag !== 1)
    throw new Error(
      'backprop-wasm: the module does not say which kernel build it is (RELAXED_SIMD); rebuild it (npm run build)',
    );
  return flag === 1 ? 'relaxed-simd' : 'simd128';
}

/** A runtime over an instantiated module's exports (checked against this JavaScript). */
export function createRuntime(raw: WasmExports): WasmRuntime {
  // assembly/layout.ts and layout.ts must agree on the layer table; a stale .wasm would not.
  checkLayout(raw);
  if (raw.net_descriptor_bytes(3) !== descriptorWords(3) * 4) {
    throw new Error(
      'backprop-wasm: backprop.wasm does not match this JavaScript (layer table layout); rebuild it (npm run build)',
    );
  }
  checkOpCodes(raw);
  const arena = new Arena(raw.memory, raw.heap_base());
  const [workspace, hyperBlock] = arena.allocAll([raw.gemm_workspace_bytes(), raw.optimizer_params_bytes()]);
  const capacity = raw.optimizer_params_bytes() / 8;
  return {
    raw,
    kernels: variantOf(raw),
    arena,
    workspace: workspace!,
    hyperBlock: hyperBlock!,
    f32: exportsFor(raw, 'f32'),
    f64: exportsFor(raw, 'f64'),
    writeHyperParams(values) {
      if (values.length > capacity)
        throw new Error(
          `backprop-wasm: an optimizer with ${values.length} hyper-parameters; the module reads at most ${capacity}`,
        );
      const block = new Float64Array(raw.memory.buffer, hyperBlock!, values.length);
      for (let i = 0; i < values.length; i++) block[i] = values[i]!;
    },
  };
}

function checkVariant(rt: WasmRuntime, wanted: KernelVariant | undefined): WasmRuntime {
  if (wanted !== undefined && rt.kernels !== wanted) {
    throw new ValidationError(
      `init: the module is the ${rt.kernels} build, but kernels: '${wanted}' was asked for; ` +
        'call init({ kernels }) before anything loads the module (the first Network.create does), and pass the matching .wasm if you give one',
    );
  }
  return rt;
}

/**
 * Loads a runtime of its own (not the shared one): for tests and benchmarks that compare the builds.
 * A source is used as given (and must be the `kernels` build if that is named); without one, the
 * `kernels` build is fetched, or the best this engine validates.
 */
export async function loadRuntime(source?: WasmSource, kernels?: KernelVariant): Promise<WasmRuntime> {
  if (kernels === 'relaxed-simd' && source === undefined && !relaxedSimdSupported()) {
    throw new ValidationError(
      "kernels: 'relaxed-simd' is not supported by this engine (it does not validate relaxed SIMD, e.g. Node 20); " +
        "leave kernels out to get the best supported build, or use 'simd128'",
    );
  }
  return checkVariant(createRuntime(await instantiate(source, kernels ?? bestKernels())), kernels);
}

/**
 * Loads and instantiates the module (once; later calls return the same runtime). Optional: the
 * first Network.create calls it. Pass a URL, bytes or a compiled module where the default location
 * (next to this package's JavaScript) does not work; that module is used as given. Without one,
 * the best kernel build the engine validates is fetched (and only that one), unless
 * options.kernels names one.
 */
export function init(source?: WasmSource, options: InitOptions = {}): Promise<WasmRuntime> {
  const wanted = options.kernels;
  if (!pending) {
    // Recorded only once the module works from there: after a failed init(url), workers must not use url.
    const url =
      typeof source === 'string' || source instanceof URL
        ? new URL(source, typeof location !== 'undefined' ? location.href : undefined).href
        : null;
    pending = loadRuntime(source, wanted).then((rt) => {
      sourceUrl = url;
      forced = wanted ?? null;
      return rt;
    });
    pending.catch(() => {
      pending = null;
    });
    return pending;
  }
  return pending.then((rt) => checkVariant(rt, wanted));
}

/** The kernel build init() was told to load, if it was: workers load the same. */
export function forcedKernels(): KernelVariant | null {
  return forced;
}

/** The URL the module was loaded from, when init() was given one and it worked: workers load it from there too. */
export function wasmSourceUrl(): string | null {
  return sourceUrl;
}
