// The loop of one worker of a threaded network, whatever starts it (Node's worker_threads or a
// browser Web Worker): instantiate the threaded build on the shared memory, say it is ready, then
// wait for each new job generation and run this thread's share in the module until told to exit.
// A worker polls the generation word for a while (Atomics.pause between polls where the engine has
// it) before it sleeps in Atomics.wait: the next region of a training step usually follows within
// microseconds, and a wake-up from Atomics.wait costs tens of them on a busy or virtualized machine. A trap in its share is flagged in the control block, so the calling thread's
// product fails instead of waiting forever.

import { CONTROL } from './layout.js';

export interface ThreadStart {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  ctl: number;
  thread: number;
}
interface Run {
  thread_run(ctl: number, t: number): number;
  thread_failed(ctl: number): void;
}

/** Polls of the generation word before sleeping (about 50 µs with Atomics.pause, which Node 24 has). */
const SPIN = 2000;
const pause: (n?: number) => void = (Atomics as unknown as { pause?: (n?: number) => void }).pause ?? (() => {});

export function runThread({ module, memory, ctl, thread }: ThreadStart, post: (message: unknown) => void): void {
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Run;
  post({ ready: true });
  const words = new Int32Array(memory.buffer, ctl, CONTROL.gen + 1); // up to the generation word (growth keeps the buffer's start)
  let seen = 0;
  try {
    for (;;) {
      let gen = Atomics.load(words, CONTROL.gen);
      for (let i = 0; gen === seen && i < SPIN; i++) {
        pause();
        gen = Atomics.load(words, CONTROL.gen);
      }
      if (gen === seen) {
        Atomics.wait(words, CONTROL.gen, seen);
        gen = Atomics.load(words, CONTROL.gen);
      }
      if (gen === seen) continue;
      seen = gen;
      if (!exports.thread_run(ctl, thread)) break;
    }
  } catch (e) {
    exports.thread_failed(ctl);
    post({ error: e instanceof Error ? e.message : String(e) });
  }
}
