// The kernel registry lists exactly the module's kernel exports, so none ships untested or
// unbenchmarked; the module's operation codes are the descriptors'; an unknown code traps.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KERNELS } from '../dist/src/backends/kernel-registry.js';
import { ALL_OPS } from '../dist/src/ops/index.js';
import '../dist/src/node/files.js'; // the Node entry's file reader
import { checkOpCodes, init } from '../dist/src/backends/wasm/runtime.js';
import { checkControlBlock, checkLayout, CONTROL, HEADER, LAYER, STAGE } from '../dist/src/backends/wasm/layout.js';

const INFRASTRUCTURE = [
  'memory',
  'heap_base',
  'gemm_workspace_bytes',
  'net_descriptor_bytes',
  'optimizer_params_bytes',
];
const moduleBytes = () => readFileSync(new URL('../dist/backprop.wasm', import.meta.url));
// 80 KB: the image kernels (im2col/col2im, max and average pooling, in f32 and f64) took the module past 64 KB (to 72 KB).
const BUDGET = 80 * 1024;

describe('kernel registry', () => {
  it('names every kernel export of backprop.wasm, and nothing else', () => {
    const module = new WebAssembly.Module(moduleBytes());
    const exported = WebAssembly.Module.exports(module)
      .filter((e) => e.kind === 'function')
      .map((e) => e.name)
      .filter((n) => !INFRASTRUCTURE.includes(n));
    expect(KERNELS.map((k) => k.name).sort()).toEqual(exported.sort());
  });

  it('has both dtypes of every family', () => {
    const f32 = KERNELS.filter((k) => k.dtype === 'float32').map((k) => k.name.replace('f32', 'fXX'));
    const f64 = KERNELS.filter((k) => k.dtype === 'float64').map((k) => k.name.replace('f64', 'fXX'));
    expect(f32).toEqual(f64);
  });

  it('the release module stays within its 80 KB size budget', () => {
    expect(moduleBytes().length).toBeLessThanOrEqual(BUDGET);
  });

  it('the module imports nothing (no env.abort, no JS glue)', () => {
    const module = new WebAssembly.Module(moduleBytes());
    expect(WebAssembly.Module.imports(module)).toEqual([]);
  });

  it('the other builds (relaxed, threaded) have the same exports (the threaded ones: plus their loop), within 80 KB', () => {
    const names = (m: WebAssembly.Module) =>
      WebAssembly.Module.exports(m)
        .map((e) => `${e.kind} ${e.name}`)
        .sort();
    const plain = names(new WebAssembly.Module(moduleBytes()));
    const THREAD_EXPORTS = [
      ...['thread_failed', 'thread_run', 'threads_configure', 'threads_control_bytes', 'threads_stop'].map(
        (n) => `function ${n}`,
      ),
      ...Object.keys(CONTROL).map((k) => `global CTL_${k.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`),
    ];
    for (const file of ['backprop-relaxed.wasm', 'backprop-threads.wasm', 'backprop-relaxed-threads.wasm']) {
      const bytes = readFileSync(new URL(`../dist/${file}`, import.meta.url));
      expect(bytes.length, file).toBeLessThanOrEqual(BUDGET);
      if (!WebAssembly.validate(bytes)) continue; // relaxed SIMD on Node 20
      const module = new WebAssembly.Module(bytes);
      const threaded = file.includes('threads');
      expect(names(module), file).toEqual(threaded ? [...plain, ...THREAD_EXPORTS].sort() : plain);
      expect(WebAssembly.Module.imports(module), file).toEqual(
        threaded ? [{ module: 'env', name: 'memory', kind: 'memory' }] : [],
      );
    }
  });
});

