/**
 * What the WebAssembly drivers of the three cells share (lstm-cell-wasm.ts, gru-cell-wasm.ts,
 * rnn-cell-wasm.ts): the input side of a layer in the arena, the weight and bias gradients
 * after the backward loop, the batch slices the two threads take, gradient norms, and moving a
 * direction's columns in and out of the layer output. JS twin: projection.ts. Arena pointers
 * are byte offsets; sizes are in floats.
 *
 *   Z[τ]     = x[τ]·W_ihᵀ + b_ih (+ b_hh)       ∂L/∂x += ∂L/∂Z · W_ih
 *   ∂L/∂W_ih += Σ_τ ∂L/∂Z[τ]ᵀ · x[τ]             ∂L/∂b += Σ_τ,b ∂L/∂Z[τ]
 */
import { copyOf, type FloatArray } from '../dtype';
import { LstmError } from '../errors';
import { pollInterrupt, STEPS_PER_POLL } from '../interrupt';
import { gemmPtr, packedASize } from '../kernels/wasm/products';
import type { Pin, WasmKernels } from '../kernels/wasm/runtime';
import { halves, runCalls, runProfiledCalls, type KernelCall, type ProfiledCall } from '../kernels/wasm/threads';
import { sparseRows } from './projection';
import type {
  GateBlocks,
  LayerGrads,
  LayerWeights,
  SequenceRun,
  SparseRows,
  UnitOverrides,
  WasmRunBuffers,
} from './run';
import { timeAt } from './run';

/** Bytes per arena value (f32 and i32 alike): value n of a buffer at pointer p is at p + VALUE_BYTES·n. */
export const VALUE_BYTES = 4;

/** Gives back the region of a run that was collected without its backward. */
const unreleased = new FinalizationRegistry<() => void>((release) => release());

/**
 * Runs `body` with the arena: what it allocates before calling `keep(buffers)` stays for the
 * run's backward when the run is kept (run.wasm), everything else is released when it returns.
 */
export function withRunMemory<T>(
  kw: WasmKernels,
  run: SequenceRun,
  body: (keep: (buffers: Omit<WasmRunBuffers, 'release'>) => void) => T,
): T {
  const { arena } = kw;
  const pin: Pin | null = run.keep ? arena.beginPin() : null;
  const start = arena.mark();
  let kept = false;
  const keep = (buffers: Omit<WasmRunBuffers, 'release'>): void => {
    if (!pin) return;
    arena.endPin(pin);
    kept = true;
    const token = {};
    unreleased.register(run, unpinner(arena, pin), token);
    run.wasm = {
      ...buffers,
      release: () => {
        unreleased.unregister(token);
        arena.unpin(pin);
        run.wasm = null;
      },
    };
  };
  try {
    return body(keep);
  } finally {
    if (!kept) arena.release(start);
  }
}

/**
 * The finalizer's callback, made outside withRunMemory: a closure made there would share its
 * scope, which holds the run — and a run held by its own finalizer is never collected.
 */
function unpinner(arena: WasmKernels['arena'], pin: Pin): () => void {
  return () => arena.unpin(pin);
}

/** The kept buffers of a run about to be backpropagated (its forward ran on the WebAssembly engine with a tape). */
export function keptBuffers(run: SequenceRun): WasmRunBuffers {
  if (!run.wasm)
    throw new LstmError(
      'backward: this forward pass kept no buffers for a backward (it ran without a tape, or its backward already ran)',
    );
  return run.wasm;
}

/**
 * The interventions' block a cell's kernels read (assembly/fixed.ts): for each quantity in turn, a
 * lane mask [H] (all ones where a unit is held) and the held values [H]. 0 when nothing is held.
 * Allocated in the current scratch region.
 */
export function fixBlock(
  { arena }: WasmKernels,
  fixed: UnitOverrides | null,
  quantities: readonly string[],
  H: number,
): number {
  if (!fixed) return 0;
  const n = 2 * quantities.length * H;
  const p = arena.zeros(n);
  const values = arena.f32(p, n);
  const bits = new Uint32Array(values.buffer, values.byteOffset, n);
  quantities.forEach((q, k) => {
    const o = fixed[q];
    if (o)
      for (let j = 0; j < H; j++)
        if (o.fixed[j] === 1) {
          bits[2 * k * H + j] = 0xffffffff;
          values[(2 * k + 1) * H + j] = o.value[j];
        }
  });
  return p;
}

