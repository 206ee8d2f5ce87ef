/**
 * f32 matrix product on packed panels, one 4×8 register tile (XNNPACK's f32-gemm-4x8-wasmsimd
 * shape):
 *
 *   C[m, n] += Σ_k A(m, k) · B(k, n)          C: (M, N) row-major, leading dimension ldc
 *
 * JS twin: core/kernels/gemm.ts — gemmABt, gemmAB and gemmAtB are this product with A or B
 * read transposed, which here is only a choice of strides when packing.
 *
 * Packing copies each operand once into the order the inner loop reads it:
 *   A(m, k) at a + 4·(m·sam + k·sak)  →  Ap[(m / 4)·K·4 + k·4 + m % 4]   rows past M are 0
 *   B(k, n) at b + 4·(k·sbk + n·sbn)  →  Bp[(n / 8)·K·8 + k·8 + n % 8]   columns past N are 0
 * so one step of k reads 4 values of A (splat into 4 vectors) and 8 of B (2 vectors), both
 * contiguous whatever the strides were, and does 8 vector multiply-adds into 8 accumulators.
 * The zero padding lets edge tiles run the same loop; only their store is narrower.
 *
 * Summation order is fixed (k ascending, one accumulator per C entry, then added to C), so
 * results are bit-identical run to run, and on one machine whatever the runtime (Node 20 with
 * the relaxed-SIMD flag the hosts set, Node 22+, VS Code, code-server).
 */
import { clockStart, lap } from './clock';
import { madd } from './madd';

/** Ap := A packed in panels of 4 rows (see above). Ap holds ceil(M/4)·4·K floats. */
export function packA(M: i32, K: i32, a: usize, sam: i32, sak: i32, ap: usize): void {
  const panel = <usize>K << 4;
  const sa = <usize>sam << 2;
  const ka = <usize>sak << 2;
  for (let m0 = 0; m0 < M; m0 += 4) {
    const dst = ap + <usize>(m0 >> 2) * panel;
    const src = a + <usize>m0 * sa;
    if (m0 + 4 <= M && sam == 1) {
      // A read transposed (A(m, k) = A[k·sak + m]): the panel's 4 values at each k are adjacent.
      for (let k = 0; k < K; k++) v128.store(dst + (<usize>k << 4), v128.load(src + <usize>k * ka));
    } else if (m0 + 4 <= M && sak == 1) {
      // Row-major A: 4×4 blocks, transposed in registers.
      let k = 0;
      for (; k + 4 <= K; k += 4) {
        const o = <usize>k << 2;
        const r0 = v128.load(src + o),
          r1 = v128.load(src + sa + o),
          r2 = v128.load(src + 2 * sa + o),
          r3 = v128.load(src + 3 * sa + o);
        const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
        const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
        const d = dst + (<usize>k << 4);
        v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
        v128.store(d, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 16);
        v128.store(d, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 32);
        v128.store(d, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 48);
      }
      for (; k < K; k++) {
        const o = <usize>k << 2;
        const d = dst + (<usize>k << 4);
        store<f32>(d, load<f32>(src + o));
        store<f32>(d, load<f32>(src + sa + o), 4);
        store<f32>(d, load<f32>(src + 2 * sa + o), 8);
        store<f32>(d, load<f32>(src + 3 * sa + o), 12);
      }
    } else {
      let d = dst;
      for (let k = 0; k < K; k++) {
        for (let r = 0; r < 4; r++) {
          store<f32>(d, m0 + r < M ? load<f32>(src + <usize>r * sa + <usize>k * ka) : 0);
          d += 4;
        }
      }
    }
  }
}

/** Bp := B packed in panels of 8 columns (see above). Bp holds ceil(N/8)·8·K floats. */
export function packB(K: i32, N: i32, b: usize, sbk: i32, sbn: i32, bp: usize): void {
  const panel = <usize>K << 5;
  const kb = <usize>sbk << 2;
  const nb = <usize>sbn << 2;
  for (let n0 = 0; n0 < N; n0 += 8) {
    const dst = bp + <usize>(n0 >> 3) * panel;
    const src = b + <usize>n0 * nb;
    if (n0 + 8 <= N && sbn == 1) {
      // Row-major B: the panel's 8 values at each k are adjacent.
      for (let k = 0; k < K; k++) {
        const s = src + <usize>k * kb;
        const d = dst + (<usize>k << 5);
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
      }
    } else {
      let d = dst;
      for (let k = 0; k < K; k++) {
        for (let j = 0; j < 8; j++) {
          store<f32>(d, n0 + j < N ? load<f32>(src + <usize>j * nb + <usize>k * kb) : 0);
          d += 4;
        }
      }
    }
  }
}

/** Depth of a k-block: the A panels of one block (M·KC floats) stay in L2 while every B panel passes. */
const KC = 256;

/**
 * C += Ap·Bp for packed operands (packA, packB) of an (M, K) by (K, N) product. `edge` is 32
 * floats of the caller's scratch for tiles that overhang C (per thread: nothing static is shared).
 *
 * Long products (K > KC: the weight gradients, summed over every step and batch row) run in
 * k-blocks, each added into C in turn — without them the A panels (M·K floats, 52 MB for a
 * 512-unit LSTM over 6,400 rows) would stream from memory once per column panel.
 */
