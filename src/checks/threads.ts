// Validation of Network.create's `threads`: 'auto' (the cores, where threads can run and the
// network is large enough for them to pay) or a count.
import { shown, ValidationError } from '../errors.js';
import { availableCores } from '../backends/wasm/features.js';
import { threadsSupported } from '../backends/wasm/threads.js';
import type { BackendName } from '../types.js';

/** Most threads a network takes. */
export const MAX_THREADS = 64;

/**
 * Weights of the largest layer below which 'auto' keeps one thread: such a layer's product reaches
 * the 2^17 multiply-adds from which the kernels split it only with batches of more than 8 rows,
 * and its share would be smaller than a parallel region's cost; the seed's 2-3-2 network gains
 * nothing from threads.
 */
export const AUTO_MIN_WEIGHTS = 1 << 14;

/**
 * Checks what does not depend on where it runs: 'auto', or an integer in [1, MAX_THREADS] (more
 * than 1 only on the wasm backend). trainInWorker checks this before its worker starts.
 */
export function checkThreads(value: unknown, backend: BackendName): asserts value is 'auto' | number | undefined {
  if (value === undefined || value === 'auto' || value === 1) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_THREADS) {
    throw new ValidationError(`threads must be 'auto' or an integer from 1 to ${MAX_THREADS}; got ${shown(value)}`);
  }
  if (backend !== 'wasm')
    throw new ValidationError(
      `threads: ${value} needs backend 'wasm' (the js backend runs on one thread); leave threads out or use 1`,
    );
}

/**
 * The thread count to run with: 1 by default, on the JS backend, or for 'auto' where threads cannot
 * run or where the network (`sizes`, the dense layer widths, when known; image networks pass none)
 * has no layer of AUTO_MIN_WEIGHTS.
 */
export function resolveThreads(value: unknown, backend: BackendName, sizes?: readonly number[]): number {
  checkThreads(value, backend);
  if (value === undefined || value === 1) return 1;
  if (value === 'auto') {
    const pays = !sizes || sizes.some((n, i) => i > 0 && n * sizes[i - 1]! >= AUTO_MIN_WEIGHTS);
    return backend === 'wasm' && threadsSupported() && pays ? Math.min(availableCores(), MAX_THREADS) : 1;
  }
  if (!threadsSupported()) {
    throw new ValidationError(
      `threads: ${value} needs a thread pool (Node's worker_threads, or in a browser a trainInWorker job on a cross-origin ` +
        'isolated page: COOP and COEP headers) and shared WebAssembly memory, which this context does not offer (see capabilities()); ' +
        "use threads: 'auto', which falls back to 1, or leave it out",
    );
  }
  return value;
}
