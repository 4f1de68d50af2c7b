// Shared by the ONNX and TensorFlow.js interchange tests: seeded inputs, networks of every activation,
// and comparisons that name the first mismatch.
import { expect } from 'vitest';
import { ModelFormatError, Network, type DType, type HiddenActivation, type ActivationName } from 'backprop-wasm';
import { HIDDEN_ACTIVATIONS } from '../../dist/src/ops/activations.js';

/** Every hidden activation, from the descriptors: a new one is exported and read back without editing the tests. */
export const HIDDEN: readonly HiddenActivation[] = HIDDEN_ACTIVATIONS;
export const DTYPES: DType[] = ['float32', 'float64'];
/** Agreement with onnxruntime / TensorFlow.js: |ours - theirs| <= tol * max(1, |theirs|). */
export const TOL: Record<DType, number> = { float32: 2e-6, float64: 1e-12 };

/** A seeded generator (mulberry32) of values in [lo, hi). */
export function seeded(seed: number): (lo?: number, hi?: number) => number {
  let s = seed >>> 0;
  return (lo = -1, hi = 1) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  };
}

/** rows x cols inputs in [-2, 2), as a typed array of the dtype. */
export function inputs(dtype: DType, rows: number, cols: number, seed = 5): Float32Array | Float64Array {
  const next = seeded(seed);
  const data = Array.from({ length: rows * cols }, () => next(-2, 2));
  return dtype === 'float32' ? Float32Array.from(data) : Float64Array.from(data);
}

/** A 4-6-5-3 network, trained a little so that biases are not zero. */
export async function network(
  dtype: DType,
  hidden: HiddenActivation,
  output: ActivationName,
  seed = 3,
): Promise<Network> {
  const net = await Network.create({
    layers: [4, 6, 5, 3],
    activation: hidden,
    output,
    dtype,
    seed,
    loss: output === 'softmax' ? 'crossEntropy' : 'mse',
  });
  const x = inputs(dtype, 16, 4, seed + 1);
  const y = inputs(dtype, 16, 3, seed + 2).map((v) => (v + 2) / 4);
  net.fit(x, output === 'softmax' ? y.map((_v, i) => (i % 3 === 0 ? 1 : 0)) : y, {
    epochs: 3,
    learningRate: 0.05,
    optimizer: 'adam',
  });
  return net;
}

export function expectAgree(ours: ArrayLike<number>, theirs: ArrayLike<number>, tol: number, what: string): void {
  if (ours.length !== theirs.length) throw new Error(`${what}: ${ours.length} values, expected ${theirs.length}`);
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i]!,
      b = theirs[i]!;
    if (!(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b))))
      throw new Error(`${what}: index ${i}: ours ${a}, theirs ${b} (|diff| ${Math.abs(a - b)} > ${tol})`);
  }
}

/** Bitwise equality (Object.is, so -0 and NaN count). */
export function expectBits(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) throw new Error(`${what}: lengths ${a.length} and ${b.length}`);
  for (let i = 0; i < a.length; i++)
    if (!Object.is(a[i], b[i])) throw new Error(`${what}: index ${i}: ${a[i]} vs ${b[i]}`);
}

export const flatWeights = (net: Network): number[] => net.getWeights().flatMap(({ W, b }) => [...W.flat(), ...b]);

/**
 * One corrupted file: either a ModelFormatError (counted as refused, null) or a network (counted as
 * loaded) that reads back, through its own export, exactly as it was read. A load that hangs is
 * caught by the test's timeout, never by a wall-clock bound (which a loaded machine breaks).
 */
export async function loadOrRefuse(
  load: () => Promise<Network>,
  reread: (net: Network) => Promise<Network>,
  outcomes: { refused: number; loaded: number },
): Promise<Network | null> {
  const result = await load().then(
    (net) => net,
    (e: unknown) => e,
  );
  if (!(result instanceof Network)) {
    expect(result).toBeInstanceOf(ModelFormatError);
    outcomes.refused++;
    return null;
  }
  outcomes.loaded++;
  expect(flatWeights(await reread(result))).toEqual(flatWeights(result));
  return result;
}