export function gemmPacked(M: i32, N: i32, K: i32, ap: usize, bp: usize, c: usize, ldc: i32, edge: usize): void {
  for (let k0 = 0; k0 < K; k0 += KC) gemmBlock(M, N, K, k0, min(KC, K - k0), ap, bp, c, ldc, edge);
}

/**
 * Steps k0 … k0+kc of the product (panels are K deep; this block starts k0 into each). The
 * smaller operand's block stays in cache while the larger one's panels pass once:
 *  - N ≥ M (a step's product with the recurrent weights: few batch rows, many gate columns):
 *    column panels outside, so one panel of B (kc·32 bytes) stays in L1 while the A panels pass;
 *  - M > N (an output layer over every step's row, a weight gradient): row panels outside, so
 *    one panel of A stays in L1 while the (small) B block passes from L2 — the other order
 *    streamed all of A from L3 once per column panel (measured: 44 → 52 GFLOP/s on a 3200-row,
 *    65-column product).
 * Either order computes each entry of C the same way: the order changes no bit.
 */
function gemmBlock(
  M: i32,
  N: i32,
  K: i32,
  k0: i32,
  kc: i32,
  ap: usize,
  bp: usize,
  c: usize,
  ldc: i32,
  edge: usize,
): void {
  const panelA = <usize>K << 4;
  const panelB = <usize>K << 5;
  const a0 = ap + (<usize>k0 << 4);
  const b0 = bp + (<usize>k0 << 5);
  if (N >= M) {
    for (let n0 = 0; n0 < N; n0 += 8)
      for (let m0 = 0; m0 < M; m0 += 4)
        gemmTile(M, N, m0, n0, kc, a0 + <usize>(m0 >> 2) * panelA, b0 + <usize>(n0 >> 3) * panelB, c, ldc, edge);
  } else {
    for (let m0 = 0; m0 < M; m0 += 4)
      for (let n0 = 0; n0 < N; n0 += 8)
        gemmTile(M, N, m0, n0, kc, a0 + <usize>(m0 >> 2) * panelA, b0 + <usize>(n0 >> 3) * panelB, c, ldc, edge);
  }
}

/** C[m0 … m0+4, n0 … n0+8] += the kc steps of k from panels pa (A) and pb (B). */
@inline function gemmTile(
  M: i32,
  N: i32,
  m0: i32,
  n0: i32,
  kc: i32,
  pa: usize,
  pb: usize,
  c: usize,
  ldc: i32,
  edge: usize,
): void {
  const lc = <usize>ldc << 2;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let x = v128.load32_splat(pa);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(pa, 4);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(pa, 8);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(pa, 12);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    pa += 16;
    pb += 32;
  }
  if (m0 + 4 <= M && n0 + 8 <= N) {
    let p = c + <usize>m0 * lc + (<usize>n0 << 2);
    v128.store(p, f32x4.add(v128.load(p), c00)); v128.store(p, f32x4.add(v128.load(p, 16), c01), 16);
    p += lc;
    v128.store(p, f32x4.add(v128.load(p), c10)); v128.store(p, f32x4.add(v128.load(p, 16), c11), 16);
    p += lc;
    v128.store(p, f32x4.add(v128.load(p), c20)); v128.store(p, f32x4.add(v128.load(p, 16), c21), 16);
    p += lc;
    v128.store(p, f32x4.add(v128.load(p), c30)); v128.store(p, f32x4.add(v128.load(p, 16), c31), 16);
  } else {
    // Edge tile: spill the accumulators, add only the entries inside C.
    v128.store(edge, c00); v128.store(edge, c01, 16); v128.store(edge, c10, 32); v128.store(edge, c11, 48);
    v128.store(edge, c20, 64); v128.store(edge, c21, 80); v128.store(edge, c30, 96); v128.store(edge, c31, 112);
    const rows = min(4, M - m0);
    const cols = min(8, N - n0);
    for (let r = 0; r < rows; r++) {
      const p = c + <usize>(m0 + r) * lc + (<usize>n0 << 2);
      for (let j = 0; j < cols; j++) {
        const q = p + (<usize>j << 2);
        store<f32>(q, load<f32>(q) + load<f32>(edge + (<usize>(r * 8 + j) << 2)));
      }
    }
  }
}

/**
 * C += A·Bp for rows 0 … M of A (strided, packed here into ap) against an already packed B.
 * Two threads each take a range of rows — every row of C is computed the same way whichever
 * thread runs it, so the split changes no bit of the result. prof (or 0): a profile block
 * (clock.ts) for packing and product.
 */
export function gemmRows(
  M: i32,
  N: i32,
  K: i32,
  a: usize,
  sam: i32,
  sak: i32,
  bp: usize,
  c: usize,
  ldc: i32,
  ap: usize,
  edge: usize,
  prof: usize,
): void {
  let clock = clockStart(prof);
  packA(M, K, a, sam, sak, ap);
  clock = lap(prof, 0, clock);
  gemmPacked(M, N, K, ap, bp, c, ldc, edge);
  lap(prof, 1, clock);
}
