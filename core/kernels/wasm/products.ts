/**
 * Matrix products through the WebAssembly gemm (core/kernels/wasm/assembly/gemm.ts), at two
 * levels:
 *  - on arena pointers (`gemmPtr`), for the recurrent drivers whose operands already live in
 *    the arena;
 *  - on ordinary Float32Arrays with the signatures of the JS kernels in core/kernels/gemm.ts
 *    (`wasmABt`, `wasmAB`, `wasmAtB`: same names, same meaning, C += product), copying
 *    operands in and C back out.
 *
 *   C[m, n] += Σ_k A(m, k) · B(k, n),  A(m, k) = A[m·sam + k·sak],  B(k, n) = B[k·sbk + n·sbn]
 */
import type { WasmKernels } from './runtime';
import { wasmKernels } from './runtime';
import { halves, runProfiledCalls, type ProfiledCall } from './threads';

/** Floats of a packA panel set for M rows (rounded up to 4) by K. */
export function packedASize(M: number, K: number): number {
  return Math.ceil(M / 4) * 4 * K;
}

/** Floats of a packB panel set for K by N columns (rounded up to 8). */
export function packedBSize(K: number, N: number): number {
  return Math.ceil(N / 8) * 8 * K;
}

/** A profiled product charges its packing to 'packing' and the product to the caller's phase. */
const GEMM_PARTS = ['packing', ''];

/**
 * Below this many multiply-adds a product runs on one thread: 2²² is ~170 µs of work at the
 * kernel's ~50 GFLOP/s, and waking the helper costs 20–110 µs (threads.ts); halving less work
 * than that gains less than the wake-up costs.
 */
const PARALLEL_MACS = 1 << 22;

/**
 * C += A·B with every operand an arena pointer. B is packed once; the rows of A (and C) are
 * split between the two threads for large products — each row is computed the same way
 * either way, so the split changes no bit. Scratch comes from the arena and is released.
 */
export function gemmPtr(
  kw: WasmKernels,
  M: number,
  N: number,
  K: number,
  a: number,
  sam: number,
  sak: number,
  b: number,
  sbk: number,
  sbn: number,
  c: number,
  ldc: number,
): void {
  if (M === 0 || N === 0 || K === 0) return;
  const { k, arena } = kw;
  const mark = arena.mark();
  const bp = arena.alloc(packedBSize(K, N));
  k.packB(K, N, b, sbk, sbn, bp);
  // Row ranges split at a multiple of 4, the tile height.
  const parts =
    M * N * K >= PARALLEL_MACS
      ? halves(Math.ceil(M / 4), 2).map(([r0, r1]) => [4 * r0, Math.min(4 * r1, M)])
      : [[0, M]];
  const calls: ProfiledCall[] = parts.map(([m0, m1]) => {
    const ap = arena.alloc(packedASize(m1 - m0, K));
    const edge = arena.alloc(32);
    return ['gemmRows', [m1 - m0, N, K, a + 4 * m0 * sam, sam, sak, bp, c + 4 * m0 * ldc, ldc, ap, edge]];
  });
  runProfiledCalls(kw, calls, GEMM_PARTS);
  arena.release(mark);
}

/** The span of a strided operand: the elements from its first to its last, inclusive. */
function span(rows: number, cols: number, sr: number, sc: number): number {
  return (rows - 1) * sr + (cols - 1) * sc + 1;
}

function gemmArrays(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  aOff: number,
  sam: number,
  sak: number,
  B: Float32Array,
  bOff: number,
  sbk: number,
  sbn: number,
  C: Float32Array,
  cOff: number,
  ldc: number,
): void {
  if (M === 0 || N === 0 || K === 0) return;
  const kw = wasmKernels();
  const { arena } = kw;
  const mark = arena.mark();
  try {
    const aLen = span(M, K, sam, sak);
    const bLen = span(K, N, sbk, sbn);
    const cLen = span(M, N, ldc, 1);
    const a = arena.put(A.subarray(aOff, aOff + aLen));
    const b = arena.put(B.subarray(bOff, bOff + bLen));
    const c = arena.put(C.subarray(cOff, cOff + cLen));
    gemmPtr(kw, M, N, K, a, sam, sak, b, sbk, sbn, c, ldc);
    // Copy back row by row: C's gaps between rows (ldc > N) belong to someone else.
    const view = arena.f32(c, cLen);
    if (ldc === N) C.set(view, cOff);
    else for (let m = 0; m < M; m++) C.set(view.subarray(m * ldc, m * ldc + N), cOff + m * ldc);
  } finally {
    arena.release(mark);
  }
}

/** C[m, n] += Σ_k A[m, k] · B[n, k]  (twin of gemmABt) */
export function wasmABt(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  aOff: number,
  lda: number,
  B: Float32Array,
  bOff: number,
  ldb: number,
  C: Float32Array,
  cOff: number,
  ldc: number,
): void {
  gemmArrays(M, N, K, A, aOff, lda, 1, B, bOff, 1, ldb, C, cOff, ldc);
}

/** C[m, n] += Σ_k A[m, k] · B[k, n]  (twin of gemmAB) */
export function wasmAB(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  aOff: number,
  lda: number,
  B: Float32Array,
  bOff: number,
  ldb: number,
  C: Float32Array,
  cOff: number,
  ldc: number,
): void {
  gemmArrays(M, N, K, A, aOff, lda, 1, B, bOff, ldb, 1, C, cOff, ldc);
}

/** C[m, n] += Σ_k A[k, m] · B[k, n]  (twin of gemmAtB) */
export function wasmAtB(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  aOff: number,
  lda: number,
  B: Float32Array,
  bOff: number,
  ldb: number,
  C: Float32Array,
  cOff: number,
  ldc: number,
): void {
  gemmArrays(M, N, K, A, aOff, 1, lda, B, bOff, ldb, 1, C, cOff, ldc);
}

/**
 * out[k] += Σ_r m[r·width + k] (twin of addColumnSums in core/kernels/gemm.ts): the same float32 additions in the same order
 * as the JS loop, which spent 0.2–0.3 ms of a small training step on a [2048, 65] bias gradient.
 */
export function wasmColumnSums(out: Float32Array, m: Float32Array, rows: number, width: number): void {
  if (rows === 0 || width === 0) return;
  const { k, arena } = wasmKernels();
  const mark = arena.mark();
  try {
    const pOut = arena.put(out.subarray(0, width));
    k.addColumnSums(pOut, arena.put(m.subarray(0, rows * width)), rows, width, width, 0);
    out.set(arena.f32(pOut, width));
  } finally {
    arena.release(mark);
  }
}
