/**
 * The GRU over a sequence on the WebAssembly kernels, both forms — the same computation as
 * gruForward / gruBackward in gru-cell.ts (its JS twin, where the equations are). The loop per
 * step (core/kernels/wasm/assembly/gru.ts), on each batch half: Zh = b_hh + h_{t−1}·W_hhᵀ (the
 * r, z rows; n too in the reset-after form), r and z, (reset-before: Zh_n = b_hn +
 * (r ⊙ h_{t−1})·W_hnᵀ), then n and h_t. What the backward needs stays in the engine's memory.
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

/** The order of the quantities in the kernels' interventions block (assembly/fixed.ts). */
const FIXED_QUANTITIES = ['r', 'z', 'n', 'h'];

export function gruForwardWasm(run: SequenceRun, w: LayerWeights, resetAfter: boolean, h0: FloatArray): void {
  const kw = wasmKernels();
  const { k, arena } = kw;
  const { T, B, H } = run;
  const G3 = 3 * H;
  const rows = T * B;
  // Rows of W_hh that multiply h_{t−1} directly: all three reset-after, r and z reset-before.
  const direct = resetAfter ? G3 : 2 * H;
  // W_hn: the last H rows of W_hh [3H, H].
  const whnRows = VALUE_BYTES * 2 * H * H;
  withRunMemory(kw, run, (keep) => {
    const zx = arena.alloc(rows * G3); // gates: [T, B, 3H], blocks r, z, n — W_i x + b_i in, activations out
    const hPrev = arena.alloc(rows * H); // [T, B, H], the state that fed step t
    const hn = arena.alloc(rows * H); // [T, B, H], the recurrent term inside n's tanh
    const rh = resetAfter ? 0 : arena.alloc(rows * H); // Cho: r_t ⊙ h_{t−1}, [T, B, H]
    keep({ gates: zx, hPrev, cPrev: 0, c: 0, hn, rh });
    withScratch(kw, () => {
      // For a trace: pre-activations and activations, [3, T, B, H] each (gate block by gate block).
      const pre = run.trace ? arena.alloc(rows * G3) : 0;
      const act = run.trace ? arena.alloc(rows * G3) : 0;
      const h = arena.alloc(rows * H); // h_t: [T, B, H]
      const bhh = w.bhh ? arena.put(w.bhh) : arena.zeros(G3);
      const whh = arena.put(w.whh); // [3H, H]
      const whhP = arena.alloc(packedBSize(H, direct));
      const whnP = resetAfter ? 0 : arena.alloc(packedBSize(H, H));
      const slices = batchSlices(kw, B, H);
      const fix = fixBlock(kw, run.fixed, FIXED_QUANTITIES, H);
      const zh = slices.map((s) => arena.alloc(s.size * G3));
      projectInputsWasm(kw, run, w, false, zx);
      k.packB(H, direct, whh, 1, H, whhP); // W_hhᵀ, first `direct` rows
      if (!resetAfter) k.packB(H, H, whh + whnRows, 1, H, whnP); // W_hnᵀ
      arena.f32(hPrev + firstStepOffset(run), B * H).set(h0);
      runSequence(kw, T, false, slices, (s, i, s0, s1) => [
        'gruForwardSeq',
        [
          T,
          s0,
          s1,
          B,
          s.b0,
          s.size,
          H,
          run.reverse ? 1 : 0,
          resetAfter ? 1 : 0,
          zx,
          pre,
          act,
          hPrev,
          hn,
          rh,
          h,
          bhh,
          whhP,
          whnP,
          zh[i],
          s.ap,
          s.edge,
          fix,
        ],
      ]);
      finishForward(kw, run, h, act, pre);
    });
  });
}

export function gruBackwardWasm(
  run: SequenceRun,
  w: LayerWeights,
  g: LayerGrads,
  resetAfter: boolean,
  opt: BackwardOptions,
): void {
  const kw = wasmKernels();
  const { k, arena } = kw;
  const { T, B, H } = run;
  const G3 = 3 * H;
  const rows = T * B;
  const direct = resetAfter ? G3 : 2 * H;
  const whnRows = VALUE_BYTES * 2 * H * H; // W_hn in W_hh [3H, H]
  const kept = keptBuffers(run);
  const { gates, hPrev, hn, rh } = kept;
  try {
    withScratch(kw, () => {
      const dOut = gatherDOut(kw, run, opt.dOut); // [T, B, H]
      // ∂L/∂ of the input-side pre-activations (W_i x + b_i) and of the recurrent-side ones: [T, B, 3H] each.
      const dZx = arena.alloc(rows * G3);
      const dZh = arena.alloc(rows * G3);
      const dh = opt.dhLast ? arena.put(opt.dhLast) : arena.zeros(B * H); // ∂L/∂h carried between steps, [B, H]
      const dhSeq = opt.norms ? arena.alloc(rows * H) : 0; // ∂L/∂h_t of every step, [T, B, H], for the norms
      const whh = arena.put(w.whh);
      const whhBP = arena.alloc(packedBSize(direct, H));
      const whnBP = resetAfter ? 0 : arena.alloc(packedBSize(H, H));
      const slices = batchSlices(kw, B, direct);
      const fix = fixBlock(kw, run.fixed, FIXED_QUANTITIES, H);
      const dRh = slices.map((s) => (resetAfter ? 0 : arena.alloc(s.size * H)));
      k.packB(direct, H, whh, H, 1, whhBP); // B(k = g, n = j) = W_hh[g, j], g < direct
      if (!resetAfter) k.packB(H, H, whh + whnRows, H, 1, whnBP); // W_hn
      runSequence(kw, T, true, slices, (s, i, s0, s1) => [
        'gruBackwardSeq',
        [
          T,
          s0,
          s1,
          B,
          s.b0,
          s.size,
          H,
          run.reverse ? 1 : 0,
          resetAfter ? 1 : 0,
          opt.truncate,
          dOut,
          dh + VALUE_BYTES * s.b0 * H, // this slice's rows
          gates,
          hPrev,
          hn,
          dZx,
          dZh,
          whhBP,
          whnBP,
          dRh[i],
          dhSeq,
          s.ap,
          s.edge,
          fix,
        ],
      ]);
      if (opt.dh0) opt.dh0.set(arena.f32(dh, B * H));
      if (opt.norms) stepNorms(arena.f32(dhSeq, rows * H), T, B, H, opt.norms.h);
      inputSideGradsWasm(kw, run, w, g, dZx, opt.dx);
      biasGradsWasm(kw, rows, G3, dZx, G3, [g.bih]);
      if (g.whh) {
        if (resetAfter) {
          weightGradWasm(kw, G3, H, rows, dZh, G3, hPrev, H, g.whh);
        } else {
          weightGradWasm(kw, 2 * H, H, rows, dZh, G3, hPrev, H, g.whh);
          const dZhN = dZh + VALUE_BYTES * 2 * H; // the n columns of dZh
          weightGradWasm(kw, H, H, rows, dZhN, G3, rh, H, g.whh, 2 * H * H);
        }
      }
      biasGradsWasm(kw, rows, G3, dZh, G3, [g.bhh]);
    });
  } finally {
    kept.release();
  }
}
