// Node only: the core count capabilities() reports (Node 20 has no navigator.hardwareConcurrency).
import { availableParallelism } from 'node:os';
import { registerCoreCount } from '../backends/wasm/features.js';

registerCoreCount(availableParallelism);
