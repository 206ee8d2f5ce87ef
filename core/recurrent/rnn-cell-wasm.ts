/**
 * The vanilla RNN over a sequence on the WebAssembly kernels — the same computation as
 * rnnForward / rnnBackward in rnn-cell.ts (its JS twin, where the equations are); the loop
 * (core/kernels/wasm/assembly/rnn.ts) runs on each batch half. What the backward needs stays
 * in the engine's memory.
 */
import type { FloatArray } from '../dtype';
import { packedBSize } from '../kernels/wasm/products';
import { wasmKernels } from '../kernels/wasm/runtime';
import type { BackwardOptions, LayerGrads, LayerWeights, SequenceRun } from './run';
import {
  batchSlices,
  fixBlock,
  biasGradsWasm,
  finishForward,
  firstStepOffset,
  gatherDOut,
  inputSideGradsWasm,
  keptBuffers,
  projectInputsWasm,
  runSequence,
  stepNorms,
  VALUE_BYTES,
  weightGradWasm,
  withRunMemory,
  withScratch,
} from './wasm-layer';

export function rnnForwardWasm(run: SequenceRun, w: LayerWeights, relu: boolean, h0: FloatArray): void {
  const kw = wasmKernels();
  const { k, arena } = kw;
  const { T, B, H } = run;
  const rows = T * B;
  withRunMemory(kw, run, (keep) => {
    const z = arena.alloc(rows * H); // gates: [T, B, H] — z_t in, h_t out
    const hPrev = arena.alloc(rows * H); // [T, B, H], the state that fed step t
    keep({ gates: z, hPrev, cPrev: 0, c: 0, hn: 0, rh: 0 });
    withScratch(kw, () => {
      const pre = run.trace ? arena.alloc(rows * H) : 0; // [T, B, H], for a trace
      const h = arena.alloc(rows * H); // h_t: [T, B, H]
      const whh = arena.put(w.whh);
      const whhP = arena.alloc(packedBSize(H, H));
      const slices = batchSlices(kw, B, H);
      const fix = fixBlock(kw, run.fixed, ['h'], H); // held units of h_t (assembly/fixed.ts)
      projectInputsWasm(kw, run, w, true, z);
      k.packB(H, H, whh, 1, H, whhP); // W_hhᵀ
      arena.f32(hPrev + firstStepOffset(run), B * H).set(h0);
      runSequence(kw, T, false, slices, (s, _i, s0, s1) => [
        'rnnForwardSeq',
        [T, s0, s1, B, s.b0, s.size, H, run.reverse ? 1 : 0, relu ? 1 : 0, z, pre, hPrev, h, whhP, s.ap, s.edge, fix],
      ]);
      finishForward(kw, run, h, z, pre);
    });
  });
}

export function rnnBackwardWasm(
  run: SequenceRun,
  w: LayerWeights,
  g: LayerGrads,
  relu: boolean,
  opt: BackwardOptions,
): void {
  const kw = wasmKernels();
  const { k, arena } = kw;
  const { T, B, H } = run;
  const rows = T * B;
  const kept = keptBuffers(run);
  const { gates, hPrev } = kept;
  try {
    withScratch(kw, () => {
      const dOut = gatherDOut(kw, run, opt.dOut); // [T, B, H]
      const dZ = arena.alloc(rows * H); // ∂L/∂z: [T, B, H]
      const dh = opt.dhLast ? arena.put(opt.dhLast) : arena.zeros(B * H); // ∂L/∂h carried between steps, [B, H]
      const dhSeq = opt.norms ? arena.alloc(rows * H) : 0; // ∂L/∂h_t of every step, [T, B, H], for the norms
      const whh = arena.put(w.whh);
      const whhBP = arena.alloc(packedBSize(H, H));
      const slices = batchSlices(kw, B, H);
      const fix = fixBlock(kw, run.fixed, ['h'], H); // held units of h_t (assembly/fixed.ts)
      k.packB(H, H, whh, H, 1, whhBP); // W_hh
      runSequence(kw, T, true, slices, (s, _i, s0, s1) => [
        'rnnBackwardSeq',
        [
          T,
          s0,
          s1,
          B,
          s.b0,
          s.size,
          H,
          run.reverse ? 1 : 0,
          relu ? 1 : 0,
          opt.truncate,
          dOut,
          dh + VALUE_BYTES * s.b0 * H, // this slice's rows
          gates,
          dZ,
          whhBP,
          dhSeq,
          s.ap,
          s.edge,
          fix,
        ],
      ]);
      if (opt.dh0) opt.dh0.set(arena.f32(dh, B * H));
      if (opt.norms) stepNorms(arena.f32(dhSeq, rows * H), T, B, H, opt.norms.h);
      inputSideGradsWasm(kw, run, w, g, dZ, opt.dx);
      if (g.whh) weightGradWasm(kw, H, H, rows, dZ, H, hPrev, H, g.whh);
      biasGradsWasm(kw, rows, H, dZ, H, [g.bih, g.bhh]);
    });
  } finally {
    kept.release();
  }
}
