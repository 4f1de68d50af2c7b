// The Node entry ("node" condition of the exports map): the public API of index.ts, plus the
// Node-only pieces it needs: reading the .wasm from disk, the core count and worker_threads for trainInWorker.
import './node/files.js';
import './node/cores.js';
import './node/workers.js';

export * from './index.js';
