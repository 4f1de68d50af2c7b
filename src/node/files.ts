// Node only: lets the loader read the bundled .wasm from disk.
import { readFile } from 'node:fs/promises';
import { registerFileReader } from '../backends/wasm/loader.js';

registerFileReader(async (url) => new Uint8Array(await readFile(url)));
