// One Web Worker of a threaded network (browser-thread-pool.ts): instantiates the threaded build on
// the shared memory, says it is ready, then waits (Atomics.wait) for each new job generation and
// runs its share in the module until told to exit. A trap in its share is flagged in the control
// block, so the calling thread's product fails instead of waiting forever.
interface Start { module: WebAssembly.Module; memory: WebAssembly.Memory; ctl: number; thread: number }
interface Run { thread_run(ctl: number, t: number): number; thread_failed(ctl: number): void }

const scope = self as unknown as { postMessage(m: unknown): void; onmessage: ((e: MessageEvent<Start>) => void) | null };
scope.onmessage = (e) => {
  scope.onmessage = null;
  const { module, memory, ctl, thread } = e.data;
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Run;
  scope.postMessage({ ready: true });
  const words = new Int32Array(memory.buffer, ctl, 1); // the generation word (growth keeps the buffer's start)
  let seen = 0;
  try {
    for (;;) {
      Atomics.wait(words, 0, seen);
      const gen = Atomics.load(words, 0);
      if (gen === seen) continue;
      seen = gen;
      if (!exports.thread_run(ctl, thread)) break;
    }
  } catch (err) {
    exports.thread_failed(ctl);
    scope.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
  close();
};