/** Runs `body` between arena.mark() and release (temporary buffers of one call). */
export function withScratch<T>({ arena }: WasmKernels, body: () => T): T {
  const mark = arena.mark();
  try {
    return body();
  } finally {
    arena.release(mark);
  }
}

/** Batches of at least this many rows are split in two halves, one per thread. */
const SPLIT_BATCH = 8;

/** A slice of the batch with its own scratch: rows b0 … b0+size of every step. */
export interface Slice {
  b0: number;
  size: number;
  /** Packed rows of the per-step product (packA), sized for `width` columns. */
  ap: number;
  /** 32 floats for the gemm's edge tiles. */
  edge: number;
}

/** The batch halves (or the whole batch), each with scratch for a per-step product of `width`. */
export function batchSlices({ arena }: WasmKernels, B: number, width: number): Slice[] {
  return halves(B, SPLIT_BATCH).map(([b0, b1]) => ({
    b0,
    size: b1 - b0,
    ap: arena.alloc(packedASize(b1 - b0, width)),
    edge: arena.alloc(32),
  }));
}

/**
 * Runs a sequence kernel over steps 0 … T in pieces of STEPS_PER_POLL (backward: the last piece
 * first), one call per slice and piece, polling for an interrupt between pieces. The pieces
 * change no result: the kernels carry the state from one step to the next in memory.
 *
 * `parts`, for kernels that take a profile block last (the LSTM's), names the phases its
 * packing, product and element-wise parts are charged to (core/kernels/phases.ts).
 */
export function runSequence(
  kw: WasmKernels,
  T: number,
  backward: boolean,
  slices: Slice[],
  call: (s: Slice, i: number, s0: number, s1: number) => KernelCall,
): void;
export function runSequence(
  kw: WasmKernels,
  T: number,
  backward: boolean,
  slices: Slice[],
  call: (s: Slice, i: number, s0: number, s1: number) => ProfiledCall,
  parts: readonly string[],
): void;
export function runSequence(
  kw: WasmKernels,
  T: number,
  backward: boolean,
  slices: Slice[],
  call: (s: Slice, i: number, s0: number, s1: number) => KernelCall | ProfiledCall,
  parts?: readonly string[],
): void {
  const pieces: Array<[number, number]> = [];
  for (let s0 = 0; s0 < T; s0 += STEPS_PER_POLL) pieces.push([s0, Math.min(T, s0 + STEPS_PER_POLL)]);
  if (backward) pieces.reverse();
  for (const [s0, s1] of pieces) {
    pollInterrupt();
    const calls = slices.map((s, i) => call(s, i, s0, s1));
    // The overloads pair `parts` with profiled calls and its absence with complete ones.
    if (parts) runProfiledCalls(kw, calls as ProfiledCall[], parts);
    else runCalls(kw, calls as KernelCall[]);
  }
}

/** Fills Z [T·B, G·H] at pZ with the bias row (b_ih, plus b_hh when `withHiddenBias`) plus x·W_ihᵀ. */
export function projectInputsWasm(
  kw: WasmKernels,
  run: SequenceRun,
  w: LayerWeights,
  withHiddenBias: boolean,
  pZ: number,
): void {
  const { k, arena } = kw;
  const { T, B, I, H, G } = run;
  const width = G * H;
  const rows = T * B;
  const mark = arena.mark();
  const bias = new Float32Array(width);
  for (let j = 0; j < width; j++) bias[j] = (w.bih ? w.bih[j] : 0) + (withHiddenBias && w.bhh ? w.bhh[j] : 0);
  const pBias = arena.put(bias);
  run.sparseX = sparseRows(run.x, rows, I);
  const sp = run.sparseX;
  if (sp) {
    // The bias plus one row of W_ihᵀ per non-zero input (one-hot characters: one per row); rows split between threads.
    const { rowStart, cols, vals } = putSparse(kw, sp);
    const wt = arena.alloc(I * width); // W_ihᵀ: [I, G·H]
    k.transposeTo(arena.put(w.wih), width, I, wt);
    runProfiledCalls(
      kw,
      halves(rows, 64).map(([r0, r1]) => [
        'sparseRowsTimes',
        [r1 - r0, width, pBias, rowStart + VALUE_BYTES * r0, cols, vals, wt, pZ + VALUE_BYTES * r0 * width],
      ]),
      [''],
    );
  } else {
    k.broadcastRows(pZ, rows, width, width, pBias);
    const x = arena.put(run.x.subarray(0, rows * I));
    const wih = arena.put(w.wih);
    gemmPtr(kw, rows, width, I, x, I, 1, wih, 1, I, pZ, width);
  }
  arena.release(mark);
}

