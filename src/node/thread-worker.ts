// One worker of a threaded network on Node's worker_threads (src/node/thread-pool.ts); the loop is
// src/backends/wasm/thread-loop.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { runThread, type ThreadStart } from '../backends/wasm/thread-loop.js';

runThread(workerData as ThreadStart, (message) => parentPort!.postMessage(message));
