/**
 * The buffers of one recurrent layer in one direction over one sequence: what the forward
 * writes and the backward reads. Everything is allocated once per call, before the time
 * loop; the loops themselves only index into these flat arrays.
 *
 * Layouts (τ is the time index in the sequence, whatever the direction):
 *   x       [T, B, I]           the layer's input
 *   gates   [T, B, G·H]         gate activations (LSTM i,f,g,o; GRU r,z,n; RNN h)
 *   pre     [T, B, G·H] | null  gate pre-activations, kept only when a trace is asked for ('js' runs)
 *   hPrev   [T, B, H]           the hidden state that fed step τ (h0 for the first step)
 *   cPrev   [T, B, H]           LSTM: the cell state that fed step τ;  c [T, B, H] its result
 *   out     [T, B, ldOut]       the layer output; this direction writes columns outOff … outOff+H
 *
 * On the WebAssembly engine ('wasm' runs) the buffers the backward needs stay in the engine's
 * memory between forward and backward (`wasm`); gates, pre, hPrev, cPrev and c are empty. A
 * traced 'wasm' run's kernels also write its gates one gate block after another, [G, T, B, H],
 * and its forward copies each block out once into the trace's per-gate arrays (`gateBlocks`),
 * and c into `c`.
 */
import { allocate, copyOf, DType, dtypeOf, FloatArray } from '../dtype';

export interface LayerWeights {
  /** [G·H, I] */ wih: FloatArray;
  /** [G·H, H] */ whh: FloatArray;
  /** [G·H] or null */ bih: FloatArray | null;
  /** [G·H] or null */ bhh: FloatArray | null;
  /** LSTM peepholes [3·H] (i, f, o) or null */ peephole: FloatArray | null;
  /** LSTM full gate recurrence [3·H, 3·H] or null */ gate: FloatArray | null;
}

/** Gradient buffers in the same layout as LayerWeights; null where no gradient is wanted. */
export type LayerGrads = { [K in keyof LayerWeights]: FloatArray | null };

export interface SequenceRun {
  T: number;
  B: number;
  I: number;
  H: number;
  G: number;
  reverse: boolean;
  /** The engine that ran the forward; the backward runs on the same one. */
  engine: 'js' | 'wasm';
  /** A backward will follow (a tape was given): a 'wasm' run keeps its buffers for it. */
  keep: boolean;
  /** Where a kept 'wasm' run's buffers are, until its backward (lstm/gru/rnn-cell-wasm.ts). */
  wasm: WasmRunBuffers | null;
  x: FloatArray;
  out: FloatArray;
  outOff: number;
  ldOut: number;
  gates: FloatArray;
  pre: FloatArray | null;
  /** A trace was asked for: the cell keeps its pre-activations, c and the gates for it. */
  trace: boolean;
  /** A traced 'wasm' run's gates, filled by finishForward; null for a 'js' run (its trace is cut from gates and pre). */
  gateBlocks: GateBlocks | null;
  hPrev: FloatArray;
  cPrev: FloatArray | null;
  c: FloatArray | null;
  /** GRU: W_hn·h + b_hn (reset-after) or W_hn·(r⊙h) + b_hn (Cho) per step, [T, B, H]. */
  hn: FloatArray | null;
  /** GRU Cho form: r⊙h_{t-1} per step, [T, B, H]. */
  rh: FloatArray | null;
  /** Units held fixed by interventions (both engines apply them). */
  fixed: UnitOverrides | null;
  /** The input in compressed-row form when it is mostly zeros (one-hot characters), else null. */
  sparseX: SparseRows | null;
  /** Final states [B, H]. */
  hLast: FloatArray;
  cLast: FloatArray | null;
}

/** One run's gates for a trace, per gate block in the weights' order: pre-activations and activations, [T, B, H] each. */
export interface GateBlocks {
  pre: FloatArray[];
  act: FloatArray[];
}

/** Arena pointers (byte offsets) of a kept 'wasm' run; 0 where the cell has no such buffer. */
export interface WasmRunBuffers {
  /** Releases them (after the backward, or when the run is collected without one). */
  release(): void;
  gates: number;
  hPrev: number;
  cPrev: number;
  c: number;
  hn: number;
  rh: number;
}

/**
 * Units an intervention holds fixed in one layer and direction (intervention.ts), by quantity
 * (a gate key, 'c', 'h'): where fixed[j] = 1, unit j's value is value[j] at every step.
 */
export interface UnitOverride {
  /** [H] */ fixed: Uint8Array;
  /** [H] */ value: Float64Array;
}
export type UnitOverrides = Readonly<Record<string, UnitOverride>>;

