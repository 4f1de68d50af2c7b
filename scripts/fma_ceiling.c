// The CPU's own multiply-add limit, outside any JavaScript engine: 12 independent chains of 128-bit
// (xmm, what WebAssembly SIMD maps to) fused multiply-adds, of 128-bit mul + add, and of 256-bit
// (ymm, which WebAssembly cannot use) fused multiply-adds, in GFLOP/s of one core by process CPU
// time, 5 rounds. scripts/gemm_ab.mjs measures the same 128-bit loops as WebAssembly; the two agree
// on the development machine (53.6 GFLOP/s native, 53.6 in V8), which is how we know that a gemm
// at 50-55 GFLOP/s there is at the hardware's limit for 128-bit vectors, not the engine's.
//
// Build and run (x86-64 with FMA): gcc -O2 -mfma -mavx2 scripts/fma_ceiling.c -o /tmp/fma_ceiling && /tmp/fma_ceiling
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double cpu_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

#define STEPS 50000000L
// 12 chains: a multiply-add has a latency of about 4 cycles on 2 units, so 8 in flight keep them busy.
#define CHAINS(V, OP, SPLAT)                                                                        \
  V a0 = SPLAT(0.f), a1 = SPLAT(1.f), a2 = SPLAT(2.f), a3 = SPLAT(3.f), a4 = SPLAT(4.f),            \
    a5 = SPLAT(5.f), a6 = SPLAT(6.f), a7 = SPLAT(7.f), a8 = SPLAT(8.f), a9 = SPLAT(9.f),            \
    a10 = SPLAT(10.f), a11 = SPLAT(11.f);                                                           \
  for (long n = 0; n < STEPS; n++) {                                                                \
    a0 = OP(a0, x, y); a1 = OP(a1, x, y); a2 = OP(a2, x, y); a3 = OP(a3, x, y);                     \
    a4 = OP(a4, x, y); a5 = OP(a5, x, y); a6 = OP(a6, x, y); a7 = OP(a7, x, y);                     \
    a8 = OP(a8, x, y); a9 = OP(a9, x, y); a10 = OP(a10, x, y); a11 = OP(a11, x, y);                 \
  }                                                                                                 \
  V sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
#define MUL_ADD(a, x, y) _mm_add_ps(_mm_mul_ps(a, x), y)

int main(int argc, char **argv) {
  // A factor the compiler cannot fold (it does not know argc), close to 1 so the chains stay finite.
  const float factor = 0.999999f + (argc > 99) * 1.0f;
  for (int round = 0; round < 5; round++) {
    {
      __m128 x = _mm_set1_ps(factor), y = _mm_set1_ps(1e-7f);
      double t0 = cpu_seconds();
      CHAINS(__m128, _mm_fmadd_ps, _mm_set1_ps)
      double t = cpu_seconds() - t0;
      printf("128-bit fused multiply-add: %.1f GFLOP/s (%g)\n", STEPS * 12 * 8.0 / t / 1e9, sum[0]);
    }
    {
      __m128 x = _mm_set1_ps(factor), y = _mm_set1_ps(1e-7f);
      double t0 = cpu_seconds();
      CHAINS(__m128, MUL_ADD, _mm_set1_ps)
      double t = cpu_seconds() - t0;
      printf("128-bit mul + add:          %.1f GFLOP/s (%g)\n", STEPS * 12 * 8.0 / t / 1e9, sum[0]);
    }
    {
      __m256 x = _mm256_set1_ps(factor), y = _mm256_set1_ps(1e-7f);
      double t0 = cpu_seconds();
      CHAINS(__m256, _mm256_fmadd_ps, _mm256_set1_ps)
      double t = cpu_seconds() - t0;
      printf("256-bit fused multiply-add: %.1f GFLOP/s (%g)\n", STEPS * 12 * 16.0 / t / 1e9, sum[0]);
    }
  }
  return 0;
}
