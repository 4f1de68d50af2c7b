// The plain SIMD build (init({ kernels: 'simd128' }), multiply then add) trains image networks as the
// JS reference does; test/conv-wasm.test.ts runs the default build (relaxed SIMD where the engine
// has it). A file of its own: the build is chosen once per process.
import { beforeAll, describe, expect, it } from 'vitest';
import { capabilities, init } from 'backprop-wasm';
import { expectClose } from './helpers.js';
import { ARCHITECTURES, trajectory } from './conv-cases.js';

describe("image networks on init({ kernels: 'simd128' })", () => {
  beforeAll(async () => {
    await init({ kernels: 'simd128' });
  });

  it.each(ARCHITECTURES)(
    '%s: float64 losses to 1e-12, weights to 1e-10 of the JS backend',
    async (_l, shape, layers) => {
      // The plain build is the one loaded: asking for the relaxed one now is refused (where the engine has it).
      if ((await capabilities()).kernels === 'relaxed-simd')
        await expect(init({ kernels: 'relaxed-simd' })).rejects.toThrow(/the module is the simd128 build/);
      const [js, wasm] = [
        await trajectory('js', 'float64', shape, layers),
        await trajectory('wasm', 'float64', shape, layers),
      ];
      expectClose(wasm.losses, js.losses, 1e-12, 0, 'losses');
      expectClose(wasm.weights, js.weights, 1e-10, 1e-12, 'weights');
    },
  );
});
