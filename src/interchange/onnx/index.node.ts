// backprop-wasm/onnx under Node: the same API, with the Node entry loaded so the wasm backend can read
// its module from disk even when the program imports nothing else from backprop-wasm.
import '../../index.node.js';

export * from './index.js';
