/**
 * The parts of a recurrent layer that do not depend on the cell: the input projection for
 * all time steps at once (one big matrix product instead of T small ones), and the weight
 * gradients summed over all time steps at once after the backward loop.
 *
 *   Z[τ]     = x[τ]·W_ihᵀ + b_ih (+ b_hh where the cell adds it unchanged)       [T·B, G·H]
 *   ∂L/∂W_ih += Σ_τ ∂L/∂Z[τ]ᵀ · x[τ]       ∂L/∂b_ih += Σ_τ,b ∂L/∂Z[τ]
 *   ∂L/∂W_hh += Σ_τ ∂L/∂Zh[τ]ᵀ · h[τ−1]    ∂L/∂b_hh += Σ_τ,b ∂L/∂Zh[τ]
 *   ∂L/∂x    += ∂L/∂Z · W_ih
 */
import type { FloatArray } from '../dtype';
import { gemmAB, gemmABt, gemmAtB } from '../kernels/gemm';
import type { LayerGrads, LayerWeights, SequenceRun } from './run';

/** Fills run.gates with x·W_ihᵀ + b_ih, plus b_hh when `withHiddenBias`. */
export function projectInputs(run: SequenceRun, w: LayerWeights, withHiddenBias: boolean): void {
  const { T, B, I, H, G, gates } = run;
  const width = G * H;
  const rows = T * B;
  if (w.bih || (withHiddenBias && w.bhh)) {
    for (let r = 0; r < rows; r++) {
      const off = r * width;
      for (let k = 0; k < width; k++) {
        gates[off + k] = (w.bih ? w.bih[k] : 0) + (withHiddenBias && w.bhh ? w.bhh[k] : 0);
      }
    }
  }
  gemmABt(rows, width, I, run.x, 0, I, w.wih, 0, I, gates, 0, width);
}

/** Adds the column sums of a [rows, width] matrix (at stride ld) into `out`. */
export function addColumnSums(out: FloatArray, m: FloatArray, rows: number, width: number, ld = width, off = 0): void {
  for (let r = 0; r < rows; r++) {
    const base = off + r * ld;
    for (let k = 0; k < width; k++) out[k] += m[base + k];
  }
}

/**
 * After the backward loop: gradients of W_ih, b_ih and x from ∂L/∂Z (dZx), and of W_hh, b_hh
 * from ∂L/∂Zh (dZh; the same array for cells where both see one pre-activation).
 */
export function inputSideGrads(run: SequenceRun, w: LayerWeights, g: LayerGrads, dZx: FloatArray, dx: FloatArray | null): void {
  const { T, B, I, H, G } = run;
  const width = G * H;
  const rows = T * B;
  if (g.wih) gemmAtB(width, I, rows, dZx, 0, width, run.x, 0, I, g.wih, 0, I);
  if (g.bih) addColumnSums(g.bih, dZx, rows, width);
  if (dx) gemmAB(rows, I, width, dZx, 0, width, w.wih, 0, I, dx, 0, I);
}

export function hiddenSideGrads(run: SequenceRun, g: LayerGrads, dZh: FloatArray): void {
  const { T, B, H, G } = run;
  const width = G * H;
  const rows = T * B;
  if (g.whh) gemmAtB(width, H, rows, dZh, 0, width, run.hPrev, 0, H, g.whh, 0, H);
  if (g.bhh) addColumnSums(g.bhh, dZh, rows, width);
}