/** The value of unit j after an override: v as computed, or the override's value when j is fixed. */
export function pinned(o: UnitOverride | null, j: number, v: number): number {
  return o !== null && o.fixed[j] === 1 ? o.value[j] : v;
}

/** Whether the override fixes unit j (its gradient stops there: a fixed value is a constant). */
export function isPinned(o: UnitOverride | null, j: number): boolean {
  return o !== null && o.fixed[j] === 1;
}

/** Compressed sparse rows: row r holds cols[rowStart[r] … rowStart[r+1]) with values vals[…]. */
export interface SparseRows {
  rowStart: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
}

/** The per-step buffers [T, B, H] only some cells keep; see SequenceRun.hn and .rh. */
export interface ExtraStepBuffers {
  hn: boolean;
  rh: boolean;
}

export interface RunShape {
  T: number;
  B: number;
  I: number;
  H: number;
  G: number;
  reverse: boolean;
  hasCell: boolean;
  trace: boolean;
  extra: ExtraStepBuffers;
  engine: 'js' | 'wasm';
  keep: boolean;
  fixed: UnitOverrides | null;
}

export function allocateRun(
  dtype: DType,
  s: RunShape,
  x: FloatArray,
  out: FloatArray,
  outOff: number,
  ldOut: number,
): SequenceRun {
  const { T, B, H, G } = s;
  const steps = T * B;
  // A 'wasm' run keeps what its backward needs in the engine; its forward copies a trace's c and
  // gates (gateBlocks) out of the engine into arrays of their own.
  const js = s.engine === 'js';
  return {
    T,
    B,
    I: s.I,
    H,
    G,
    reverse: s.reverse,
    engine: s.engine,
    keep: s.keep,
    wasm: null,
    x,
    out,
    outOff,
    ldOut,
    gates: allocate(dtype, js ? steps * G * H : 0),
    pre: js && s.trace ? allocate(dtype, steps * G * H) : null,
    trace: s.trace,
    gateBlocks: null,
    hPrev: allocate(dtype, js ? steps * H : 0),
    cPrev: s.hasCell ? allocate(dtype, js ? steps * H : 0) : null,
    c: s.hasCell ? allocate(dtype, js ? steps * H : 0) : null,
    hn: s.extra.hn ? allocate(dtype, js ? steps * H : 0) : null,
    rh: s.extra.rh ? allocate(dtype, js ? steps * H : 0) : null,
    fixed: s.fixed,
    sparseX: null,
    hLast: allocate(dtype, B * H),
    cLast: s.hasCell ? allocate(dtype, B * H) : null,
  };
}

/**
 * The G column blocks of a [rows, G·H] buffer as G arrays [rows, H] of its dtype (a Float32Array
 * for the engine's memory): one pass over the source in its order, one copy of each value.
 */
export function splitBlocks(src: FloatArray, rows: number, G: number, H: number): FloatArray[] {
  const dtype = dtypeOf(src);
  if (G === 1) return [copyOf(src.subarray(0, rows * H), 'a trace')];
  const blocks = Array.from({ length: G }, () => allocate(dtype, rows * H, 'a trace'));
  for (let r = 0; r < rows; r++)
    for (let g = 0; g < G; g++) blocks[g].set(src.subarray((r * G + g) * H, (r * G + g + 1) * H), r * H);
  return blocks;
}

/** The time index of the s-th step processed: s forward, T−1−s in reverse. */
export function timeAt(run: SequenceRun, s: number): number {
  return run.reverse ? run.T - 1 - s : s;
}

/** Per-step gradient norms, filled by the backward pass when asked for. */
interface StepNorms {
  /** ‖∂L/∂h_τ‖ over batch and units, indexed by time τ. */
  h: Float64Array;
  /** ‖∂L/∂c_τ‖ (LSTM only). */
  c: Float64Array | null;
}

export interface BackwardOptions {
  /** ∂L/∂out in the layout of run.out; null when the output is not used by the loss. */
  dOut: FloatArray | null;
  /** ∂L/∂h_T and ∂L/∂c_T of the final state [B, H], or null. */
  dhLast: FloatArray | null;
  dcLast: FloatArray | null;
  /** Where to add ∂L/∂x [T, B, I]; null to skip. */
  dx: FloatArray | null;
  /** Where to write ∂L/∂h0, ∂L/∂c0 [B, H] (overwritten); null to skip. */
  dh0: FloatArray | null;
  dc0: FloatArray | null;
  /** Truncated BPTT: no gradient crosses from step s to s−1 when s is a multiple of k (0 = full BPTT). */
  truncate: number;
  norms: StepNorms | null;
}
