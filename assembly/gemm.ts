// Matrix products C = op(A)·op(B) (+ C when accumulating), row-major, generic over f32/f64.
import { forward, forwardV, derivative, derivativeV, hasVectorForward } from "./activations";
import { madd } from "./madd";
import { parallelGemm } from "./threads";

// op(B) is packed into NR-column panels (absorbing its transpose); op(A) is read in place through
// row and depth strides (absorbing its transpose), so all three forms share one micro-kernel.

/**
 * Rows of the register tile: 6 in the relaxed-SIMD build (twelve fused multiply-add chains hide their
 * latency; about 7% faster at n = 512 on Node 24), 4 in the plain build (Node 20's engine spills the
 * 6-row tile's registers: 30% slower there). See docs/performance.md, "The micro-kernel". The last 1-4 rows of a block take the 4-row tile.
 */
export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;
/** Rows of the short register tile (and the fewest rows the packed product takes). */
export const MR_SHORT: i32 = 4;
/** Columns of B packed at once. */
export const NC: i32 = 256;
/** Rows of A per block (and of a transposed A packed at once, tn only): 128 rounded up to whole tiles. */
export const MC: i32 = (128 + MR - 1) / MR * MR;
/** Bytes of one packed B panel (NR columns x kc): kept within L1 next to the streamed A rows. */
const PANEL_BYTES: i32 = 24576;
/** Below this many multiply-adds, packing costs more than it saves. */
const SMALL: i64 = 4096;

// Deepest k block: an NR-column panel row is 32 bytes in either dtype (8 f32 or 4 f64), so a
// panel of kcMax rows fills PANEL_BYTES for both.
@inline function kcMax<T>(): i32 { return PANEL_BYTES / 32; }

/**
 * Scratch bytes a gemm call needs: the packed B block (kcMax x NC) and the packed A block
 * (MC x kcMax), in elements of the wider dtype (8 bytes), an edge tile, plus alignment.
 */
export function gemmWorkspaceBytes(): usize {
  return <usize>(PANEL_BYTES / 32) * <usize>(NC + MC) * 8 + TILE_BYTES + 64;
}

/** Epilogues applied as a tile is stored after the last k block. */
export const EPI_NONE: i32 = 0;
/** c = f(c + bias[j]); aux = bias. */
export const EPI_BIAS_ACT: i32 = 1;
/** c = f'(aux[i][j]) * c, aux (the activations) laid out like C. */
export const EPI_DERIVATIVE: i32 = 2;

// Columns of the register tile: two vectors, so 8 for f32 and 4 for f64.
@inline function nr<T>(): i32 { return 32 / sizeof<T>(); }

// Edge tiles are stored in the caller's scratch first (one per thread), then copied element by element.
const TILE_BYTES: usize = <usize>MR * 8 * 4;

// Rows [i0, i0+mc) of op(A) = Aᵀ, depth [p0, p0+kc), as MR-row panels (kc x MR each, zero-padded):
// the strided columns of the stored A are read once per block instead of once per column panel.
function packTransposedA<T>(a: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  const sz = <usize>sizeof<T>();
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    const panel = dst + <usize>(ir * kc) * sz;
    for (let p = 0; p < kc; p++) {
      const src = a + (<usize>(p0 + p) * <usize>lda + <usize>(i0 + ir)) * sz;
      const d = panel + <usize>(p * MR) * sz;
      if (rows == MR) {
        v128.store(d, v128.load(src));
        if (sizeof<T>() == 8) v128.store(d, v128.load(src, 16), 16);
        if (MR > 4) { // rows 4 and 5
          if (sizeof<T>() == 8) v128.store(d, v128.load(src, 32), 32);
          else store<u64>(d, load<u64>(src, 16), 16);
        }
      } else {
        for (let i = 0; i < MR; i++) store<T>(d + <usize>i * sz, i < rows ? load<T>(src + <usize>i * sz) : <T>0);
      }
    }
  }
}

