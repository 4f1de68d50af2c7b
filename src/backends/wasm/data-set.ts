// A training data set copied into linear memory: the rows, the targets, the permutations of one
// call and the per-epoch statistics the fused loop writes; released when fit ends.
import type { DataSet } from '../backend.js';
import type { WasmRuntime } from './runtime.js';

export class WasmDataSet implements DataSet {
  constructor(
    private readonly rt: WasmRuntime,
    readonly x: number,
    readonly y: number,
    /** Permutations of one call (i32, epochsPerCall x rows), or 0 when rows are taken in order. */
    readonly permPtr: number,
    /** Per epoch of a call: (loss sum, score) as f64 pairs. */
    readonly statsPtr: number,
    readonly rows: number,
    readonly epochsPerCall: number,
  ) {}

  /** A view of the permutation buffer (rebuilt per access: memory may have grown since). */
  get perms(): Int32Array | null {
    if (!this.permPtr) return null;
    return new Int32Array(this.rt.raw.memory.buffer, this.permPtr, this.rows * this.epochsPerCall);
  }

  /** Loss sums and scores of the first `epochs` epochs of the last call. */
  stats(epochs: number): { losses: Float64Array; scores: Float64Array } {
    const pairs = new Float64Array(this.rt.raw.memory.buffer, this.statsPtr, 2 * epochs);
    const losses = new Float64Array(epochs),
      scores = new Float64Array(epochs);
    for (let e = 0; e < epochs; e++) {
      losses[e] = pairs[2 * e]!;
      scores[e] = pairs[2 * e + 1]!;
    }
    return { losses, scores };
  }

  release(): void {
    for (const p of [this.x, this.y, this.permPtr, this.statsPtr]) if (p) this.rt.arena.free(p);
  }
}
