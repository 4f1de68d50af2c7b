// Threaded runtimes: a network with threads > 1 gets the threaded build of the loaded kernel
// variant over a shared memory of its own, and a pool of workers that run the module's loop on
// the same memory. Only this side allocates (the TypeScript arena); the module never does. The
// pool itself is platform code, registered by the Node entry (src/node/thread-pool.ts).
import { compileThreaded } from './loader.js';
import { createRuntime, type WasmRuntime } from './runtime.js';
import { sharedMemorySupported, type KernelVariant } from './features.js';
import type { WasmExports } from './exports.js';
import { checkControlBlock, CONTROL } from './layout.js';

/** The calling side's handle on the workers. */
export interface ThreadPool {
  stop(): void;
}

/** Starts `workers` workers on module and memory, each running thread_loop(ctl, t) for t = 1…workers; resolves once all are ready. */
export type PoolFactory = (
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  ctl: number,
  workers: number,
) => Promise<ThreadPool>;

let factory: PoolFactory | null = null;

/** Set by the Node entry. */
export function registerThreadPool(f: PoolFactory): void {
  factory = f;
}

/** Whether threads > 1 can run here: a pool (Node's worker_threads) and shared WebAssembly memory. */
export function threadsSupported(): boolean {
  return factory !== null && sharedMemorySupported();
}

/** Pages the threaded builds declare: 2 at first, up to 4 GiB. */
const INITIAL_PAGES = 2;
const MAXIMUM_PAGES = 65536;

/**
 * For a pool whose worker ended while idle (terminated, or died): every later product traps, and
 * the model says a thread failed, instead of the caller waiting forever for that worker's share.
 */
export function markThreadFailed(memory: WebAssembly.Memory, ctl: number): void {
  Atomics.store(new Int32Array(memory.buffer, ctl, 4), CONTROL.error, 1);
}

interface ThreadExports extends WasmExports {
  threads_control_bytes(): number;
  threads_configure(ctl: number): void;
  threads_stop(ctl: number): void;
}

const modules = new Map<KernelVariant, Promise<WebAssembly.Module>>();

export interface ThreadedRuntime {
  rt: WasmRuntime;
  threads: number /** The control block (assembly/threads.ts). */;
  ctl: number;
  stop(): void;
}

/** A runtime of its own over a shared memory, with threads - 1 workers. */
export async function createThreadedRuntime(threads: number, kernels: KernelVariant): Promise<ThreadedRuntime> {
  if (!factory) throw new Error('backprop-wasm: no thread pool on this platform');
  if (!modules.has(kernels)) {
    const compiling = compileThreaded(kernels);
    modules.set(kernels, compiling);
    compiling.catch(() => modules.delete(kernels));
  }
  const module = await modules.get(kernels)!;
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
  const raw = (await WebAssembly.instantiate(module, { env: { memory } })).exports as unknown as ThreadExports;
  checkControlBlock(raw);
  const rt = createRuntime(raw);
  const stride = Math.ceil(raw.gemm_workspace_bytes() / 64) * 64;
  const [ctl, ws] = rt.arena.allocAll([raw.threads_control_bytes(), stride * threads]);
  const words = new Int32Array(memory.buffer, ctl!, raw.threads_control_bytes() / 4);
  words[CONTROL.count] = threads;
  words[CONTROL.ws] = ws!;
  words[CONTROL.wsStride] = stride;
  const pool = await factory(module, memory, ctl!, threads - 1);
  raw.threads_configure(ctl!);
  (rt as { threadFailed?: () => boolean }).threadFailed = () =>
    Atomics.load(new Int32Array(memory.buffer, ctl!, 4), CONTROL.error) !== 0;
  let stopped = false;
  return {
    rt,
    threads,
    ctl: ctl!,
    stop() {
      if (stopped) return;
      stopped = true;
      raw.threads_configure(0);
      raw.threads_stop(ctl!);
      pool.stop();
    },
  };
}
