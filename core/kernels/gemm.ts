/**
 * Matrix products on flat row-major arrays, the only hot loops of the core besides the gate
 * nonlinearities. Each variant keeps its innermost loop running over contiguous memory, and
 * takes offsets and leading dimensions so callers can address one time step of a [T, B, X]
 * buffer without making a view (no allocation inside time loops).
 *
 * Naming follows what is multiplied: `AB` is A·B, `ABt` is A·Bᵀ, `AtB` is Aᵀ·B.
 * All of them *accumulate*: C += product. Zero C first for a plain product.
 */
import type { FloatArray } from '../dtype';

/**
 * C[m, n] += Σ_k A[m, k] · B[n, k]        A: (M, K) ld=lda, B: (N, K) ld=ldb, C: (M, N) ld=ldc
 *
 * The forward product x·Wᵀ with W in PyTorch's [out, in] layout. Four output columns at a
 * time share each load of A (a 1×4 register block).
 */
export function gemmABt(
  M: number, N: number, K: number,
  A: FloatArray, aOff: number, lda: number,
  B: FloatArray, bOff: number, ldb: number,
  C: FloatArray, cOff: number, ldc: number,
): void {
  const N4 = N - (N % 4);
  for (let m = 0; m < M; m++) {
    const a = aOff + m * lda;
    const c = cOff + m * ldc;
    let n = 0;
    for (; n < N4; n += 4) {
      const b0 = bOff + n * ldb;
      const b1 = b0 + ldb;
      const b2 = b1 + ldb;
      const b3 = b2 + ldb;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < K; k++) {
        const av = A[a + k];
        s0 += av * B[b0 + k];
        s1 += av * B[b1 + k];
        s2 += av * B[b2 + k];
        s3 += av * B[b3 + k];
      }
      C[c + n] += s0;
      C[c + n + 1] += s1;
      C[c + n + 2] += s2;
      C[c + n + 3] += s3;
    }
    for (; n < N; n++) {
      const b0 = bOff + n * ldb;
      let s = 0;
      for (let k = 0; k < K; k++) s += A[a + k] * B[b0 + k];
      C[c + n] += s;
    }
  }
}

/**
 * C[m, n] += Σ_k A[m, k] · B[k, n]        A: (M, K) ld=lda, B: (K, N) ld=ldb, C: (M, N) ld=ldc
 *
 * The input gradient dX = dY·W. Four rows of B are folded into each pass over a row of C.
 */
export function gemmAB(
  M: number, N: number, K: number,
  A: FloatArray, aOff: number, lda: number,
  B: FloatArray, bOff: number, ldb: number,
  C: FloatArray, cOff: number, ldc: number,
): void {
  const K4 = K - (K % 4);
  for (let m = 0; m < M; m++) {
    const a = aOff + m * lda;
    const c = cOff + m * ldc;
    let k = 0;
    for (; k < K4; k += 4) {
      const a0 = A[a + k], a1 = A[a + k + 1], a2 = A[a + k + 2], a3 = A[a + k + 3];
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue; // one-hot and ReLU-sparse rows
      const b0 = bOff + k * ldb;
      const b1 = b0 + ldb;
      const b2 = b1 + ldb;
      const b3 = b2 + ldb;
      for (let n = 0; n < N; n++) {
        C[c + n] += a0 * B[b0 + n] + a1 * B[b1 + n] + a2 * B[b2 + n] + a3 * B[b3 + n];
      }
    }
    for (; k < K; k++) {
      const av = A[a + k];
      if (av === 0) continue;
      const b0 = bOff + k * ldb;
      for (let n = 0; n < N; n++) C[c + n] += av * B[b0 + n];
    }
  }
}

/**
 * C[m, n] += Σ_k A[k, m] · B[k, n]        A: (K, M) ld=lda, B: (K, N) ld=ldb, C: (M, N) ld=ldc
 *
 * The weight gradient dW = dYᵀ·X summed over all time steps and batch rows at once.
 */
export function gemmAtB(
  M: number, N: number, K: number,
  A: FloatArray, aOff: number, lda: number,
  B: FloatArray, bOff: number, ldb: number,
  C: FloatArray, cOff: number, ldc: number,
): void {
  const K4 = K - (K % 4);
  for (let m = 0; m < M; m++) {
    const c = cOff + m * ldc;
    let k = 0;
    for (; k < K4; k += 4) {
      const a0 = A[aOff + k * lda + m];
      const a1 = A[aOff + (k + 1) * lda + m];
      const a2 = A[aOff + (k + 2) * lda + m];
      const a3 = A[aOff + (k + 3) * lda + m];
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
      const b0 = bOff + k * ldb;
      const b1 = b0 + ldb;
      const b2 = b1 + ldb;
      const b3 = b2 + ldb;
      for (let n = 0; n < N; n++) {
        C[c + n] += a0 * B[b0 + n] + a1 * B[b1 + n] + a2 * B[b2 + n] + a3 * B[b3 + n];
      }
    }
    for (; k < K; k++) {
      const av = A[aOff + k * lda + m];
      if (av === 0) continue;
      const b0 = bOff + k * ldb;
      for (let n = 0; n < N; n++) C[c + n] += av * B[b0 + n];
    }
  }
}
