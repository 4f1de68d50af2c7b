// One worker of a threaded network as a browser Web Worker (browser-thread-pool.ts); the loop is
// src/backends/wasm/thread-loop.ts.
import { runThread, type ThreadStart } from '../backends/wasm/thread-loop.js';

const scope = self as unknown as {
  postMessage(m: unknown): void;
  onmessage: ((e: MessageEvent<ThreadStart>) => void) | null;
};
scope.onmessage = (e) => {
  scope.onmessage = null;
  runThread(e.data, (message) => scope.postMessage(message));
  close();
};
