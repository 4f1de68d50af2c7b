// What the running engine offers: relaxed SIMD (a tiny hand-written module that uses
// f32x4.relaxed_madd must validate), shared WebAssembly memory, and how many cores.

/** Which build of the kernels: relaxed SIMD (fused multiply-add) or plain 128-bit SIMD. */
export type KernelVariant = 'relaxed-simd' | 'simd128';

export const KERNEL_VARIANTS: readonly KernelVariant[] = ['relaxed-simd', 'simd128'];

/** What capabilities() reports. */
export interface Capabilities {
  /** The kernels this engine runs best: 'relaxed-simd' where it validates relaxed SIMD, 'simd128' otherwise. */
  kernels: KernelVariant;
  threads: {
    /** Cores: os.availableParallelism() in Node, navigator.hardwareConcurrency in browsers. */
    available: number;
    /** Whether a shared WebAssembly.Memory can be created (in browsers: only when crossOriginIsolated). */
    sharedMemory: boolean;
  };
}

// (module (func (param v128 v128 v128) (result v128)
//   local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd))   ; 0xfd 0x105
const RELAXED_PROBE = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00,
  0x01,
  0x08,
  0x01,
  0x60,
  0x03,
  0x7b,
  0x7b,
  0x7b,
  0x01,
  0x7b, // type section: (v128 v128 v128) -> v128
  0x03,
  0x02,
  0x01,
  0x00, // function section: one function of type 0
  0x0a,
  0x0d,
  0x01,
  0x0b,
  0x00,
  0x20,
  0x00,
  0x20,
  0x01,
  0x20,
  0x02,
  0xfd,
  0x85,
  0x02,
  0x0b, // code
]);

let relaxed: boolean | null = null;

/** Whether this engine validates f32x4.relaxed_madd (Node 22+, Chromium; Node 20 only behind a flag). */
export function relaxedSimdSupported(): boolean {
  if (relaxed === null) {
    try {
      relaxed = WebAssembly.validate(RELAXED_PROBE);
    } catch {
      relaxed = false;
    }
  }
  return relaxed;
}

/** The variant init() loads when not told: the best this engine validates. */
export function bestKernels(): KernelVariant {
  return relaxedSimdSupported() ? 'relaxed-simd' : 'simd128';
}

export function sharedMemorySupported(): boolean {
  const isolated = (globalThis as { crossOriginIsolated?: unknown }).crossOriginIsolated;
  if (isolated === false || typeof SharedArrayBuffer !== 'function') return false;
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

let coreCount: (() => number) | null = null;

/** Set by the Node entry: os.availableParallelism (Node 20 has no navigator). */
export function registerCoreCount(count: () => number): void {
  coreCount = count;
}

export function availableCores(): number {
  const n = coreCount
    ? coreCount()
    : (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 1;
}

export function engineCapabilities(): Capabilities {
  return { kernels: bestKernels(), threads: { available: availableCores(), sharedMemory: sharedMemorySupported() } };
}
