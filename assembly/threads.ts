// Worker threads over one shared memory (the threaded builds only: ASC_FEATURE_THREADS). The
// calling thread publishes a parallel region in a control block (one or two products, or the
// optimizer's pass over every layer), every thread computes its share (whole MR-row tiles of each
// product's output, never a split of k; whole vectors of each parameter array) with its own
// scratch, and a barrier on an atomic counter ends the region. Waiting spins briefly before it
// sleeps (Atomics.wait), so a region that follows soon does not pay a wake-up. Each element is summed exactly as on one thread, so results
// are bit-identical for any thread count. Instance globals are per thread: all shared state is in
// the control block, which the TypeScript arena allocates (the module never allocates).
import { gemmPacked, MR } from "./gemm";
import { updateLayers } from "./update-layers";

// Control block: i32 words, at these byte offsets (exported: src/backends/wasm/threads.ts checks its own at load).
export const CTL_GEN: i32 = 0;       // job generation, bumped to start a job (workers wait on it)
export const CTL_DONE: i32 = 4;      // workers that finished the current job (the caller waits on it)
export const CTL_ERROR: i32 = 8;     // set by a worker whose share trapped; every later call traps
export const CTL_KIND: i32 = 12;     // KIND_*
export const CTL_COUNT: i32 = 16;    // threads, the caller included
export const CTL_WS: i32 = 20;       // first thread's gemm scratch; thread t's is WS + t * WS_STRIDE
export const CTL_WS_STRIDE: i32 = 24;
export const CTL_JOBS: i32 = 28;     // jobs in the region (1 or 2)
export const CTL_JOB: i32 = 32;      // the jobs, JOB_BYTES each: 14 words of gemm arguments, or an update pass; the job's kind in its last word
export const CTL_BAD: i32 = 160;     // set by a thread whose share of a checking update pass found a value that is not finite
const GEN = <usize>CTL_GEN, DONE = <usize>CTL_DONE, ERROR = <usize>CTL_ERROR, KIND = <usize>CTL_KIND, JOBS = <usize>CTL_JOBS;
const COUNT = <usize>CTL_COUNT, WS = <usize>CTL_WS, WS_STRIDE = <usize>CTL_WS_STRIDE, JOB = <usize>CTL_JOB, BAD = <usize>CTL_BAD;
/** Bytes of one job, and of the control block. */
const JOB_BYTES: usize = 64;
const JOB_KIND: usize = 60;
const MAX_JOBS: i32 = 2;
export const CONTROL_BYTES: i32 = 192;

const KIND_EXIT: i32 = -1;
const KIND_RUN: i32 = 0;
const KIND_F32: i32 = 1;
const KIND_F64: i32 = 2;
const KIND_UPDATE_F32: i32 = 3;
const KIND_UPDATE_F64: i32 = 4;
/** Below this many multiply-adds a product stays on the calling thread. */
const PARALLEL_MIN: i64 = 1 << 17;
/** Below this many parameters the optimizer's passes stay on the calling thread. */
const UPDATE_MIN: i32 = 1 << 14;
/** Polls of the done counter before the calling thread sleeps (a few tens of microseconds). */
const SPIN: i32 = 20000;

// Products deferred to one region (deferProducts … runDeferred): their count, -1 when not deferring.
let deferred: i32 = -1;

// The calling thread's control block (0: one thread). A global: per instance, so workers never see it.
let control: usize = 0;

export function configureThreads(ctl: usize): void { control = ctl; deferred = -1; }

/** At the start of an exported entry: a call that trapped while deferring left nothing queued behind. */
export function resetDeferred(): void { deferred = -1; }

@inline function share(t: i32, n: i32, tiles: i32): i32 {
  // Thread t's first row tile: tiles split as evenly as possible, in whole tiles.
  return <i32>((<i64>tiles * <i64>t) / <i64>n);
}

