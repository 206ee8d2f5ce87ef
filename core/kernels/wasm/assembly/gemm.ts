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
 * results are bit-identical run to run. Multiply and add are separate IEEE operations (no
 * fused multiply-add), so they are bit-identical on every host as well.
 */

/** 4×8 f32 of scratch for edge tiles. */
const EDGE: usize = memory.data(128, 16);

/** Ap := A packed in panels of 4 rows (see above). Ap holds ceil(M/4)·4·K floats. */
export function packA(M: i32, K: i32, a: usize, sam: i32, sak: i32, ap: usize): void {
  const panel = <usize>K << 4;
  for (let m0 = 0; m0 < M; m0 += 4) {
    let dst = ap + <usize>(m0 >> 2) * panel;
    for (let k = 0; k < K; k++) {
      for (let r = 0; r < 4; r++) {
        const m = m0 + r;
        store<f32>(dst, m < M ? load<f32>(a + ((<usize>m * <usize>sam + <usize>k * <usize>sak) << 2)) : 0);
        dst += 4;
      }
    }
  }
}

/** Bp := B packed in panels of 8 columns (see above). Bp holds ceil(N/8)·8·K floats. */
export function packB(K: i32, N: i32, b: usize, sbk: i32, sbn: i32, bp: usize): void {
  const panel = <usize>K << 5;
  for (let n0 = 0; n0 < N; n0 += 8) {
    let dst = bp + <usize>(n0 >> 3) * panel;
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < 8; j++) {
        const n = n0 + j;
        store<f32>(dst, n < N ? load<f32>(b + ((<usize>k * <usize>sbk + <usize>n * <usize>sbn) << 2)) : 0);
        dst += 4;
      }
    }
  }
}

@inline function madd(x: v128, b: v128, acc: v128): v128 {
  return f32x4.add(acc, f32x4.mul(x, b));
}

/** C += Ap·Bp for packed operands (packA, packB) of an (M, K) by (K, N) product. */
export function gemmPacked(M: i32, N: i32, K: i32, ap: usize, bp: usize, c: usize, ldc: i32): void {
  const lc = <usize>ldc << 2;
  const panelA = <usize>K << 4;
  const panelB = <usize>K << 5;
  // Column panels outside: one panel of B (K·32 bytes) stays in cache while A streams past.
  for (let n0 = 0; n0 < N; n0 += 8) {
    const pbStart = bp + <usize>(n0 >> 3) * panelB;
    for (let m0 = 0; m0 < M; m0 += 4) {
      let pa = ap + <usize>(m0 >> 2) * panelA;
      let pb = pbStart;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      for (let k = 0; k < K; k++) {
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
        v128.store(EDGE, c00); v128.store(EDGE, c01, 16); v128.store(EDGE, c10, 32); v128.store(EDGE, c11, 48);
        v128.store(EDGE, c20, 64); v128.store(EDGE, c21, 80); v128.store(EDGE, c30, 96); v128.store(EDGE, c31, 112);
        const rows = min(4, M - m0);
        const cols = min(8, N - n0);
        for (let r = 0; r < rows; r++) {
          const p = c + <usize>(m0 + r) * lc + (<usize>n0 << 2);
          for (let j = 0; j < cols; j++) {
            const q = p + (<usize>j << 2);
            store<f32>(q, load<f32>(q) + load<f32>(EDGE + (<usize>(r * 8 + j) << 2)));
          }
        }
      }
    }
  }
}
