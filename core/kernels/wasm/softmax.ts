/**
 * Host side of the softmax kernels (assembly/softmax.ts) for crossEntropyLoss on the
 * WebAssembly engine: the exponentials there, the logarithms and sums here in doubles. Rows are
 * independent, so a large batch of rows is split between the two threads (each row computed as
 * one thread would: the same bits).
 */
import { wasmKernels } from './runtime';
import { halves, runProfiledCalls } from './threads';

/**
 * Below this many logits the rows stay on one thread. Measured here (forward and backward rows
 * together, median of 40, helper attached or not): 2048 × 65 logits took 0.73 ms on one thread
 * and 0.78 ms split, the wake-up eating the gain; 6400 × 65 took 3.04 ms and 2.32 ms split.
 */
const PARALLEL_LOGITS = 1 << 18;

/** The row ranges [r0, r1) of N rows of C logits for the threads: two when there are enough. */
function rowRanges(N: number, C: number): Array<[number, number]> {
  return N * C >= PARALLEL_LOGITS ? halves(N, 2) : [[0, N]];
}

/** Per row of (N, C) logits: the maximum m, log Σ_c exp(x_c − m), and lse = m + that (in doubles). */
export interface RowLogSumExp {
  m: Float32Array;
  logS: Float32Array;
  lse: Float64Array;
}

export function logSumExpRowsWasm(X: Float32Array, N: number, C: number): RowLogSumExp {
  const kw = wasmKernels();
  const { arena } = kw;
  const mark = arena.mark();
  try {
    const x = arena.put(X);
    const pm = arena.alloc(N);
    const ps = arena.alloc(N);
    runProfiledCalls(
      kw,
      rowRanges(N, C).map(([r0, r1]) => ['softmaxRowStats', [r1 - r0, C, x + 4 * r0 * C, pm + 4 * r0, ps + 4 * r0]]),
      [''],
    );
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
  const kw = wasmKernels();
  const { arena } = kw;
  const mark = arena.mark();
  try {
    const x = arena.put(X);
    const m = arena.put(rows.m);
    const l = arena.put(rows.logS);
    const pw = arena.put(w);
    const d = arena.put(dX);
    runProfiledCalls(
      kw,
      rowRanges(N, C).map(([r0, r1]) => [
        'softmaxGradRows',
        [r1 - r0, C, x + 4 * r0 * C, m + 4 * r0, l + 4 * r0, pw + 4 * r0, d + 4 * r0 * C],
      ]),
      [''],
    );
    dX.set(arena.f32(d, N * C));
  } finally {
    arena.release(mark);
  }
}
