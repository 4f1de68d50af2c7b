// The calling side's handle on a browser Web Worker (module worker), with failures in words: a
// worker script that could not be loaded fires an error event without a message.
import type { WorkerHandle } from './protocol.js';

// The URL in words only; new Worker below keeps the literal new URL(..., import.meta.url) bundlers look for.
const base = import.meta.url;

function failure(e: Event): Error {
  const message = (e as Partial<ErrorEvent>).message;
  if (typeof message === 'string' && message !== '')
    return new Error(`backprop-wasm: the training worker failed: ${message}`);
  return new Error(
    `backprop-wasm: the training worker script could not be loaded (${new URL('./browser-worker.js', base).href}): ` +
      'it was not found, not served as JavaScript, or blocked by a Content-Security-Policy (worker-src). With a bundler that does not ' +
      "follow new URL(…, import.meta.url), bundle 'backprop-wasm/worker' as a second entry named browser-worker next to your bundle, " +
      'and pass the .wasm URL to init(url); see docs/guide.md in the package, "In a browser"',
  );
}

export function browserWorker(): WorkerHandle {
  const w = new Worker(new URL('./browser-worker.js', import.meta.url), { type: 'module' });
  return {
    post: (m, transfer) => w.postMessage(m, transfer),
    listen: (onMessage, onFailure) => {
      w.onmessage = (e) => onMessage(e.data);
      w.onmessageerror = () =>
        onFailure(new Error('backprop-wasm: a message from the training worker could not be read'));
      w.onerror = (e) => {
        e.preventDefault();
        onFailure(failure(e));
      };
    },
    terminate: () => w.terminate(),
  };
}