function packB<T>(transB: bool, b: usize, ldb: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  const sz = <usize>sizeof<T>();
  const NR = nr<T>();
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const panel = dst + <usize>(jr * kc) * sz;
    if (!transB) {
      for (let p = 0; p < kc; p++) {
        const src = b + (<usize>(p0 + p) * <usize>ldb + <usize>(j0 + jr)) * sz;
        const d = panel + <usize>(p * NR) * sz;
        if (cols == NR) {
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
        } else {
          for (let j = 0; j < NR; j++) store<T>(d + <usize>j * sz, j < cols ? load<T>(src + <usize>j * sz) : <T>0);
        }
      }
    } else {
      for (let j = 0; j < NR; j++) {
        let d = panel + <usize>j * sz;
        if (j < cols) {
          let src = b + (<usize>(j0 + jr + j) * <usize>ldb + <usize>p0) * sz;
          for (let p = 0; p < kc; p++) { store<T>(d, load<T>(src)); src += sz; d += <usize>NR * sz; }
        } else {
          for (let p = 0; p < kc; p++) { store<T>(d, <T>0); d += <usize>NR * sz; }
        }
      }
    }
  }
}

// One element's epilogue; `at` is its bias (EPI_BIAS_ACT) or activation (EPI_DERIVATIVE).
@inline function epilogue<T>(v: T, epi: i32, act: i32, at: usize): T {
  if (epi == EPI_BIAS_ACT) return forward<T>(act, v + load<T>(at));
  if (epi == EPI_DERIVATIVE) return derivative<T>(act, load<T>(at)) * v;
  return v;
}

@inline function storeRow<T>(c: usize, v0: v128, v1: v128, acc: bool): void {
  if (acc) {
    v0 = v128.add<T>(v0, v128.load(c));
    v1 = v128.add<T>(v1, v128.load(c, 16));
  }
  v128.store(c, v0);
  v128.store(c, v1, 16);
}

// The epilogue of one stored row of a full tile, in SIMD; aux is the row's bias or activations.
function epilogueRow<T>(c: usize, epi: i32, act: i32, aux: usize): void {
  let v0 = v128.load(c), v1 = v128.load(c, 16);
  if (epi == EPI_BIAS_ACT) {
    v0 = forwardV<T>(act, v128.add<T>(v0, v128.load(aux)));
    v1 = forwardV<T>(act, v128.add<T>(v1, v128.load(aux, 16)));
  } else {
    v0 = v128.mul<T>(derivativeV<T>(act, v128.load(aux)), v0);
    v1 = v128.mul<T>(derivativeV<T>(act, v128.load(aux, 16)), v1);
  }
  v128.store(c, v0);
  v128.store(c, v1, 16);
}

