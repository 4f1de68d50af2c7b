// The threaded builds' entry (dist/backprop-threads.wasm, dist/backprop-relaxed-threads.wasm): every
// export of index.ts, over an imported shared memory, plus the worker loop and its control.
export * from "./index";
import { configureThreads, threadRun, threadFailed, stopThreads, CONTROL_BYTES } from "./threads";
/** The control block's byte offsets, checked at load by src/backends/wasm/threads.ts. */
export { CTL_GEN, CTL_DONE, CTL_ERROR, CTL_KIND, CTL_COUNT, CTL_WS, CTL_WS_STRIDE, CTL_JOBS, CTL_JOB, CTL_BAD } from "./threads";

/** Bytes of the control block threads_configure takes. */
export function threads_control_bytes(): i32 { return CONTROL_BYTES; }
/** On the calling thread's instance: products large enough run on the threads of this control block. */
export function threads_configure(ctl: usize): void { configureThreads(ctl); }
/** On a worker's instance, once the generation word changed: its share of the job, as thread t (1, 2, …); false: exit. */
export function thread_run(ctl: usize, t: i32): bool { return threadRun(ctl, t); }
/** On a worker's instance, after its loop trapped: the calling thread's wait ends, and it traps. */
export function thread_failed(ctl: usize): void { threadFailed(ctl); }
/** Ends the workers' loops. */
export function threads_stop(ctl: usize): void { stopThreads(ctl); }
