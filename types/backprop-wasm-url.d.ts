// Types for the "backprop-wasm/backprop.wasm" and "backprop-wasm/backprop-relaxed.wasm" subpaths. Bundlers that copy the file and hand back its
// URL (esbuild --loader:.wasm=file, Vite's ?url, webpack's asset/resource) make the default export a
// string; pass it to init() so the library and its workers load the module from there.

/** The URL of one of backprop-wasm's WebAssembly modules (plain or relaxed SIMD), as the bundler emitted it. */
declare const url: string;
export default url;
