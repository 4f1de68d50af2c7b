// Entry of the training worker under Node's worker_threads.
import { parentPort } from 'node:worker_threads';
import '../node/files.js';
import '../node/thread-pool.js'; // threaded networks train in this worker too, on workers of its own
import { serve } from './serve.js';

if (!parentPort) throw new Error('backprop-wasm: node-worker.js runs as a worker_threads Worker');
const port = parentPort;
serve({
  post: (message, transfer) => port.postMessage(message, transfer ?? []),
  listen: (handler) => {
    port.on('message', handler);
  },
});
