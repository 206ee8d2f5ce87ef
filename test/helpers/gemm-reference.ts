/**
 * Naive references for the products of core/kernels/gemm.ts (and of the WebAssembly gemm,
 * which computes the same three forms): the textbook triple loop, written for clarity, with
 * the kernels' own signature — offsets, leading dimensions, C += product — so a test can hand
 * the same arguments to both. They live here, not in core/, because nothing ships them: their
 * only job is to be obviously right.
 *
 * Each entry is summed in a float64 `s` in the order k = 0 … K−1 and added to C once, so 0·NaN
 * and 0·∞ give NaN wherever they occur, as IEEE arithmetic says.
 */
import assert from 'node:assert/strict';
import type { FloatArray } from '../../core/dtype';

export type GemmForm = 'ABt' | 'AB' | 'AtB';

export type Product = (
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
) => void;

/** C[m, n] += Σ_k A[m, k] · B[n, k]        A: (M, K), B: (N, K), C: (M, N) */
export function naiveABt(...[M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc]: Parameters<Product>): void {
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[aOff + m * lda + k] * B[bOff + n * ldb + k];
      C[cOff + m * ldc + n] += s;
    }
  }
}

/** C[m, n] += Σ_k A[m, k] · B[k, n]        A: (M, K), B: (K, N), C: (M, N) */
export function naiveAB(...[M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc]: Parameters<Product>): void {
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[aOff + m * lda + k] * B[bOff + k * ldb + n];
      C[cOff + m * ldc + n] += s;
    }
  }
}

/** C[m, n] += Σ_k A[k, m] · B[k, n]        A: (K, M), B: (K, N), C: (M, N) */
export function naiveAtB(...[M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc]: Parameters<Product>): void {
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[aOff + k * lda + m] * B[bOff + k * ldb + n];
      C[cOff + m * ldc + n] += s;
    }
  }
}

export const NAIVE: Record<GemmForm, Product> = { ABt: naiveABt, AB: naiveAB, AtB: naiveAtB };

/**
 * How each form stores the logical A (M×K) and B (K×N): the stored (rows, cols), and the index
 * of element A(m, k) / B(k, n) from the operand's offset at leading dimension ld.
 */
export const LAYOUT: Record<
  GemmForm,
  {
    aShape: (M: number, K: number) => [rows: number, cols: number];
    bShape: (K: number, N: number) => [rows: number, cols: number];
    a: (m: number, k: number, ld: number) => number;
    b: (k: number, n: number, ld: number) => number;
  }
> = {
  ABt: { aShape: (M, K) => [M, K], bShape: (K, N) => [N, K], a: (m, k, ld) => m * ld + k, b: (k, n, ld) => n * ld + k },
  AB: { aShape: (M, K) => [M, K], bShape: (K, N) => [K, N], a: (m, k, ld) => m * ld + k, b: (k, n, ld) => k * ld + n },
  AtB: { aShape: (M, K) => [K, M], bShape: (K, N) => [K, N], a: (m, k, ld) => k * ld + m, b: (k, n, ld) => k * ld + n },
};

/** The unit roundoff of float64 arithmetic, in which the references sum. */
const U64 = 2 ** -53;

/** The unit roundoff of a dtype's arithmetic: 2⁻²⁴ for float32, 2⁻⁵³ for float64. */
export function unitRoundoff(C: FloatArray): number {
  return C instanceof Float32Array ? 2 ** -24 : U64;
}

/**
 * The float64 reference for `form` on these operands, and the magnitude Σ|c0| + Σ_k |a·b| of
 * each entry (the same loop on absolute values) for the error bound. Both are [M, N] at ld N.
 */
export function referenceProduct(
  form: GemmForm,
  ...[M, N, K, A, aOff, lda, B, bOff, ldb, C0, cOff, ldc]: Parameters<Product>
): { value: Float64Array; magnitude: Float64Array } {
  const value = new Float64Array(M * N);
  const magnitude = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      value[m * N + n] = C0[cOff + m * ldc + n];
      magnitude[m * N + n] = Math.abs(C0[cOff + m * ldc + n]);
    }
  }
  NAIVE[form](M, N, K, A, aOff, lda, B, bOff, ldb, value, 0, N);
  NAIVE[form](M, N, K, A.map(Math.abs), aOff, lda, B.map(Math.abs), bOff, ldb, magnitude, 0, N);
  return { value, magnitude };
}

/**
 * Asserts every entry (m, n) of C's M×N window (at cOff, ldc) is within the classical bound
 * for a sum of K products and the old C of the float64 reference:
 *
 *   |ĉ − c| ≤ γ_{K+1}(u)·mag ≤ (K + 2)·u·mag     the kernel, in arithmetic of unit roundoff u
 *   |c̃ − c| ≤ (K + 2)·2⁻⁵³·mag                  the float64 reference itself
 *
 * (mag = Σ|c0| + Σ_k |a_k b_k|; Higham, Accuracy and Stability of Numerical Algorithms, §3.1).
 * So |ĉ − c̃| ≤ (K + 2)·(u + 2⁻⁵³)·mag. A float32 kernel that sums in doubles and rounds each
 * store into C (the JS kernels) rounds at most K + 1 times, so the float32 u covers it too.
 */
export function assertWithinDotBound(
  label: string,
  M: number,
  N: number,
  K: number,
  u: number,
  got: (m: number, n: number) => number,
  ref: { value: Float64Array; magnitude: Float64Array },
): void {
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      const exact = ref.value[m * N + n];
      const bound = (K + 2) * (u + U64) * ref.magnitude[m * N + n];
      const g = got(m, n);
      assert.ok(Math.abs(g - exact) <= bound, `${label} at (${m}, ${n}): ${g} vs ${exact}, bound ${bound}`);
    }
  }
}

/** Asserts every element of C outside its M×N window (the offset, the row gaps, the tail) is as before. */
export function assertOutsideWindowUntouched(
  label: string,
  C: ArrayLike<number>,
  before: ArrayLike<number>,
  M: number,
  N: number,
  cOff: number,
  ldc: number,
): void {
  for (let i = 0; i < C.length; i++) {
    const row = Math.floor((i - cOff) / ldc);
    const col = (i - cOff) % ldc;
    const inside = i >= cOff && row < M && col < N;
    if (!inside && !Object.is(C[i], before[i]))
      assert.fail(`${label}: element ${i} outside C's ${M}×${N} window changed from ${before[i]} to ${C[i]}`);
  }
}
