// Node only: trainInWorker runs on worker_threads.
import { Worker } from 'node:worker_threads';
import { registerWorkerFactory } from '../worker/client.js';
import { WORKER_EXEC_ARGV } from './worker-options.js';

registerWorkerFactory(() => {
  const w = new Worker(new URL('../worker/node-worker.js', import.meta.url), { execArgv: [...WORKER_EXEC_ARGV] });
  return {
    post: (m, transfer) => w.postMessage(m, transfer),
    listen: (onMessage, onFailure) => {
      w.on('message', onMessage);
      w.on('messageerror', (e) =>
        onFailure(
          new Error(`backprop-wasm: a message from the training worker could not be read: ${e.message}`, { cause: e }),
        ),
      );
      w.on('error', (e) =>
        onFailure(new Error(`backprop-wasm: the training worker failed: ${e.message}`, { cause: e })),
      );
      // After terminate() the job has settled, so this only reports a worker that ended by itself.
      w.on('exit', (code) =>
        onFailure(new Error(`backprop-wasm: the training worker exited (code ${code}) before training finished`)),
      );
    },
    terminate: () => {
      void w.terminate();
    },
  };
});
