// Node only: trainInWorker runs on worker_threads.
import { Worker } from 'node:worker_threads';
import { registerWorkerFactory } from '../worker/client.js';

registerWorkerFactory(() => {
  // Workers inherit the parent's execArgv; --input-type (node -e scripts) is invalid for a file worker.
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
  const w = new Worker(new URL('../worker/node-worker.js', import.meta.url), { execArgv });
  return {
    post: (m, transfer) => w.postMessage(m, transfer ?? []),
    listen: (handler) => {
      w.on('message', handler);
      w.on('error', (e) => handler({ type: 'error', name: e.name, message: `worker failed: ${e.message}` }));
    },
    terminate: () => { void w.terminate(); },
  };
});
