// Entry of the training worker under Node's worker_threads.
import { parentPort } from 'node:worker_threads';
import '../node/files.js';
import { serve } from './serve.js';

if (!parentPort) throw new Error('backprop-wasm: node-worker.js runs as a worker_threads Worker');
const port = parentPort;
serve({
  post: (message, transfer) => port.postMessage(message, transfer ?? []),
  listen: (handler) => { port.on('message', handler); },
});
