/**
 * What the WebAssembly drivers of the three cells share (lstm-cell-wasm.ts, gru-cell-wasm.ts,
 * rnn-cell-wasm.ts): the input side of a layer in the arena, the weight gradients after the
 * backward loop, and moving a direction's columns in and out of the layer output. JS twin:
 * projection.ts. Arena pointers are byte offsets; sizes are in floats.
 *
 *   Z[τ]     = x[τ]·W_ihᵀ + b_ih (+ b_hh)       ∂L/∂x += ∂L/∂Z · W_ih
 *   ∂L/∂W_ih += Σ_τ ∂L/∂Z[τ]ᵀ · x[τ]             ∂L/∂b += Σ_τ,b ∂L/∂Z[τ]
 */
import type { FloatArray } from '../dtype';
import { transpose } from '../kernels/gemm';
import { gemmPtr } from '../kernels/wasm/products';
import type { WasmKernels } from '../kernels/wasm/runtime';
import { sparseRows } from './projection';
import type { LayerGrads, LayerWeights, SequenceRun } from './run';

/** Fills Z [T·B, G·H] at pZ with the bias row (b_ih, plus b_hh when `withHiddenBias`) plus x·W_ihᵀ. */
export function projectInputsWasm({ k, arena }: WasmKernels, run: SequenceRun, w: LayerWeights, withHiddenBias: boolean, pZ: number): void {
  const { T, B, I, H, G } = run;
  const width = G * H;
  const rows = T * B;
  const mark = arena.mark();
  const bias = new Float32Array(width);
  for (let j = 0; j < width; j++) bias[j] = (w.bih ? w.bih[j] : 0) + (withHiddenBias && w.bhh ? w.bhh[j] : 0);
  k.broadcastRows(pZ, rows, width, width, arena.put(bias));
  run.sparseX = sparseRows(run.x, rows, I);
  const sp = run.sparseX;
  if (sp) {
    // One row of W_ihᵀ per non-zero input (one-hot characters: one per row).
    const rowStart = arena.alloc(rows + 1);
    const cols = arena.alloc(sp.cols.length);
    const vals = arena.put(sp.vals);
    const wt = arena.put(transpose(w.wih, 0, I, width, I));
    arena.i32(rowStart, rows + 1).set(sp.rowStart);
    arena.i32(cols, sp.cols.length).set(sp.cols);
    k.sparseRowsTimes(rows, width, rowStart, cols, vals, wt, pZ);
  } else {
    const x = arena.put(run.x.subarray(0, rows * I));
    const wih = arena.put(w.wih);
    gemmPtr(k, arena, rows, width, I, x, I, 1, wih, 1, I, pZ, width);
  }
  arena.release(mark);
}

/** grad[off …] += Aᵀ·B over `rows` rows: A (rows, M) at pA with leading dimension lda, B (rows, N) at pB with ldb. */
export function weightGradWasm({ k, arena }: WasmKernels, M: number, N: number, rows: number, pA: number, lda: number, pB: number, ldb: number, grad: FloatArray, off = 0): void {
  const mark = arena.mark();
  const target = grad.subarray(off, off + M * N);
  const pG = arena.put(target);
  gemmPtr(k, arena, M, N, rows, pA, 1, lda, pB, ldb, 1, pG, N);
  target.set(arena.f32(pG, M * N));
  arena.release(mark);
}

/** grad += the column sums of a (rows, width) block at pM with leading dimension ld. */
export function columnSumsWasm({ k, arena }: WasmKernels, rows: number, width: number, pM: number, ld: number, grad: FloatArray): void {
  const mark = arena.mark();
  const pG = arena.put(grad);
  k.addColumnSums(pG, pM, rows, width, ld);
  grad.set(arena.f32(pG, width));
  arena.release(mark);
}

/** Gradients of W_ih, b_ih and x from ∂L/∂Z at pdZ [T·B, G·H]. */
export function inputSideGradsWasm(kw: WasmKernels, run: SequenceRun, w: LayerWeights, g: LayerGrads, pdZ: number, dx: FloatArray | null): void {
  const { k, arena } = kw;
  const { T, B, I, H, G } = run;
  const width = G * H;
  const rows = T * B;
  const mark = arena.mark();
  const sp = run.sparseX;
  if (g.wih && sp) {
    // ∂L/∂W_ihᵀ[k, :] += v · dZ[r, :] for each non-zero x[r, k] = v, then added transposed.
    const rowStart = arena.alloc(rows + 1);
    const cols = arena.alloc(sp.cols.length);
    const vals = arena.put(sp.vals);
    const dwt = arena.zeros(I * width);
    arena.i32(rowStart, rows + 1).set(sp.rowStart);
    arena.i32(cols, sp.cols.length).set(sp.cols);
    k.sparseRowsTransposeTimes(rows, width, rowStart, cols, vals, pdZ, dwt);
    const d = arena.f32(dwt, I * width);
    const gw = g.wih;
    for (let m = 0; m < width; m++) for (let c = 0; c < I; c++) gw[m * I + c] += d[c * width + m];
  } else if (g.wih) {
    const x = arena.put(run.x.subarray(0, rows * I));
    weightGradWasm(kw, width, I, rows, pdZ, width, x, I, g.wih);
  }
  if (g.bih) columnSumsWasm(kw, rows, width, pdZ, width, g.bih);
  if (dx) {
    const wih = arena.put(w.wih);
    const pDx = arena.put(dx);
    gemmPtr(k, arena, rows, I, width, pdZ, width, 1, wih, I, 1, pDx, I);
    dx.set(arena.f32(pDx, rows * I));
  }
  arena.release(mark);
}

/** The layer output's columns of this direction, from h [T·B, H] at pH. */
export function scatterOutput(run: SequenceRun, h: Float32Array): void {
  const { T, B, H, out, outOff, ldOut } = run;
  if (ldOut === H && outOff === 0) {
    out.set(h);
    return;
  }
  for (let r = 0; r < T * B; r++) out.set(h.subarray(r * H, (r + 1) * H), r * ldOut + outOff);
}

/** This direction's columns of ∂L/∂out as a contiguous [T·B, H] block in the arena, or 0 when there is none. */
export function gatherDOut({ arena }: WasmKernels, run: SequenceRun, dOut: FloatArray | null): number {
  if (!dOut) return 0;
  const { T, B, H, outOff, ldOut } = run;
  const p = arena.alloc(T * B * H);
  const view = arena.f32(p, T * B * H);
  if (ldOut === H && outOff === 0) view.set(dOut.subarray(0, T * B * H));
  else for (let r = 0; r < T * B; r++) view.set(dOut.subarray(r * ldOut + outOff, r * ldOut + outOff + H), r * H);
  return p;
}
