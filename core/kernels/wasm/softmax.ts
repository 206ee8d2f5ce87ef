/**
 * Host side of the softmax kernels (assembly/softmax.ts) for crossEntropyLoss on the
 * WebAssembly engine: the exponentials there, the logarithms and sums here in doubles.
 */
import { wasmKernels } from './runtime';

/** lse_r = log Σ_c exp(x_rc) per row of the (N, C) logits, via m_r + log Σ exp(x_rc − m_r). */
export function logSumExpRowsWasm(X: Float32Array, N: number, C: number): Float64Array {
  const { k, arena } = wasmKernels();
  const mark = arena.mark();
  try {
    const x = arena.put(X);
    const m = arena.alloc(N);
    const s = arena.alloc(N);
    k.softmaxRowStats(N, C, x, m, s);
    const mv = arena.f32(m, N);
    const sv = arena.f32(s, N);
    const lse = new Float64Array(N);
    for (let r = 0; r < N; r++) lse[r] = mv[r] + Math.log(sv[r]);
    return lse;
  } finally {
    arena.release(mark);
  }
}

/** dX_rc += w_r · exp(x_rc − lse_r) (softmax scaled per row; rows with w_r = 0 untouched). */
export function addSoftmaxRowsWasm(X: Float32Array, N: number, C: number, lse: Float64Array, w: Float32Array, dX: Float32Array): void {
  const { k, arena } = wasmKernels();
  const mark = arena.mark();
  try {
    const x = arena.put(X);
    const l = arena.put(lse);
    const pw = arena.put(w);
    const d = arena.put(dX);
    k.softmaxGradRows(N, C, x, l, pw, d);
    dX.set(arena.f32(d, N * C));
  } finally {
    arena.release(mark);
  }
}