/** The compressed rows of a sparse input copied into the arena (row starts and columns as i32, values as f32). */
function putSparse({ arena }: WasmKernels, sp: SparseRows): { rowStart: number; cols: number; vals: number } {
  const rowStart = arena.alloc(sp.rowStart.length);
  const cols = arena.alloc(sp.cols.length);
  const vals = arena.put(sp.vals);
  arena.i32(rowStart, sp.rowStart.length).set(sp.rowStart);
  arena.i32(cols, sp.cols.length).set(sp.cols);
  return { rowStart, cols, vals };
}

/** grad[off …] += Aᵀ·B over `rows` rows: A (rows, M) at pA with leading dimension lda, B (rows, N) at pB with ldb. */
export function weightGradWasm(
  kw: WasmKernels,
  M: number,
  N: number,
  rows: number,
  pA: number,
  lda: number,
  pB: number,
  ldb: number,
  grad: FloatArray,
  off = 0,
): void {
  const { arena } = kw;
  const mark = arena.mark();
  const target = grad.subarray(off, off + M * N);
  const pG = arena.put(target);
  gemmPtr(kw, M, N, rows, pA, 1, lda, pB, ldb, 1, pG, N);
  target.set(arena.f32(pG, M * N));
  arena.release(mark);
}

/** Adds the column sums of a (rows, width) block at pM (leading dimension ld) into each of `grads` — computed once. */
export function biasGradsWasm(
  kw: WasmKernels,
  rows: number,
  width: number,
  pM: number,
  ld: number,
  grads: Array<FloatArray | null>,
): void {
  const { arena } = kw;
  const targets = grads.filter((g): g is FloatArray => g !== null);
  if (targets.length === 0) return;
  const mark = arena.mark();
  const pS = arena.zeros(width);
  runProfiledCalls(
    kw,
    columnRanges(rows, width).map(([c0, c1]) => [
      'addColumnSums',
      [pS + VALUE_BYTES * c0, pM + VALUE_BYTES * c0, rows, c1 - c0, ld],
    ]),
    [''],
  );
  const sums = arena.f32(pS, width);
  for (const g of targets) for (let j = 0; j < width; j++) g[j] += sums[j];
  arena.release(mark);
}

/**
 * Below this many multiply-adds a column-wise pass stays on one thread: these passes stream
 * memory, and at 2048 rows × 512 columns (2²⁰) splitting gained nothing measurable here, the
 * wake-up (20–110 µs, threads.ts) eating it; at 6400 × 2048 the bias sums took 6 ms less split.
 */
const PARALLEL_COLUMN_MACS = 1 << 21;

/**
 * The column ranges [c0, c1) of a pass of `count` rows over `width` columns for the threads: two,
 * split at a multiple of 4 (a SIMD lane group), when the pass is large enough. Each column's sum
 * runs over the rows in order either way: the same bits with one thread or two.
 */
function columnRanges(count: number, width: number): Array<[number, number]> {
  if (count * width < PARALLEL_COLUMN_MACS) return [[0, width]];
  return halves(Math.ceil(width / 4), 2).map(([g0, g1]) => [4 * g0, Math.min(4 * g1, width)]);
}

