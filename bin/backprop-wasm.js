#!/usr/bin/env node
// The backprop-wasm command (package.json "bin"); the code is in src/cli/.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
