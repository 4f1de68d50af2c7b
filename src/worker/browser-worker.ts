// Entry of the training Web Worker (module worker): new Worker(new URL(..., import.meta.url), { type: 'module' }).
import './browser-thread-pool.js'; // threaded networks in this worker, on cross-origin isolated pages
import { serve } from './serve.js';

const scope = self as unknown as {
  postMessage(m: unknown, t?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
};
serve({
  post: (message, transfer) => scope.postMessage(message, transfer ?? []),
  listen: (handler) => {
    scope.onmessage = (e) => handler(e.data);
  },
});
