// One worker of a threaded network (src/node/thread-pool.ts): instantiates the threaded build on
// the shared memory, says it is ready, then waits (Atomics.wait) for each new job generation and
// runs its share in the module until told to exit. A trap in its share is flagged in the control
// block, so the calling thread's product fails instead of waiting forever.
import { parentPort, workerData } from 'node:worker_threads';

interface Data { module: WebAssembly.Module; memory: WebAssembly.Memory; ctl: number; thread: number }
interface Run { thread_run(ctl: number, t: number): number; thread_failed(ctl: number): void }

const { module, memory, ctl, thread } = workerData as Data;
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Run;
parentPort!.postMessage({ ready: true });
const words = new Int32Array(memory.buffer, ctl, 1); // the generation word (never moves: growth keeps the buffer's start)
let seen = 0;
try {
  for (;;) {
    Atomics.wait(words, 0, seen);
    const gen = Atomics.load(words, 0);
    if (gen === seen) continue;
    seen = gen;
    if (!exports.thread_run(ctl, thread)) break;
  }
} catch (e) {
  exports.thread_failed(ctl);
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
}
