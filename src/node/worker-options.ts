// Node only: how this package's workers (thread pools, trainInWorker) are started.
//
// Passing a Worker process.execArgv makes Node refuse per-process options with
// ERR_WORKER_INVALID_EXEC_ARGV (--max-old-space-size, --expose-gc, --stack-size, --title, V8 flags
// such as --experimental-wasm-relaxed-simd on Node 20, …); leaving execArgv out inherits them, but
// also --input-type (a `node -e` script), which breaks a file worker. Our workers run only this
// package's own files and need no flag (V8 flags are process-wide, and the module is compiled on
// the calling thread under them), so they are given none.
export const WORKER_EXEC_ARGV: readonly string[] = [];
