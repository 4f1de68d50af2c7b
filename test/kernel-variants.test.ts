// The two kernel builds: which one this engine gets, that init({ kernels: 'simd128' }) computes
// exactly what the module did before the relaxed build existed, that relaxed and plain float32
// training agree to 1e-4, and init's options are validated. Trajectories run in child processes:
// the module is loaded once per process.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { capabilities, init, ValidationError } from 'backprop-wasm';
import { relaxedSimdSupported } from '../dist/src/backends/wasm/features.js';
import { loadRuntime } from '../dist/src/backends/wasm/runtime.js';
import { maxRelDiff } from './helpers.js';

const major = Number(process.versions.node.split('.')[0]);
const recorded = JSON.parse(readFileSync(new URL('./fixtures/variant-trajectory.json', import.meta.url), 'utf8')) as {
  float32: string;
  float64: string;
};
interface Run {
  losses: number[];
  weights: number[];
  digest: string;
}
interface Trajectory {
  kernels: string;
  float32: Run;
  float64: Run;
}

function trajectory(kernels: 'simd128' | 'relaxed-simd' | 'default'): Trajectory {
  const script = fileURLToPath(new URL('./fixtures/trajectory.mjs', import.meta.url));
  return JSON.parse(
    execFileSync(process.execPath, [script, kernels], { encoding: 'utf8', timeout: 60_000 }),
  ) as Trajectory;
}

describe('capabilities()', () => {
  it('reports the kernel build this engine validates, its cores and shared memory', async () => {
    const caps = await capabilities();
    // Node 20 validates relaxed SIMD only behind a flag; Node 22 and later without one.
    expect(relaxedSimdSupported()).toBe(major >= 22);
    expect(caps).toEqual({
      kernels: major >= 22 ? 'relaxed-simd' : 'simd128',
      threads: { available: availableParallelism(), sharedMemory: true },
    });
  });
});

describe('the kernel builds', () => {
  it('each module says which build it is (RELAXED_SIMD), and only the relaxed one needs relaxed SIMD', async () => {
    for (const [file, flag] of [
      ['backprop.wasm', 0],
      ['backprop-relaxed.wasm', 1],
    ] as const) {
      const bytes = readFileSync(new URL(`../dist/${file}`, import.meta.url));
      expect(bytes.length, file).toBeLessThanOrEqual(80 * 1024); // the size budget of test/registry.test.ts
      expect(WebAssembly.validate(bytes), file).toBe(flag === 0 || major >= 22);
      if (!WebAssembly.validate(bytes)) continue;
      const rt = await loadRuntime(bytes);
      expect(rt.kernels).toBe(flag ? 'relaxed-simd' : 'simd128');
      expect((rt.raw.RELAXED_SIMD as WebAssembly.Global).value).toBe(flag);
    }
  });

  it("init({ kernels: 'simd128' }) trains bit-identically to the module before the relaxed build (recorded digests)", () => {
    const plain = trajectory('simd128');
    expect(plain.kernels).toBe('simd128');
    expect(plain.float32.digest).toBe(recorded.float32);
    expect(plain.float64.digest).toBe(recorded.float64);
  });

  it.runIf(major >= 22)(
    'by default the relaxed build loads, and its training stays within 1e-4 (float32) and 1e-11 (float64) of the plain one',
    () => {
      const relaxed = trajectory('default'),
        plain = trajectory('simd128');
      expect(relaxed.kernels).toBe('relaxed-simd');
      // Fused multiply-adds round once instead of twice: not bit-identical, but close.
      expect(relaxed.float32.digest).not.toBe(plain.float32.digest);
      expect(maxRelDiff(relaxed.float32.losses, plain.float32.losses)).toBeLessThan(1e-4);
      expect(maxRelDiff(relaxed.float64.losses, plain.float64.losses)).toBeLessThan(1e-11);
      const scale = Math.max(...plain.float32.weights.map(Math.abs));
      expect(Math.max(...relaxed.float32.weights.map((w, i) => Math.abs(w - plain.float32.weights[i]!)))).toBeLessThan(
        1e-4 * scale,
      );
    },
  );

  it.runIf(major < 22)(
    "init({ kernels: 'relaxed-simd' }) where the engine lacks relaxed SIMD says what to do",
    async () => {
      await expect(loadRuntime(undefined, 'relaxed-simd')).rejects.toThrow(
        /not supported by this engine .*use 'simd128'/,
      );
    },
  );
});

describe('init options', () => {
  it('refuses unknown keys and values with a ValidationError that names them', async () => {
    const cases: [unknown[], RegExp][] = [
      [[{ kernel: 'simd128' }], /init: unknown option 'kernel' \(valid: 'kernels'\)/],
      [[{ kernels: 'avx' }], /init: kernels "avx" is not one of 'relaxed-simd', 'simd128'; leave it out/],
      [[undefined, { kernels: 'sse' }], /kernels "sse" is not one of/],
      [[undefined, 'simd128'], /init options must be an object such as \{ kernels: 'simd128' \}/],
      [[{ kernels: 'simd128' }, {}], /init takes the module's URL/],
    ];
    for (const [args, message] of cases) {
      const error = await (init as (...a: unknown[]) => Promise<void>)(...args).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, String(message)).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('asking for the other build once one is loaded is refused, saying to call init first', async () => {
    await init();
    const other = (await capabilities()).kernels === 'simd128' ? 'relaxed-simd' : 'simd128';
    await expect(init({ kernels: other })).rejects.toThrow(
      /the module is the .* build, but kernels: '.*' was asked for; call init\(\{ kernels \}\) before/,
    );
    await expect(init({ kernels: (await capabilities()).kernels })).resolves.toBeUndefined();
  });
});