/** Gradients of W_ih and x from ∂L/∂Z at pdZ [T·B, G·H] (the biases: biasGradsWasm). */
export function inputSideGradsWasm(
  kw: WasmKernels,
  run: SequenceRun,
  w: LayerWeights,
  g: LayerGrads,
  pdZ: number,
  dx: FloatArray | null,
): void {
  const { arena } = kw;
  const { T, B, I, H, G } = run;
  const width = G * H;
  const rows = T * B;
  const mark = arena.mark();
  const sp = run.sparseX;
  if (g.wih && sp) {
    // ∂L/∂W_ihᵀ[k, :] += v · dZ[r, :] for each non-zero x[r, k] = v, then added transposed.
    const { rowStart, cols, vals } = putSparse(kw, sp);
    const dwt = arena.zeros(I * width); // ∂L/∂W_ihᵀ: [I, G·H]
    runProfiledCalls(
      kw,
      columnRanges(sp.cols.length, width).map(([c0, c1]) => [
        'sparseRowsTransposeTimes',
        [rows, c1 - c0, width, rowStart, cols, vals, pdZ + VALUE_BYTES * c0, dwt + VALUE_BYTES * c0],
      ]),
      [''],
    );
    const d = arena.f32(dwt, I * width);
    const gw = g.wih;
    for (let m = 0; m < width; m++) for (let c = 0; c < I; c++) gw[m * I + c] += d[c * width + m];
  } else if (g.wih) {
    const x = arena.put(run.x.subarray(0, rows * I));
    weightGradWasm(kw, width, I, rows, pdZ, width, x, I, g.wih);
  }
  if (dx) {
    const wih = arena.put(w.wih);
    const pDx = arena.put(dx);
    gemmPtr(kw, rows, I, width, pdZ, width, 1, wih, I, 1, pDx, I);
    dx.set(arena.f32(pDx, rows * I));
  }
  arena.release(mark);
}

/**
 * After a forward loop: this direction's columns of the layer output and the final h from
 * h_t [T·B, H] at pH, and for a trace the activations and pre-activations [G, T·B, H] at pAct,
 * pPre (one gate block after another), as the trace's per-gate arrays. Returns the view of h_t.
 */
export function finishForward(kw: WasmKernels, run: SequenceRun, pH: number, pAct: number, pPre: number): Float32Array {
  const { T, B, H, G } = run;
  const rows = T * B;
  const hv = kw.arena.f32(pH, rows * H);
  scatterOutput(run, hv);
  const last = timeAt(run, T - 1) * B * H;
  run.hLast.set(hv.subarray(last, last + B * H));
  if (run.trace) run.gateBlocks = traceBlocks(kw, rows, G, H, pPre, pAct);
  return hv;
}

/**
 * A trace's per-gate arrays [T·B, H] from the pre-activations at pPre and the activations at
 * pAct, both [G, T·B, H]: the kernels write a trace gate block by gate block, so each block
 * comes out in one copy (one copy per row from [T·B, G·H] cost 1.6 ms of a 7 ms small forward
 * in calls alone).
 */
function traceBlocks(
  { arena }: WasmKernels,
  rows: number,
  G: number,
  H: number,
  pPre: number,
  pAct: number,
): GateBlocks {
  const n = rows * H;
  const block = (p: number, g: number): FloatArray => copyOf(arena.f32(p + VALUE_BYTES * g * n, n), 'a trace');
  return {
    pre: Array.from({ length: G }, (_, g) => block(pPre, g)),
    act: Array.from({ length: G }, (_, g) => block(pAct, g)),
  };
}

/** The layer output's columns of this direction, from h [T·B, H]. */
function scatterOutput(run: SequenceRun, h: Float32Array): void {
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

/** ‖·‖ of each step's [B, H] block of a [T, B, H] buffer, summed in doubles: the gradient-norm chart's data. */
export function stepNorms(seq: Float32Array, T: number, B: number, H: number, out: Float64Array): void {
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let k = t * B * H; k < (t + 1) * B * H; k++) s += seq[k] * seq[k];
    out[t] = Math.sqrt(s);
  }
}

/** Byte offset of the first row of the step processed first (where h0 goes). */
export function firstStepOffset(run: SequenceRun): number {
  return VALUE_BYTES * timeAt(run, 0) * run.B * run.H;
}
