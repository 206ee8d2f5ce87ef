/**
 * Matrix products on flat row-major arrays, the only hot loops of the core besides the gate
 * nonlinearities. Each variant keeps its innermost loop running over contiguous memory, and
 * takes offsets and leading dimensions so callers can address one time step of a [T, B, X]
 * buffer without making a view (no allocation inside time loops).
 *
 * Naming follows what is multiplied: `AB` is A·B, `ABt` is A·Bᵀ, `AtB` is Aᵀ·B.
 * All of them *accumulate*: C += product. Zero C first for a plain product.
 *
 * Register blocking: JS has no SIMD, so speed comes from reusing each loaded value several
 * times — 2 rows of A against 4 rows of B (8 accumulators) in ABt, 2 rows of C updated per
 * pass over B in AB.
 */
import type { FloatArray } from '../dtype';

/**
 * C[m, n] += Σ_k A[m, k] · B[n, k]        A: (M, K) ld=lda, B: (N, K) ld=ldb, C: (M, N) ld=ldc
 *
 * The forward product x·Wᵀ with W in PyTorch's [out, in] layout: dot products of two
 * contiguous rows.
 */
export function gemmABt(
  M: number,
  N: number,
  K: number,
  A: FloatArray,
  aOff: number,
  lda: number,
  B: FloatArray,
  bOff: number,
  ldb: number,
  C: FloatArray,
  cOff: number,
  ldc: number,
): void {
  const N4 = N - (N % 4);
  let m = 0;
  for (; m + 1 < M; m += 2) {
    const a0 = aOff + m * lda;
    const a1 = a0 + lda;
    const c0 = cOff + m * ldc;
    const c1 = c0 + ldc;
    let n = 0;
    for (; n < N4; n += 4) {
      const b0 = bOff + n * ldb;
      const b1 = b0 + ldb;
      const b2 = b1 + ldb;
      const b3 = b2 + ldb;
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0;
      let s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = A[a0 + k];
        const x1 = A[a1 + k];
        const w0 = B[b0 + k];
        const w1 = B[b1 + k];
        const w2 = B[b2 + k];
        const w3 = B[b3 + k];
        s00 += x0 * w0;
        s01 += x0 * w1;
        s02 += x0 * w2;
        s03 += x0 * w3;
        s10 += x1 * w0;
        s11 += x1 * w1;
        s12 += x1 * w2;
        s13 += x1 * w3;
      }
      C[c0 + n] += s00;
      C[c0 + n + 1] += s01;
      C[c0 + n + 2] += s02;
      C[c0 + n + 3] += s03;
      C[c1 + n] += s10;
      C[c1 + n + 1] += s11;
      C[c1 + n + 2] += s12;
      C[c1 + n + 3] += s13;
    }
    for (; n < N; n++) {
      const b0 = bOff + n * ldb;
      let s0 = 0,
        s1 = 0;
      for (let k = 0; k < K; k++) {
        s0 += A[a0 + k] * B[b0 + k];
        s1 += A[a1 + k] * B[b0 + k];
      }
      C[c0 + n] += s0;
      C[c1 + n] += s1;
    }
  }
  if (m < M) {
    const a0 = aOff + m * lda;
    const c0 = cOff + m * ldc;
    let n = 0;
    for (; n < N4; n += 4) {
      const b0 = bOff + n * ldb;
      const b1 = b0 + ldb;
      const b2 = b1 + ldb;
      const b3 = b2 + ldb;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let k = 0; k < K; k++) {
        const x = A[a0 + k];
        s0 += x * B[b0 + k];
        s1 += x * B[b1 + k];
        s2 += x * B[b2 + k];
        s3 += x * B[b3 + k];
      }
      C[c0 + n] += s0;
      C[c0 + n + 1] += s1;
      C[c0 + n + 2] += s2;
      C[c0 + n + 3] += s3;
    }
    for (; n < N; n++) {
      const b0 = bOff + n * ldb;
      let s = 0;
      for (let k = 0; k < K; k++) s += A[a0 + k] * B[b0 + k];
      C[c0 + n] += s;
    }
  }
}

/**
 * C[m, n] += Σ_k A[m, k] · B[k, n]        A: (M, K) ld=lda, B: (K, N) ld=ldb, C: (M, N) ld=ldc
 *
 * The input gradient dX = dY·W: rows of C are built from rows of B, four at a time, two
 * rows of C per pass. No zero of A is skipped: 0·NaN and 0·∞ are NaN, so a NaN or ∞ in B
 * reaches every row of C alike, as in the naive product. A skip would buy little here: every
 * caller's A is a gradient ∂L/∂Z, dense in general (the one-hot inputs, where zeros abound,
 * take the sparse path of projection.ts).
 */
