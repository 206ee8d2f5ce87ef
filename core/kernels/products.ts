/**
 * The matrix products layers call, routed by engine: float32 under the 'wasm' engine goes to
 * the WebAssembly gemm, everything else to the JS reference kernels (same names, same
 * meaning, C += product; see core/kernels/gemm.ts).
 */
import { dtypeOf, FloatArray } from '../dtype';
import { usesWasm } from './engine';
import { addColumnSums, gemmAB, gemmABt, gemmAtB } from './gemm';
import { wasmAB, wasmABt, wasmAtB, wasmColumnSums } from './wasm/products';

type Product = (
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

function routed(js: Product, wasm: (...args: Parameters<Product>) => void): Product {
  return (M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc) => {
    if (usesWasm(dtypeOf(C)) && A instanceof Float32Array && B instanceof Float32Array)
      wasm(M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
    else js(M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
  };
}

/** C[m, n] += Σ_k A[m, k] · B[n, k] */
export const matmulABt: Product = routed(gemmABt, wasmABt as (...args: Parameters<Product>) => void);
/** C[m, n] += Σ_k A[m, k] · B[k, n] */
export const matmulAB: Product = routed(gemmAB, wasmAB as (...args: Parameters<Product>) => void);
/** C[m, n] += Σ_k A[k, m] · B[k, n] */
export const matmulAtB: Product = routed(gemmAtB, wasmAtB as (...args: Parameters<Product>) => void);

/** out[k] += Σ_r m[r·width + k] for k < width, rows in order: addColumnSums, the same bits on either engine. */
export function columnSumsInto(out: FloatArray, m: FloatArray, rows: number, width: number): void {
  if (usesWasm(dtypeOf(out)) && out instanceof Float32Array && m instanceof Float32Array)
    wasmColumnSums(out, m, rows, width);
  else addColumnSums(out, m, rows, width);
}