// Thread t's share of one gemm job.
function runGemmShare(ctl: usize, j: usize, kind: i32, t: i32, n: i32): void {
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

function runShare(ctl: usize, t: i32): void {
  const n = load<i32>(ctl + COUNT);
  for (let q = 0, jobs = load<i32>(ctl + JOBS); q < jobs; q++) {
    const j = ctl + JOB + <usize>q * JOB_BYTES;
    const kind = load<i32>(j + JOB_KIND);
    if (kind == KIND_F32 || kind == KIND_F64) { runGemmShare(ctl, j, kind, t, n); continue; }
    const net = <usize>load<i32>(j), params = <usize>load<i32>(j, 16), commit = load<i32>(j, 32) != 0;
    const ok = kind == KIND_UPDATE_F32
      ? updateLayers<f32>(net, <f32>load<f64>(j, 8), params, load<f64>(j, 24), commit, t, n)
      : updateLayers<f64>(net, load<f64>(j, 8), params, load<f64>(j, 24), commit, t, n);
    if (!ok) atomic.store<i32>(ctl + BAD, 1);
  }
}

// Waits until every worker counted itself done: polls first, then sleeps.
function awaitWorkers(ctl: usize, workers: i32): void {
  for (let i = 0; i < SPIN; i++) if (atomic.load<i32>(ctl + DONE) >= workers) return;
  for (let done = atomic.load<i32>(ctl + DONE); done < workers; done = atomic.load<i32>(ctl + DONE)) {
    atomic.wait<i32>(ctl + DONE, done, -1);
  }
}

// Publishes the region whose jobs are written, runs thread 0's share, waits for the others.
function runRegion(ctl: usize, jobs: i32): void {
  const workers = load<i32>(ctl + COUNT) - 1;
  store<i32>(ctl + JOBS, jobs);
  store<i32>(ctl + KIND, KIND_RUN);
  atomic.store<i32>(ctl + DONE, 0);
  atomic.add<i32>(ctl + GEN, 1); // sequentially consistent: publishes the job fields above
  atomic.notify(ctl + GEN, -1);
  runShare(ctl, 0);
  awaitWorkers(ctl, workers);
  if (atomic.load<i32>(ctl + ERROR) != 0) unreachable();
}

// Before writing a job: traps after a worker's failure, and lets workers a trapped call left running finish.
function claim(ctl: usize): void {
  if (atomic.load<i32>(ctl + ERROR) != 0) unreachable();
  if (atomic.load<i32>(ctl + GEN) != 0) awaitWorkers(ctl, load<i32>(ctl + COUNT) - 1);
}

/**
 * From here until runDeferred, products that would run on the threads are queued instead (up to
 * two; a third runs the queued ones first), so independent products share one region: the kernel
 * and input gradients of a layer. Nothing may read a queued product's output before runDeferred.
 */
export function deferProducts(): void {
  if (ASC_FEATURE_THREADS && control != 0) deferred = 0;
}

/** Runs the queued products as one region and stops deferring. */
export function runDeferred(): void {
  if (!ASC_FEATURE_THREADS) return;
  const queued = deferred;
  deferred = -1;
  if (queued > 0) runRegion(control, queued);
}

/**
 * The optimizer's pass over every layer of net (check: store nothing, say whether every new value
 * is finite; commit: store), split across the threads by whole vectors of each array when the
 * network has at least UPDATE_MIN parameters. Returns 1 (done, all finite), 0 (a check found a
 * value that is not finite) or -1 (not run here: the caller runs it alone).
 */
export function parallelUpdate(net: usize, f64Kind: bool, lr: f64, params: usize, t: f64, commit: bool, total: i32): i32 {
  if (!ASC_FEATURE_THREADS) return -1;
  const ctl = control;
  if (ctl == 0 || total < UPDATE_MIN) return -1;
  runDeferred();
  claim(ctl);
  const j = ctl + JOB;
  store<i32>(j, <i32>net); store<f64>(j, lr, 8); store<i32>(j, <i32>params, 16); store<f64>(j, t, 24); store<i32>(j, commit ? 1 : 0, 32);
  store<i32>(j + JOB_KIND, f64Kind ? KIND_UPDATE_F64 : KIND_UPDATE_F32);
  atomic.store<i32>(ctl + BAD, 0);
  runRegion(ctl, 1);
  return atomic.load<i32>(ctl + BAD) != 0 ? 0 : 1;
}

/** Runs the packed product on every thread when it is worth it; false leaves it to the caller. */
export function parallelGemm<T>(transA: bool, transB: bool, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: bool, epi: i32, act: i32, aux: usize): bool {
  if (!ASC_FEATURE_THREADS) return false;
  if (control == 0 || m < 2 * MR || <i64>m * <i64>n * <i64>k < PARALLEL_MIN) return false;
  runGemm(sizeof<T>() == 4 ? KIND_F32 : KIND_F64, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, acc, epi, act, aux);
  return true;
}

// One function for both dtypes (the threaded builds keep within 64 KB): queues the job, or runs it as a region.
function runGemm(kind: i32, transA: bool, transB: bool, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: bool, epi: i32, act: i32, aux: usize): void {
  const ctl = control;
  if (deferred >= MAX_JOBS) { runDeferred(); deferred = 0; }
  if (atomic.load<i32>(ctl + ERROR) != 0) unreachable();
  if (deferred <= 0) claim(ctl);
  const slot = deferred > 0 ? deferred : 0;
  const j = ctl + JOB + <usize>slot * JOB_BYTES;
  store<i32>(j, transA ? 1 : 0); store<i32>(j, transB ? 1 : 0, 4); store<i32>(j, n, 8); store<i32>(j, m, 12);
  store<i32>(j, k, 16); store<i32>(j, <i32>a, 20); store<i32>(j, lda, 24); store<i32>(j, <i32>b, 28); store<i32>(j, ldb, 32);
  store<i32>(j, <i32>c, 36); store<i32>(j, ldc, 40); store<i32>(j, acc ? 1 : 0, 44);
  store<i32>(j, epi, 48); store<i32>(j, act, 52); store<i32>(j, <i32>aux, 56);
  store<i32>(j + JOB_KIND, kind);
  if (deferred >= 0) { deferred++; return; }
  runRegion(ctl, 1);
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
