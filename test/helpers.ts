// Shared test utilities: backends from the built package, seeded data, comparisons that name the mismatch.
import '../dist/src/node/files.js'; // the Node entry's file reader, for tests that use internals directly
import { getBackend } from '../dist/src/backends/index.js';
import { createWasmBackend } from '../dist/src/backends/wasm/index.js';
import { loadRuntime, type WasmRuntime } from '../dist/src/backends/wasm/runtime.js';
import { relaxedSimdSupported, type KernelVariant } from '../dist/src/backends/wasm/features.js';
import { Rng } from '../dist/src/util/rng.js';
import type { Backend, FloatBuffer } from '../dist/src/backends/backend.js';
import type { DType } from '../dist/src/types.js';

export { getBackend, Rng };
export type { Backend, FloatBuffer, DType };

export const DTYPES: DType[] = ['float32', 'float64'];

export async function backendPair(dtype: DType): Promise<{ wasm: Backend; js: Backend }> {
  return { wasm: await getBackend('wasm', dtype), js: await getBackend('js', dtype) };
}

/** The kernel builds this engine runs: both where it validates relaxed SIMD (Node 22+), simd128 alone on Node 20. */
export const VARIANTS: KernelVariant[] = relaxedSimdSupported() ? ['simd128', 'relaxed-simd'] : ['simd128'];

/** Each variant with each dtype, for describe.each. */
export const VARIANT_DTYPES: [KernelVariant, DType][] = VARIANTS.flatMap((v) =>
  DTYPES.map((d) => [v, d] as [KernelVariant, DType]),
);

const runtimes = new Map<KernelVariant, Promise<WasmRuntime>>();

/** A WASM backend on a runtime of its own loaded from the variant's file, with the JS reference. */
export async function variantPair(variant: KernelVariant, dtype: DType): Promise<{ wasm: Backend; js: Backend }> {
  if (!runtimes.has(variant)) runtimes.set(variant, loadRuntime(undefined, variant));
  return { wasm: createWasmBackend(await runtimes.get(variant)!, dtype), js: await getBackend('js', dtype) };
}

/** n uniform values in [lo, hi) from a seeded generator. */
export function randomArray(rng: Rng, n: number, lo = -1, hi = 1): Float64Array {
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.next());
}

/** A buffer of the backend holding `values`. */
export function bufferOf(backend: Backend, values: ArrayLike<number>): FloatBuffer {
  const b = backend.alloc(values.length);
  b.view().set(values);
  return b;
}

/**
 * Throws naming the first index where |got - want| > atol + rtol * |scale[i] or want|.
 * `scale` lets gemm bound error by sum |a||b| rather than by a result that cancelled to ~0.
 */
export function expectClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  rtol: number,
  atol: number,
  what: string,
  scale?: ArrayLike<number>,
): void {
  if (got.length !== want.length) throw new Error(`${what}: length ${got.length}, expected ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!,
      w = want[i]!;
    const bound = atol + rtol * Math.abs(scale ? scale[i]! : w);
    if (!(Math.abs(g - w) <= bound)) {
      throw new Error(
        `${what}: first mismatch at index ${i}: got ${g}, reference ${w} (|diff| ${Math.abs(g - w)} > ${bound})`,
      );
    }
  }
}

/** Largest relative difference |a - b| / |b|. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1e-300));
  return worst;
}
