// The Node entry ("node" condition of the exports map): the public API of index.ts, plus the
// Node-only pieces it needs: reading the .wasm from disk, the core count, and worker_threads for trainInWorker and threaded networks.
import './node/files.js';
import './node/cores.js';
import './node/workers.js';
import './node/thread-pool.js';

export * from './index.js';