// One tile of C, MR x NR (or MR_SHORT x NR when rows <= MR_SHORT), from rows of op(A) read in place
// (row r at a0 + r*next, advancing by aStep per k) and a packed B panel (kc x NR). Rows past the edge
// repeat the last row and are not stored. Each element sums over k in order, whichever tile it is in.
function microKernel<T>(kc: i32, a0: usize, next: usize, aStep: usize,
  bp: usize, c: usize, ldc: i32, rows: i32, cols: i32, acc: bool, epi: i32, act: i32, aux: usize, tile: usize): void {
  const sz = <usize>sizeof<T>();
  const a1 = rows > 1 ? a0 + next : a0;
  const a2 = rows > 2 ? a1 + next : a1;
  const a3 = rows > 3 ? a2 + next : a2;
  let c00 = v128.splat<T>(0), c01 = v128.splat<T>(0);
  let c10 = v128.splat<T>(0), c11 = v128.splat<T>(0);
  let c20 = v128.splat<T>(0), c21 = v128.splat<T>(0);
  let c30 = v128.splat<T>(0), c31 = v128.splat<T>(0);
  let c40 = v128.splat<T>(0), c41 = v128.splat<T>(0);
  let c50 = v128.splat<T>(0), c51 = v128.splat<T>(0);
  const tall = MR > MR_SHORT && rows > MR_SHORT; // a compile-time false in the plain build
  if (tall) {
    const a4 = a3 + next;
    const a5 = rows > 5 ? a4 + next : a4;
    for (let p: usize = 0, end = <usize>kc * aStep; p < end; p += aStep) {
      const b0 = v128.load(bp);
      const b1 = v128.load(bp, 16);
      let a = v128.load_splat<T>(a0 + p);
      c00 = madd<T>(a, b0, c00);
      c01 = madd<T>(a, b1, c01);
      a = v128.load_splat<T>(a1 + p);
      c10 = madd<T>(a, b0, c10);
      c11 = madd<T>(a, b1, c11);
      a = v128.load_splat<T>(a2 + p);
      c20 = madd<T>(a, b0, c20);
      c21 = madd<T>(a, b1, c21);
      a = v128.load_splat<T>(a3 + p);
      c30 = madd<T>(a, b0, c30);
      c31 = madd<T>(a, b1, c31);
      a = v128.load_splat<T>(a4 + p);
      c40 = madd<T>(a, b0, c40);
      c41 = madd<T>(a, b1, c41);
      a = v128.load_splat<T>(a5 + p);
      c50 = madd<T>(a, b0, c50);
      c51 = madd<T>(a, b1, c51);
      bp += 32;
    }
  } else {
    // Four pointers that advance (Node 20's engine runs this form faster than offsets from a0).
    let p0 = a0, p1 = a1, p2 = a2, p3 = a3;
    for (let p = 0; p < kc; p++) {
      const b0 = v128.load(bp);
      const b1 = v128.load(bp, 16);
      let a = v128.load_splat<T>(p0);
      c00 = madd<T>(a, b0, c00);
      c01 = madd<T>(a, b1, c01);
      a = v128.load_splat<T>(p1);
      c10 = madd<T>(a, b0, c10);
      c11 = madd<T>(a, b1, c11);
      a = v128.load_splat<T>(p2);
      c20 = madd<T>(a, b0, c20);
      c21 = madd<T>(a, b1, c21);
      a = v128.load_splat<T>(p3);
      c30 = madd<T>(a, b0, c30);
      c31 = madd<T>(a, b1, c31);
      p0 += aStep; p1 += aStep; p2 += aStep; p3 += aStep;
      bp += 32;
    }
  }
  const row = <usize>ldc * sz;
  const tileRows = tall ? MR : MR_SHORT;
  if (rows == tileRows && cols == nr<T>() && (epi == EPI_NONE || epi == EPI_DERIVATIVE || hasVectorForward<T>(act))) {
    storeRow<T>(c, c00, c01, acc);
    storeRow<T>(c + row, c10, c11, acc);
    storeRow<T>(c + 2 * row, c20, c21, acc);
    storeRow<T>(c + 3 * row, c30, c31, acc);
    if (tall) {
      storeRow<T>(c + 4 * row, c40, c41, acc);
      storeRow<T>(c + 5 * row, c50, c51, acc);
    }
    // The epilogue re-reads the tile from L1 in a loop: one copy of the activation code, not one per row.
    if (epi != EPI_NONE) for (let i = 0; i < tileRows; i++) epilogueRow<T>(c + <usize>i * row, epi, act, epi == EPI_DERIVATIVE ? aux + <usize>i * row : aux);
    return;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  if (MR > MR_SHORT) {
    v128.store(tile, c40, 128); v128.store(tile, c41, 144);
    v128.store(tile, c50, 160); v128.store(tile, c51, 176);
  }
  for (let i = 0; i < rows; i++) {
    const t = tile + <usize>(i * 32);
    const ci = c + <usize>i * row;
    for (let j = 0; j < cols; j++) {
      const o = <usize>j * sz;
      const v = load<T>(t + o);
      store<T>(ci + o, epilogue<T>(acc ? load<T>(ci + o) + v : v, epi, act, epi == EPI_DERIVATIVE ? aux + <usize>i * row + o : aux + o));
    }
  }
}

// Direct triple loop for products too small to repay packing (the seed's 2-3-2 network).
// Inlined: for tiny networks the call itself is a visible share of an epoch.
@inline function gemmSmall<T>(transA: bool, transB: bool, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: bool): void {
  const sz = <usize>sizeof<T>();
  const ai = transA ? sz : <usize>lda * sz, ap = transA ? <usize>lda * sz : sz;
  const bj = transB ? <usize>ldb * sz : sz, bp = transB ? sz : <usize>ldb * sz;
  for (let i = 0; i < m; i++) {
    const cRow = c + <usize>i * <usize>ldc * sz;
    for (let j = 0; j < n; j++) {
      let pa = a + <usize>i * ai, pb = b + <usize>j * bj;
      let s: T = 0;
      for (let p = 0; p < k; p++) { s += load<T>(pa) * load<T>(pb); pa += ap; pb += bp; }
      const pc = cRow + <usize>j * sz;
      store<T>(pc, acc ? load<T>(pc) + s : s);
    }
  }
}

// The epilogue as its own pass over C, after a path whose product loop stays branch-free; inlined
// (a call per product is a visible share of a tiny network's epoch).
@inline function epiloguePass<T>(m: i32, n: i32, c: usize, ldc: i32, epi: i32, act: i32, aux: usize): void {
  if (epi == EPI_NONE) return;
  const sz = <usize>sizeof<T>();
  for (let i = 0; i < m; i++) {
    const cRow = c + <usize>i * <usize>ldc * sz;
    for (let j = 0; j < n; j++) {
      const at = epi == EPI_DERIVATIVE ? aux + (<usize>i * <usize>ldc + <usize>j) * sz : aux + <usize>j * sz;
      store<T>(cRow + <usize>j * sz, epilogue<T>(load<T>(cRow + <usize>j * sz), epi, act, at));
    }
  }
}

// Fewer rows than a register tile (a predict of one frame): packing B would cost more than the
// product, so B streams through once. Each row's columns go in blocks of eight vectors held in
// registers through the whole depth (eight independent multiply-add chains keep the unit busy; one
// load of B per vector, no load or store of C per step), then single vectors, then scalars. Each
// element still sums over p in order, from 0 (or from C when accumulating), as before. B not transposed.
function gemmFewRows<T>(m: i32, n: i32, k: i32, a: usize, rowStep: usize, aStep: usize,
  b: usize, ldb: i32, c: usize, ldc: i32, acc: bool): void {
  const sz = <usize>sizeof<T>(), lanes = 16 / sizeof<T>();
  const bStep = <usize>ldb * sz;
  for (let i = 0; i < m; i++) {
    const aRow = a + <usize>i * rowStep, cRow = c + <usize>i * <usize>ldc * sz;
    let j = 0;
    // (Not in the threaded builds, which keep within 64 KB: a predict of fewer than 4 rows there
    // goes a vector at a time, through the packed product's scratch-free path below.)
    if (!ASC_FEATURE_THREADS) for (; j + 8 * lanes <= n; j += 8 * lanes) {
      const cj = cRow + <usize>j * sz;
      const z = v128.splat<T>(0);
      let c0 = acc ? v128.load(cj) : z, c1 = acc ? v128.load(cj, 16) : z, c2 = acc ? v128.load(cj, 32) : z, c3 = acc ? v128.load(cj, 48) : z;
      let c4 = acc ? v128.load(cj, 64) : z, c5 = acc ? v128.load(cj, 80) : z, c6 = acc ? v128.load(cj, 96) : z, c7 = acc ? v128.load(cj, 112) : z;
      let pa = aRow, pb = b + <usize>j * sz;
      for (let p = 0; p < k; p++) {
        const av = v128.load_splat<T>(pa);
        c0 = madd<T>(av, v128.load(pb), c0);
        c1 = madd<T>(av, v128.load(pb, 16), c1);
        c2 = madd<T>(av, v128.load(pb, 32), c2);
        c3 = madd<T>(av, v128.load(pb, 48), c3);
        c4 = madd<T>(av, v128.load(pb, 64), c4);
        c5 = madd<T>(av, v128.load(pb, 80), c5);
        c6 = madd<T>(av, v128.load(pb, 96), c6);
        c7 = madd<T>(av, v128.load(pb, 112), c7);
        pa += aStep; pb += bStep;
      }
      v128.store(cj, c0); v128.store(cj, c1, 16); v128.store(cj, c2, 32); v128.store(cj, c3, 48);
      v128.store(cj, c4, 64); v128.store(cj, c5, 80); v128.store(cj, c6, 96); v128.store(cj, c7, 112);
    }
    for (; j + lanes <= n; j += lanes) {
      const cj = cRow + <usize>j * sz;
      let c0 = acc ? v128.load(cj) : v128.splat<T>(0);
      let pa = aRow, pb = b + <usize>j * sz;
      for (let p = 0; p < k; p++) { c0 = madd<T>(v128.load_splat<T>(pa), v128.load(pb), c0); pa += aStep; pb += bStep; }
      v128.store(cj, c0);
    }
    for (; j < n; j++) {
      const cj = cRow + <usize>j * sz;
      let s: T = acc ? load<T>(cj) : <T>0;
      let pa = aRow, pb = b + <usize>j * sz;
      for (let p = 0; p < k; p++) { s = s + load<T>(pa) * load<T>(pb); pa += aStep; pb += bStep; }
      store<T>(cj, s);
    }
  }
}

/**
 * C (m x n, stride ldc) = op(A) (m x k) · op(B) (k x n), plus C if acc, then the epilogue `epi`
 * (EPI_BIAS_ACT: aux = bias; EPI_DERIVATIVE: aux = activations laid out like C). ws: scratch.
 */
export function gemm<T>(transA: bool, transB: bool, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: bool, ws: usize,
  epi: i32 = EPI_NONE, act: i32 = 0, aux: usize = 0): void {
  if (m <= 0 || n <= 0) return;
  const sz = <usize>sizeof<T>();
  if (k <= 0 || <i64>m * <i64>n * <i64>k <= SMALL) {
    gemmSmall<T>(transA, transB, m, n, max(k, 0), a, lda, b, ldb, c, ldc, acc);
  } else if (m < MR_SHORT && !transB) {
    const rs = transA ? sz : <usize>lda * sz, ps = transA ? <usize>lda * sz : sz;
    gemmFewRows<T>(m, n, k, a, rs, ps, b, ldb, c, ldc, acc);
  } else {
    if (parallelGemm<T>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, acc, epi, act, aux)) return;
    gemmPacked<T>(transA, transB, 0, m, n, k, a, lda, b, ldb, c, ldc, acc, ws, epi, act, aux);
    return;
  }
  // The small and few-row paths: one inlined copy of the epilogue pass for both.
  epiloguePass<T>(m, n, c, ldc, epi, act, aux);
}