export function gemmAB(
  M: number,
  N: number,
  K: number,
  A: FloatArray,
  aOff: number,
  lda: number,
  B: FloatArray,
  bOff: number,
  ldb: number,
  C: FloatArray,
  cOff: number,
  ldc: number,
): void {
  const K4 = K - (K % 4);
  let m = 0;
  for (; m + 1 < M; m += 2) {
    const a0 = aOff + m * lda;
    const a1 = a0 + lda;
    const c0 = cOff + m * ldc;
    const c1 = c0 + ldc;
    let k = 0;
    for (; k < K4; k += 4) {
      const x00 = A[a0 + k],
        x01 = A[a0 + k + 1],
        x02 = A[a0 + k + 2],
        x03 = A[a0 + k + 3];
      const x10 = A[a1 + k],
        x11 = A[a1 + k + 1],
        x12 = A[a1 + k + 2],
        x13 = A[a1 + k + 3];
      const b0 = bOff + k * ldb;
      const b1 = b0 + ldb;
      const b2 = b1 + ldb;
      const b3 = b2 + ldb;
      for (let n = 0; n < N; n++) {
        const w0 = B[b0 + n],
          w1 = B[b1 + n],
          w2 = B[b2 + n],
          w3 = B[b3 + n];
        C[c0 + n] += x00 * w0 + x01 * w1 + x02 * w2 + x03 * w3;
        C[c1 + n] += x10 * w0 + x11 * w1 + x12 * w2 + x13 * w3;
      }
    }
    for (; k < K; k++) {
      const x0 = A[a0 + k];
      const x1 = A[a1 + k];
      const b0 = bOff + k * ldb;
      for (let n = 0; n < N; n++) {
        const w = B[b0 + n];
        C[c0 + n] += x0 * w;
        C[c1 + n] += x1 * w;
      }
    }
  }
  if (m < M) {
    const a0 = aOff + m * lda;
    const c0 = cOff + m * ldc;
    for (let k = 0; k < K; k++) {
      const x = A[a0 + k];
      const b0 = bOff + k * ldb;
      for (let n = 0; n < N; n++) C[c0 + n] += x * B[b0 + n];
    }
  }
}

/**
 * C[m, n] += Σ_k A[k, m] · B[k, n]        A: (K, M) ld=lda, B: (K, N) ld=ldb, C: (M, N) ld=ldc
 *
 * The weight gradient dW = dYᵀ·X summed over all time steps and batch rows at once. Both
 * operands are transposed into scratch first, so the long sum over k runs as contiguous dot
 * products (gemmABt) instead of strided column reads.
 */
export function gemmAtB(
  M: number,
  N: number,
  K: number,
  A: FloatArray,
  aOff: number,
  lda: number,
  B: FloatArray,
  bOff: number,
  ldb: number,
  C: FloatArray,
  cOff: number,
  ldc: number,
): void {
  const At = transpose(A, aOff, lda, K, M);
  const Bt = transpose(B, bOff, ldb, K, N);
  gemmABt(M, N, K, At, 0, K, Bt, 0, K, C, cOff, ldc);
}

/** The (cols, rows) transpose of a (rows, cols) block, in a new array of the same type. */
export function transpose(src: FloatArray, off: number, ld: number, rows: number, cols: number): FloatArray {
  const out = new (src.constructor as Float64ArrayConstructor)(rows * cols);
  // Tiles of 32×32 keep both the reads and the writes within a few cache lines.
  for (let r0 = 0; r0 < rows; r0 += 32) {
    const r1 = Math.min(r0 + 32, rows);
    for (let c0 = 0; c0 < cols; c0 += 32) {
      const c1 = Math.min(c0 + 32, cols);
      for (let r = r0; r < r1; r++) {
        const s = off + r * ld;
        for (let c = c0; c < c1; c++) out[c * rows + r] = src[s + c];
      }
    }
  }
  return out;
}

/** Adds the column sums of a [rows, width] matrix (at stride ld, from off) into `out`, rows in order (bias gradients). */
export function addColumnSums(out: FloatArray, m: FloatArray, rows: number, width: number, ld = width, off = 0): void {
  for (let r = 0; r < rows; r++) {
    const base = off + r * ld;
    for (let k = 0; k < width; k++) out[k] += m[base + k];
  }
}
