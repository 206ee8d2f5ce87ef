/**
 * Host side of the softmax kernels (assembly/softmax.ts) for crossEntropyLoss on the
 * WebAssembly engine: the exponentials there, the logarithms and sums here in doubles.
 */
import { wasmKernels } from './runtime';

/** Per row of (N, C) logits: the maximum m, log Σ_c exp(x_c − m), and lse = m + that (in doubles). */
export interface RowLogSumExp {
  m: Float32Array;
  logS: Float32Array;
  lse: Float64Array;
}

export function logSumExpRowsWasm(X: Float32Array, N: number, C: number): RowLogSumExp {
  const { k, arena } = wasmKernels();
  const mark = arena.mark();
  try {
    const x = arena.put(X);
    const pm = arena.alloc(N);
    const ps = arena.alloc(N);
    k.softmaxRowStats(N, C, x, pm, ps);
    const m = arena.f32(pm, N).slice();
    const s = arena.f32(ps, N);
    const logS = new Float32Array(N);
    const lse = new Float64Array(N);
    for (let r = 0; r < N; r++) {
      const l = Math.log(s[r]);
      logS[r] = l;
      lse[r] = m[r] + l;
    }
    return { m, logS, lse };
  } finally {
    arena.release(mark);
  }
}

/** dX_rc += w_r · softmax(x_r)_c (rows with w_r = 0 untouched). */
export function addSoftmaxRowsWasm(
  X: Float32Array,
  N: number,
  C: number,
  rows: RowLogSumExp,
  w: Float32Array,
  dX: Float32Array,
): void {
  const { k, arena } = wasmKernels();
  const mark = arena.mark();
  try {
    const x = arena.put(X);
    const m = arena.put(rows.m);
    const l = arena.put(rows.logS);
    const pw = arena.put(w);
    const d = arena.put(dX);
    k.softmaxGradRows(N, C, x, m, l, pw, d);
    dX.set(arena.f32(d, N * C));
  } finally {
    arena.release(mark);
  }
}