/**
 * Rows [i0, i1) of the packed product (m >= MR_SHORT, more than SMALL multiply-adds): each element sums
 * over k exactly as for the whole product, so threads that split the rows compute the same bits.
 */
export function gemmPacked<T>(transA: bool, transB: bool, i0: i32, i1: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: bool, ws: usize,
  epi: i32, act: i32, aux: usize): void {
  const sz = <usize>sizeof<T>();
  const NR = nr<T>();
  const m = i1 - i0;
  const bPack = (ws + 15) & ~<usize>15;
  const aPack = bPack + <usize>(kcMax<T>() * NC) * sz;
  const tile = bPack + <usize>(PANEL_BYTES / 32) * <usize>(NC + MC) * 8;
  // A transposed with a stride that is a multiple of 1 KiB (2 KiB or more) maps its column reads to
  // a few L1 sets: when it is reused across column panels, it is packed contiguously instead.
  const strideBytes = <usize>lda * sz;
  const packA = transA && n > NR && strideBytes >= 2048 && (strideBytes & 1023) == 0;
  // op(A)[i][p] lives at a + i*rowStep + p*aStep: rows of A for nn/nt, columns of the stored A for tn.
  const rowStep = transA ? sz : <usize>lda * sz;
  const aStep = transA ? <usize>lda * sz : sz;
  a += <usize>i0 * rowStep;
  c += <usize>i0 * <usize>ldc * sz;
  if (epi == EPI_DERIVATIVE) aux += <usize>i0 * <usize>ldc * sz;
  const blocks = (k + kcMax<T>() - 1) / kcMax<T>();
  const kcEven = (k + blocks - 1) / blocks;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kcEven) {
      const kc = min(kcEven, k - pc);
      packB<T>(transB, b, ldb, pc, jc, kc, nc, bPack);
      const accBlock = acc || pc > 0;
      const epiBlock = pc + kc >= k ? epi : EPI_NONE; // the epilogue runs once, on the final sums
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        if (packA) packTransposedA<T>(a, lda, ic, pc, mc, kc, aPack);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const bp = bPack + <usize>(jr * kc) * sz;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            let a0: usize, step: usize, next: usize;
            if (packA) {
              a0 = aPack + <usize>(ir * kc) * sz; step = <usize>MR * sz; next = sz;
            } else {
              a0 = a + <usize>(ic + ir) * rowStep + <usize>pc * aStep; step = aStep; next = rowStep;
            }
            const offset = (<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) * sz;
            const tileAux = epiBlock == EPI_DERIVATIVE ? aux + offset : aux + <usize>(jc + jr) * sz;
            microKernel<T>(kc, a0, next, step, bp, c + offset, ldc, rows, cols, accBlock, epiBlock, act, tileAux, tile);
          }
        }
      }
    }
  }
}
