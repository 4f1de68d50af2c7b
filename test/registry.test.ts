// The kernel registry lists exactly the module's kernel exports, so none ships untested or unbenchmarked.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KERNELS } from '../dist/src/kernels/registry.js';

const INFRASTRUCTURE = ['memory', 'heap_base', 'gemm_workspace_bytes', 'net_descriptor_bytes'];

describe('kernel registry', () => {
  it('names every kernel export of backprop.wasm, and nothing else', () => {
    const module = new WebAssembly.Module(readFileSync(new URL('../dist/backprop.wasm', import.meta.url)));
    const exported = WebAssembly.Module.exports(module).map((e) => e.name).filter((n) => !INFRASTRUCTURE.includes(n));
    expect(KERNELS.map((k) => k.name).sort()).toEqual(exported.sort());
  });

  it('has both dtypes of every family', () => {
    const f32 = KERNELS.filter((k) => k.dtype === 'float32').map((k) => k.name.replace('f32', 'fXX'));
    const f64 = KERNELS.filter((k) => k.dtype === 'float64').map((k) => k.name.replace('f64', 'fXX'));
    expect(f32).toEqual(f64);
  });

  it('the release module stays within its 64 KB size budget', () => {
    expect(readFileSync(new URL('../dist/backprop.wasm', import.meta.url)).length).toBeLessThanOrEqual(64 * 1024);
  });

  it('the module imports nothing (no env.abort, no JS glue)', () => {
    const module = new WebAssembly.Module(readFileSync(new URL('../dist/backprop.wasm', import.meta.url)));
    expect(WebAssembly.Module.imports(module)).toEqual([]);
  });
});
