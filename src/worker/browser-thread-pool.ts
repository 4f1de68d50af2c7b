// Browsers: the workers of threaded networks, as module Web Workers. Registered only where the
// calling thread may wait (a dedicated worker, such as the one trainInWorker starts): a page's main
// thread may not, so threaded training on a page runs through trainInWorker. Shared memory also
// needs a cross-origin isolated page (COOP and COEP headers), which threadsSupported() checks.
import { registerThreadPool } from '../backends/wasm/threads.js';

const inWorker =
  typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'function' &&
  typeof Worker === 'function';

if (inWorker) {
  registerThreadPool(async (module, memory, ctl, workers) => {
    const started = Array.from({ length: workers }, (_, i) => {
      const w = new Worker(new URL('./browser-thread-worker.js', import.meta.url), { type: 'module' });
      const ready = new Promise<Worker>((resolve, reject) => {
        w.onmessage = () => resolve(w);
        w.onerror = (e) =>
          reject(
            new Error(
              `backprop-wasm: a thread of the network failed to start${e.message ? `: ${e.message}` : ' (its script could not be loaded)'}`,
            ),
          );
      });
      w.postMessage({ module, memory, ctl, thread: i + 1 });
      return { w, ready };
    });
    try {
      await Promise.all(started.map((s) => s.ready));
    } catch (e) {
      for (const s of started) s.w.terminate();
      throw e;
    }
    return {
      stop: () => {
        for (const s of started) s.w.terminate();
      },
    };
  });
}