describe('operation codes', () => {
  it("every descriptor's code is the one the module exports under its ABI name", async () => {
    const rt = await init();
    for (const op of ALL_OPS) {
      const global = rt.raw[op.abi];
      expect(global, op.abi).toBeInstanceOf(WebAssembly.Global);
      expect((global as WebAssembly.Global).value, `${op.family} ${op.name}`).toBe(op.code);
    }
    expect(new Set(ALL_OPS.filter((o) => o.family === 'activation').map((o) => o.code)).size).toBe(
      ALL_OPS.filter((o) => o.family === 'activation').length,
    );
  });

  it('a module whose codes differ from the descriptors is refused at load, naming the operation', async () => {
    const rt = await init();
    const wrong = { ...rt.raw, ACT_TANH: new WebAssembly.Global({ value: 'i32', mutable: false }, 9) };
    expect(() => checkOpCodes(wrong)).toThrow(
      /gives activation 'tanh' the code 9 \(ACT_TANH\), but this JavaScript uses 2; rebuild it/,
    );
    const slope = { ...rt.raw, LEAKY_SLOPE: new WebAssembly.Global({ value: 'f64', mutable: false }, 0.02) };
    expect(() => checkOpCodes(slope)).toThrow(
      /has the leaky ReLU slope 0\.02, but this JavaScript uses 0\.01; rebuild it/,
    );
  });

  it('the module exports its layer table layout, and one that differs from this JavaScript is refused, naming the field', async () => {
    const rt = await init();
    expect((rt.raw.L_Z as WebAssembly.Global).value).toBe(LAYER.Z);
    expect((rt.raw.H_DROPOUT_SEED as WebAssembly.Global).value).toBe(HEADER.dropoutSeed);
    expect(() => checkLayout(rt.raw)).not.toThrow();
    expect((rt.raw.S_ARGMAX as WebAssembly.Global).value).toBe(STAGE.argmax);
    for (const name of [
      'L_Z',
      'H_LOSS',
      'L_S2B',
      'LAYER_WORDS',
      'METRIC_ABS_ERROR',
      'FAIL_UPDATE',
      'H_COLS',
      'S_USE_BIAS',
      'S_S2B',
      'STAGE_WORDS',
      'STAGE_MAX_POOL',
    ]) {
      const wrong = { ...rt.raw, [name]: new WebAssembly.Global({ value: 'i32', mutable: false }, 99) };
      expect(() => checkLayout(wrong), name).toThrow(
        new RegExp(`puts the layer table field ${name} at 99, but this JavaScript uses \\d+; rebuild it`),
      );
    }
    const { L_MASK: _, ...missing } = rt.raw;
    expect(() => checkLayout(missing)).toThrow(/L_MASK at undefined/);
  });

  it('the threaded build exports its control block offsets; one that differs is refused, naming the word', async () => {
    const bytes = readFileSync(new URL('../dist/backprop-threads.wasm', import.meta.url));
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 16, shared: true });
    const raw = (await WebAssembly.instantiate(bytes, { env: { memory } })).instance.exports as Record<string, unknown>;
    expect(() => checkControlBlock(raw)).not.toThrow();
    expect((raw.CTL_WS_STRIDE as WebAssembly.Global).value).toBe(CONTROL.wsStride * 4);
    const wrong = { ...raw, CTL_ERROR: new WebAssembly.Global({ value: 'i32', mutable: false }, 12) };
    expect(() => checkControlBlock(wrong)).toThrow(
      /puts the thread control word CTL_ERROR at 12, but this JavaScript uses 8; rebuild it/,
    );
  });

  it('an unknown code traps in WASM instead of computing something', async () => {
    const rt = await init();
    const p = rt.arena.alloc(4096);
    const traps = (f: () => unknown) => expect(f).toThrow(WebAssembly.RuntimeError);
    traps(() => rt.f32.bias_activation(99, 2, 4, p, p + 64));
    traps(() => rt.f64.activation_backward(99, 8, p, p + 128));
    traps(() => rt.f32.output_delta(7, 1, 2, 2, p, p + 192, p + 64, p + 128, 1));
    traps(() => rt.f32.output_delta(1, 0, 2, 2, p, p + 192, p + 64, p + 128, 1)); // cross-entropy with a linear output
    traps(() => rt.f32.output_delta(1, 5, 2, 2, p, 0, p + 64, p + 128, 1)); // cross-entropy without its logits
    traps(() => rt.f64.update(99, 8, p, p + 128, 0, 0, 0.1, rt.hyperBlock, 1));
    traps(() => rt.f32.gemm_bias_activation_nn(4, 8, 4, p, 4, p + 256, 8, p + 512, 8, p + 1024, 99, rt.workspace));
    rt.arena.free(p);
  });
});
