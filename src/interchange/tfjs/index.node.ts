// backprop-wasm/tfjs under Node: the portable API plus saveLayersModel / loadLayersModel (folders), with
// the Node entry loaded so the wasm backend can read its module from disk.
import '../../index.node.js';

export * from './index.js';
export { saveLayersModel, loadLayersModel } from './node.js';
