// Node only: the workers of threaded networks, on worker_threads. They are unref'd (an idle pool
// never keeps the process alive) and end when the network is disposed.
import { Worker } from 'node:worker_threads';
import { markThreadFailed, registerThreadPool } from '../backends/wasm/threads.js';
import { WORKER_EXEC_ARGV } from './worker-options.js';

registerThreadPool(async (module, memory, ctl, workers) => {
  const started = Array.from({ length: workers }, (_, i) => {
    const w = new Worker(new URL('./thread-worker.js', import.meta.url), {
      workerData: { module, memory, ctl, thread: i + 1 },
      execArgv: [...WORKER_EXEC_ARGV],
    });
    const ready = new Promise<Worker>((resolve, reject) => {
      w.once('message', () => resolve(w));
      w.once('error', (e) =>
        reject(new Error(`backprop-wasm: a thread of the network failed to start: ${e.message}`, { cause: e })),
      );
      w.once('exit', (code) =>
        reject(new Error(`backprop-wasm: a thread of the network exited (code ${code}) while starting`)),
      );
    });
    // After start, a failing share is reported through the control block (the product traps).
    w.on('error', () => {});
    return { w, ready };
  });
  try {
    await Promise.all(started.map((s) => s.ready));
  } catch (e) {
    for (const s of started) void s.w.terminate();
    throw e;
  }
  // Referenced while starting (this await must keep the process alive), then idle workers must not.
  for (const s of started) s.w.unref();
  // A worker that ends before stop() (terminated, or died) would leave the next product waiting
  // for its share forever: flag the pool as failed, so that product traps and says so instead.
  let stopped = false;
  for (const s of started)
    s.w.on('exit', () => {
      if (!stopped) markThreadFailed(memory, ctl);
    });
  return {
    stop: () => {
      stopped = true;
    },
  };
});
