// Worker threads over one shared memory (the threaded builds only: ASC_FEATURE_THREADS). The
// calling thread publishes a product in a control block, every thread computes its share of the
// output's row tiles (whole MR-row tiles, never a split of k) with its own scratch, and a barrier
// on an atomic counter ends the call. Each element is summed exactly as on one thread, so results
// are bit-identical for any thread count. Instance globals are per thread: all shared state is in
// the control block, which the TypeScript arena allocates (the module never allocates).
import { gemmPacked, MR } from "./gemm";

// Control block: i32 words, at these byte offsets (exported: src/backends/wasm/threads.ts checks its own at load).
export const CTL_GEN: i32 = 0;       // job generation, bumped to start a job (workers wait on it)
export const CTL_DONE: i32 = 4;      // workers that finished the current job (the caller waits on it)
export const CTL_ERROR: i32 = 8;     // set by a worker whose share trapped; every later call traps
export const CTL_KIND: i32 = 12;     // KIND_*
export const CTL_COUNT: i32 = 16;    // threads, the caller included
export const CTL_WS: i32 = 20;       // first thread's gemm scratch; thread t's is WS + t * WS_STRIDE
export const CTL_WS_STRIDE: i32 = 24;
export const CTL_JOB: i32 = 32;      // 14 words of gemm arguments
const GEN = <usize>CTL_GEN, DONE = <usize>CTL_DONE, ERROR = <usize>CTL_ERROR, KIND = <usize>CTL_KIND;
const COUNT = <usize>CTL_COUNT, WS = <usize>CTL_WS, WS_STRIDE = <usize>CTL_WS_STRIDE, JOB = <usize>CTL_JOB;
/** Bytes of the control block. */
export const CONTROL_BYTES: i32 = 128;

const KIND_EXIT: i32 = -1;
const KIND_F32: i32 = 1;
const KIND_F64: i32 = 2;
/** Below this many multiply-adds a product stays on the calling thread. */
const PARALLEL_MIN: i64 = 1 << 17;

// The calling thread's control block (0: one thread). A global: per instance, so workers never see it.
let control: usize = 0;

export function configureThreads(ctl: usize): void { control = ctl; }

@inline function share(t: i32, n: i32, tiles: i32): i32 {
  // Thread t's first row tile: tiles split as evenly as possible, in whole tiles.
  return <i32>((<i64>tiles * <i64>t) / <i64>n);
}

function runShare(ctl: usize, t: i32): void {
  const j = ctl + JOB;
  const kind = load<i32>(ctl + KIND);
  const n = load<i32>(ctl + COUNT);
  const m = load<i32>(j, 12);
  const tiles = (m + MR - 1) / MR;
  const i0 = min(share(t, n, tiles) * MR, m), i1 = min(share(t + 1, n, tiles) * MR, m);
  if (i1 <= i0) return;
  const ws = <usize>load<i32>(ctl + WS) + <usize>t * <usize>load<i32>(ctl + WS_STRIDE);
  const transA = load<i32>(j) != 0, transB = load<i32>(j, 4) != 0;
  const nn = load<i32>(j, 8), k = load<i32>(j, 16);
  const a = <usize>load<i32>(j, 20), lda = load<i32>(j, 24), b = <usize>load<i32>(j, 28), ldb = load<i32>(j, 32);
  const c = <usize>load<i32>(j, 36), ldc = load<i32>(j, 40), acc = load<i32>(j, 44) != 0;
  const epi = load<i32>(j, 48), act = load<i32>(j, 52), aux = <usize>load<i32>(j, 56);
  if (kind == KIND_F32) gemmPacked<f32>(transA, transB, i0, i1, nn, k, a, lda, b, ldb, c, ldc, acc, ws, epi, act, aux);
  else gemmPacked<f64>(transA, transB, i0, i1, nn, k, a, lda, b, ldb, c, ldc, acc, ws, epi, act, aux);
}

/** Runs the packed product on every thread when it is worth it; false leaves it to the caller. */
export function parallelGemm<T>(transA: bool, transB: bool, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: bool, epi: i32, act: i32, aux: usize): bool {
  if (!ASC_FEATURE_THREADS) return false;
  const ctl = control;
  if (ctl == 0 || m < 2 * MR || <i64>m * <i64>n * <i64>k < PARALLEL_MIN) return false;
  if (atomic.load<i32>(ctl + ERROR) != 0) unreachable();
  const workers = load<i32>(ctl + COUNT) - 1;
  // A previous call that trapped on this thread may have left workers running: let them finish first.
  if (atomic.load<i32>(ctl + GEN) != 0) {
    for (let done = atomic.load<i32>(ctl + DONE); done < workers; done = atomic.load<i32>(ctl + DONE)) atomic.wait<i32>(ctl + DONE, done, -1);
  }
  const j = ctl + JOB;
  store<i32>(ctl + KIND, sizeof<T>() == 4 ? KIND_F32 : KIND_F64);
  store<i32>(j, transA ? 1 : 0); store<i32>(j, transB ? 1 : 0, 4); store<i32>(j, n, 8); store<i32>(j, m, 12);
  store<i32>(j, k, 16); store<i32>(j, <i32>a, 20); store<i32>(j, lda, 24); store<i32>(j, <i32>b, 28); store<i32>(j, ldb, 32);
  store<i32>(j, <i32>c, 36); store<i32>(j, ldc, 40); store<i32>(j, acc ? 1 : 0, 44);
  store<i32>(j, epi, 48); store<i32>(j, act, 52); store<i32>(j, <i32>aux, 56);
  atomic.store<i32>(ctl + DONE, 0);
  atomic.add<i32>(ctl + GEN, 1); // sequentially consistent: publishes the job fields above
  atomic.notify(ctl + GEN, -1);
  runShare(ctl, 0);
  for (let done = atomic.load<i32>(ctl + DONE); done < workers; done = atomic.load<i32>(ctl + DONE)) {
    atomic.wait<i32>(ctl + DONE, done, -1);
  }
  if (atomic.load<i32>(ctl + ERROR) != 0) unreachable();
  return true;
}

/**
 * A worker's turn, called by its JavaScript loop after Atomics.wait on the generation word saw a
 * new job (assembly waits in a worker were not woken reliably): runs its share, counts itself
 * done, wakes the caller. Returns false when told to exit.
 */
export function threadRun(ctl: usize, t: i32): bool {
  if (!ASC_FEATURE_THREADS) unreachable();
  if (load<i32>(ctl + KIND) == KIND_EXIT) return false;
  runShare(ctl, t);
  atomic.add<i32>(ctl + DONE, 1);
  atomic.notify(ctl + DONE, 1);
  return true;
}

/** After a worker trapped: flag the error and count it done, so the caller's barrier ends (and traps). */
export function threadFailed(ctl: usize): void {
  if (!ASC_FEATURE_THREADS) unreachable();
  atomic.store<i32>(ctl + ERROR, 1);
  atomic.add<i32>(ctl + DONE, 1);
  atomic.notify(ctl + DONE, 1);
}

/** Ends every worker's loop (after the last job). */
export function stopThreads(ctl: usize): void {
  if (!ASC_FEATURE_THREADS) unreachable();
  store<i32>(ctl + KIND, KIND_EXIT);
  atomic.add<i32>(ctl + GEN, 1);
  atomic.notify(ctl + GEN, -1);
}
