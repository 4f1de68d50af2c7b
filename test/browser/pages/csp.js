// Served with a CSP that allows scripts from this origin and 'wasm-unsafe-eval' only: no inline
// scripts, no eval or new Function.
import * as lib from '../../../dist/src/index.js';
import { run } from './scenario.js';

run(lib, { speed: false });
