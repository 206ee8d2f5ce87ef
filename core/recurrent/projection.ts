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
import { addColumnSums, gemmAB, gemmABt, gemmAtB, transpose } from '../kernels/gemm';
import type { LayerGrads, LayerWeights, SequenceRun, SparseRows } from './run';

/** Inputs with at most this fraction of non-zeros take the sparse path (one-hot text: 1/V). */
const SPARSE_DENSITY = 0.25;

/**
 * The compressed-row form of a [rows, cols] matrix if it is sparse enough to pay off, else null.
 * One pass that gives up once the non-zeros pass the density bound (a dense input is not scanned
 * twice); the arrays are cut to the count found.
 */
export function sparseRows(x: FloatArray, rows: number, cols: number): SparseRows | null {
  const most = Math.floor(SPARSE_DENSITY * rows * cols);
  const rowStart = new Int32Array(rows + 1);
  const colIdx = new Int32Array(most);
  const vals = new Float64Array(most);
  let p = 0;
  for (let r = 0; r < rows; r++) {
    rowStart[r] = p;
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      const v = x[base + c];
      if (v !== 0) {
        if (p === most) return null;
        colIdx[p] = c;
        vals[p++] = v;
      }
    }
  }
  rowStart[rows] = p;
  return { rowStart, cols: colIdx.slice(0, p), vals: vals.slice(0, p) };
}

/** Fills run.gates with x·W_ihᵀ + b_ih, plus b_hh when `withHiddenBias`. */
export function projectInputs(run: SequenceRun, w: LayerWeights, withHiddenBias: boolean): void {
  const { T, B, I, H, G, gates } = run;
  // x: [T·B, I]   W_ih: [G·H, I]   Z (run.gates): [T·B, G·H]
  const width = G * H;
  const rows = T * B;
  if (w.bih || (withHiddenBias && w.bhh)) {
    for (let r = 0; r < rows; r++) {
      const rowZ = r * width;
      for (let k = 0; k < width; k++) {
        gates[rowZ + k] = (w.bih ? w.bih[k] : 0) + (withHiddenBias && w.bhh ? w.bhh[k] : 0);
      }
    }
  }
  run.sparseX = sparseRows(run.x, rows, I);
  const sp = run.sparseX;
  if (sp) {
    // Z[r, :] += Σ_(k, v) in row r  v · W_ihᵀ[k, :]   — one row of W_ihᵀ per non-zero input.
    const wt = transpose(w.wih, 0, I, width, I); // W_ihᵀ: [I, G·H]
    for (let r = 0; r < rows; r++) {
      const rowZ = r * width;
      for (let p = sp.rowStart[r]; p < sp.rowStart[r + 1]; p++) {
        const v = sp.vals[p];
        const rowWt = sp.cols[p] * width;
        for (let k = 0; k < width; k++) gates[rowZ + k] += v * wt[rowWt + k];
      }
    }
  } else {
    gemmABt(rows, width, I, run.x, 0, I, w.wih, 0, I, gates, 0, width);
  }
}

/**
 * After the backward loop: gradients of W_ih, b_ih and x from ∂L/∂Z (dZx), and of W_hh, b_hh
 * from ∂L/∂Zh (dZh; the same array for cells where both see one pre-activation).
 */
export function inputSideGrads(
  run: SequenceRun,
  w: LayerWeights,
  g: LayerGrads,
  dZx: FloatArray,
  dx: FloatArray | null,
): void {
  const { T, B, I, H, G } = run;
  // dZx: [T·B, G·H]   x, dx: [T·B, I]   W_ih, ∂L/∂W_ih: [G·H, I]
  const width = G * H;
  const rows = T * B;
  const sp = run.sparseX;
  if (g.wih && sp) {
    // ∂L/∂W_ihᵀ[k, :] += v · dZ[r, :] for each non-zero x[r, k] = v; then add the transpose.
    const dwt = new Float64Array(I * width); // ∂L/∂W_ihᵀ: [I, G·H]
    for (let r = 0; r < rows; r++) {
      const rowDz = r * width;
      for (let p = sp.rowStart[r]; p < sp.rowStart[r + 1]; p++) {
        const v = sp.vals[p];
        const rowDwt = sp.cols[p] * width;
        for (let k = 0; k < width; k++) dwt[rowDwt + k] += v * dZx[rowDz + k];
      }
    }
    for (let m = 0; m < width; m++) for (let k = 0; k < I; k++) g.wih[m * I + k] += dwt[k * width + m];
  } else if (g.wih) {
    gemmAtB(width, I, rows, dZx, 0, width, run.x, 0, I, g.wih, 0, I);
  }
  if (g.bih) addColumnSums(g.bih, dZx, rows, width);
  if (dx) gemmAB(rows, I, width, dZx, 0, width, w.wih, 0, I, dx, 0, I);
}

export function hiddenSideGrads(run: SequenceRun, g: LayerGrads, dZh: FloatArray): void {
  const { T, B, H, G } = run;
  // dZh: [T·B, G·H]   hPrev: [T·B, H]   ∂L/∂W_hh: [G·H, H]
  const width = G * H;
  const rows = T * B;
  if (g.whh) gemmAtB(width, H, rows, dZh, 0, width, run.hPrev, 0, H, g.whh, 0, H);
  if (g.bhh) addColumnSums(g.bhh, dZh, rows, width);
}
