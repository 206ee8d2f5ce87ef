/**
 * The LSTM over a sequence on the WebAssembly kernels — the same computation as
 * lstmForward / lstmBackward in lstm-cell.ts (its JS twin, where the equations are), with the
 * same inputs and the same outputs, for the standard cell and peepholes (standardOrPeephole in
 * lstm-cell.ts). Greff's other variants run on the JS engine (lstm-variants.ts).
 *
 *   before the loop   Z = x·W_ihᵀ + b_ih + b_hh over all T·B rows (one product)
 *   the loop          per batch half (one thread each): Z_t += h_{t−1}·W_hhᵀ, fused gates
 *                     (core/kernels/wasm/assembly/lstm.ts)
 *   backward loop     per batch half: fused dZ_t, ∂L/∂h_{t−1} = dZ_t·W_hh
 *   after it          ∂W_ih, ∂W_hh, ∂x as single products over all rows; ∂b and the
 *                     peephole gradients as column sums
 * The gates, c and h_{t−1}, c_{t−1} of every step stay in the engine's memory from the forward
 * to the backward (withRunMemory); only the output, the final state and a trace come out.
 */
import { copyOf, type FloatArray } from '../dtype';
import { inPhase } from '../kernels/phases';
import { packedBSize } from '../kernels/wasm/products';
import { wasmKernels } from '../kernels/wasm/runtime';
import type { LstmFlags } from './lstm-cell';
import type { BackwardOptions, LayerGrads, LayerWeights, SequenceRun } from './run';
import { timeAt } from './run';
import {
  batchSlices,
  biasGradsWasm,
  finishForward,
  firstStepOffset,
  fixBlock,
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

/** The phases a profiled step charges the loops' packing, products and element-wise parts to (core/kernels/phases.ts). */
const FORWARD_PARTS = ['packing', 'recurrent gemm', 'gate math'];
const BACKWARD_PARTS = ['packing', 'backward gemm', 'gate backward'];

/** The order of the quantities in the kernels' interventions block (assembly/fixed.ts). */
const FIXED_QUANTITIES = ['i', 'f', 'g', 'o', 'c', 'h'];

export function lstmForwardWasm(
  run: SequenceRun,
  w: LayerWeights,
  flags: LstmFlags,
  h0: FloatArray,
  c0: FloatArray,
): void {
  const kw = wasmKernels();
  const { k, arena } = kw;
  const { T, B, H } = run;
  const G4 = 4 * H;
  const rows = T * B;
  withRunMemory(kw, run, (keep) => {
    const z = arena.alloc(rows * G4); // gates: [T, B, 4H], blocks i, f, g, o — Z in, activations out when kept for a backward
    const hPrev = arena.alloc(rows * H); // [T, B, H], the state that fed step t
    const cPrev = arena.alloc(rows * H); // [T, B, H]
    const c = arena.alloc(rows * H); // c_t: [T, B, H]
    keep({ gates: z, hPrev, cPrev, c, hn: 0, rh: 0 });
    withScratch(kw, () => {
      // For a trace: pre-activations and activations, [4, T, B, H] each (gate block by gate block).
      const pre = run.trace ? arena.alloc(rows * G4) : 0;
      const act = run.trace ? arena.alloc(rows * G4) : 0;
      const h = arena.alloc(rows * H); // h_t: [T, B, H]
      const peep = flags.peephole && w.peephole ? arena.put(w.peephole) : arena.zeros(3 * H); // [3H]: p_i, p_f, p_o
      const whh = arena.put(w.whh);
      const whhP = arena.alloc(packedBSize(H, G4));
      const slices = batchSlices(kw, B, H);
      const fix = fixBlock(kw, run.fixed, FIXED_QUANTITIES, H);
      inPhase('input projection', () => projectInputsWasm(kw, run, w, true, z));
      k.packB(H, G4, whh, 1, H, whhP); // B(k = j, n = g) = W_hh[g, j]: W_hhᵀ
      arena.f32(hPrev + firstStepOffset(run), B * H).set(h0);
      arena.f32(cPrev + firstStepOffset(run), B * H).set(c0);
      runSequence(
        kw,
        T,
        false,
        slices,
        (s, _i, s0, s1) => [
          'lstmForwardSeq',
          [
            T,
            s0,
            s1,
            B,
            s.b0,
            s.size,
            H,
            run.reverse ? 1 : 0,
            run.keep ? 1 : 0,
            z,
            pre,
            act,
            hPrev,
            cPrev,
            c,
            h,
            peep,
            whhP,
            s.ap,
            s.edge,
            fix,
          ],
        ],
        FORWARD_PARTS,
      );
      finishForward(kw, run, h, act, pre);
      const cv = arena.f32(c, rows * H);
      const last = timeAt(run, T - 1) * B * H;
      run.cLast!.set(cv.subarray(last, last + B * H));
      if (run.trace) run.c = copyOf(cv, 'a trace');
    });
  });
}

export function lstmBackwardWasm(
  run: SequenceRun,
  w: LayerWeights,
  g: LayerGrads,
  flags: LstmFlags,
  opt: BackwardOptions,
): void {
  const kw = wasmKernels();
  const { k, arena } = kw;
  const { T, B, H } = run;
  const G4 = 4 * H;
  const rows = T * B;
  const kept = keptBuffers(run);
  const { gates, c, cPrev, hPrev } = kept;
  try {
    withScratch(kw, () => {
      const dOut = gatherDOut(kw, run, opt.dOut); // [T, B, H]
      const dZ = arena.alloc(rows * G4); // ∂L/∂Z: [T, B, 4H], blocks i, f, g, o
      // ∂L/∂h and ∂L/∂c carried between steps, [B, H]: each half uses its own rows.
      const dh = opt.dhLast ? arena.put(opt.dhLast) : arena.zeros(B * H);
      const dc = opt.dcLast ? arena.put(opt.dcLast) : arena.zeros(B * H);
      const usePeep = flags.peephole && w.peephole !== null;
      const peep = usePeep ? arena.put(w.peephole!) : arena.zeros(3 * H); // [3H]: p_i, p_f, p_o
      const dhSeq = opt.norms ? arena.alloc(rows * H) : 0; // ∂L/∂h_t of every step, [T, B, H], for the norms
      const dcSeq = opt.norms?.c ? arena.alloc(rows * H) : 0;
      const whh = arena.put(w.whh);
      const whhBP = arena.alloc(packedBSize(G4, H));
      const slices = batchSlices(kw, B, G4);
      const fix = fixBlock(kw, run.fixed, FIXED_QUANTITIES, H);
      k.packB(G4, H, whh, H, 1, whhBP); // B(k = g, n = j) = W_hh[g, j]
      runSequence(
        kw,
        T,
        true,
        slices,
        (s, _i, s0, s1) => [
          'lstmBackwardSeq',
          [
            T,
            s0,
            s1,
            B,
            s.b0,
            s.size,
            H,
            run.reverse ? 1 : 0,
            opt.truncate,
            dOut,
            dh + VALUE_BYTES * s.b0 * H, // this slice's rows
            dc + VALUE_BYTES * s.b0 * H,
            gates,
            c,
            cPrev,
            peep,
            dZ,
            whhBP,
            dhSeq,
            dcSeq,
            s.ap,
            s.edge,
            fix,
          ],
        ],
        BACKWARD_PARTS,
      );
      if (opt.dh0) opt.dh0.set(arena.f32(dh, B * H));
      if (opt.dc0) opt.dc0.set(arena.f32(dc, B * H));
      if (opt.norms) stepNorms(arena.f32(dhSeq, rows * H), T, B, H, opt.norms.h);
      if (opt.norms?.c) stepNorms(arena.f32(dcSeq, rows * H), T, B, H, opt.norms.c);
      if (usePeep && g.peephole) {
        // ∂L/∂p_i = Σ dz_i ⊙ c_{t−1},  ∂L/∂p_f = Σ dz_f ⊙ c_{t−1},  ∂L/∂p_o = Σ dz_o ⊙ c_t
        const dp = arena.zeros(3 * H); // [3H]: blocks i, f, o
        const dpI = dp,
          dpF = dp + VALUE_BYTES * H,
          dpO = dp + VALUE_BYTES * 2 * H;
        const dzI = dZ, // the i, f and o columns of dZ
          dzF = dZ + VALUE_BYTES * H,
          dzO = dZ + VALUE_BYTES * 3 * H;
        k.addColumnDots(dpI, dzI, G4, cPrev, H, rows, H);
        k.addColumnDots(dpF, dzF, G4, cPrev, H, rows, H);
        k.addColumnDots(dpO, dzO, G4, c, H, rows, H);
        const d = arena.f32(dp, 3 * H);
        for (let j = 0; j < 3 * H; j++) g.peephole[j] += d[j];
      }
      inPhase('∂W accumulation', () => {
        inputSideGradsWasm(kw, run, w, g, dZ, opt.dx);
        if (g.whh) weightGradWasm(kw, G4, H, rows, dZ, G4, hPrev, H, g.whh);
        biasGradsWasm(kw, rows, G4, dZ, G4, [g.bih, g.bhh]);
      });
    });
  } finally {
    kept.release();
  }
}
