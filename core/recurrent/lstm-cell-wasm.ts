/**
 * The LSTM over a sequence on the WebAssembly kernels — the same computation as
 * lstmForward / lstmBackward in lstm-cell.ts (its JS twin, where the equations are), with the
 * same inputs and the same SequenceRun filled in, for the standard cell and peepholes. The
 * other Greff variants run on the JS twin (lstmCoveredByWasm).
 *
 * Per step: pack h_{t−1}, one gemm Z_t += h_{t−1}·W_hhᵀ against W_hhᵀ packed once, then one
 * fused element-wise kernel. Backward per step: the fused kernel gives dZ_t, one gemm gives
 * ∂L/∂h_{t−1} = dZ_t·W_hh. The input projection and every weight gradient are single
 * products over all T·B rows, before and after the loop.
 */
import type { FloatArray } from '../dtype';
import { packedASize, packedBSize } from '../kernels/wasm/products';
import { wasmKernels } from '../kernels/wasm/runtime';
import type { LstmFlags } from './lstm-cell';
import type { BackwardOptions, LayerGrads, LayerWeights, SequenceRun } from './run';
import { timeAt } from './run';
import { columnSumsWasm, gatherDOut, inputSideGradsWasm, projectInputsWasm, scatterOutput, weightGradWasm } from './wasm-layer';

/** The variants the fused kernel computes: every gate present, both activations, no gate recurrence. */
export function lstmCoveredByWasm(f: LstmFlags): boolean {
  return f.inputGate && f.forgetGate && f.outputGate && !f.coupled && f.inputActivation && f.outputActivation && !f.fullGateRecurrence;
}

export function lstmForwardWasm(run: SequenceRun, w: LayerWeights, flags: LstmFlags, h0: FloatArray, c0: FloatArray): void {
  const kw = wasmKernels();
  const { k, arena } = kw;
  const { T, B, H } = run;
  const G4 = 4 * H;
  const rows = T * B;
  const mark = arena.mark();
  try {
    const z = arena.alloc(rows * G4);
    const pre = run.pre ? arena.alloc(rows * G4) : 0;
    const hPrev = arena.alloc(rows * H);
    const cPrev = arena.alloc(rows * H);
    const c = arena.alloc(rows * H);
    const h = arena.alloc(rows * H);
    const peep = flags.peephole && w.peephole ? arena.put(w.peephole) : arena.zeros(3 * H);
    const whh = arena.put(w.whh);
    const whhP = arena.alloc(packedBSize(H, G4));
    const hP = arena.alloc(packedASize(B, H));
    projectInputsWasm(kw, run, w, true, z);
    k.packB(H, G4, whh, 1, H, whhP); // B(k = j, n = g) = W_hh[g, j]: W_hhᵀ
    const t0 = timeAt(run, 0) * B * H;
    arena.f32(hPrev + 4 * t0, B * H).set(h0);
    arena.f32(cPrev + 4 * t0, B * H).set(c0);
    for (let s = 0; s < T; s++) {
      const t = timeAt(run, s);
      const zOff = 4 * t * B * G4;
      const sOff = 4 * t * B * H;
      const next = s + 1 < T ? 4 * timeAt(run, s + 1) * B * H : -1;
      // Z_t += h_{t−1}·W_hhᵀ
      k.packA(B, H, hPrev + sOff, H, 1, hP);
      k.gemmPacked(B, G4, H, hP, whhP, z + zOff, G4);
      k.lstmForwardStep(B, H, z + zOff, pre ? pre + zOff : 0, cPrev + sOff, peep, c + sOff, h + sOff,
        next >= 0 ? cPrev + next : 0, next >= 0 ? hPrev + next : 0);
    }
    run.gates.set(arena.f32(z, rows * G4));
    if (run.pre) run.pre.set(arena.f32(pre, rows * G4));
    run.hPrev.set(arena.f32(hPrev, rows * H));
    run.cPrev!.set(arena.f32(cPrev, rows * H));
    run.c!.set(arena.f32(c, rows * H));
    const hv = arena.f32(h, rows * H);
    scatterOutput(run, hv);
    const last = timeAt(run, T - 1) * B * H;
    run.hLast.set(hv.subarray(last, last + B * H));
    run.cLast!.set(run.c!.subarray(last, last + B * H));
  } finally {
    arena.release(mark);
  }
}

export function lstmBackwardWasm(run: SequenceRun, w: LayerWeights, g: LayerGrads, flags: LstmFlags, opt: BackwardOptions): void {
  const kw = wasmKernels();
  const { k, arena } = kw;
  const { T, B, H } = run;
  const G4 = 4 * H;
  const rows = T * B;
  const mark = arena.mark();
  try {
    const gates = arena.put(run.gates);
    const c = arena.put(run.c!);
    const cPrev = arena.put(run.cPrev!);
    const hPrev = arena.put(run.hPrev);
    const dOut = gatherDOut(kw, run, opt.dOut);
    const dZ = arena.alloc(rows * G4);
    const dh = arena.zeros(B * H);
    const dc = arena.zeros(B * H);
    const usePeep = flags.peephole && w.peephole !== null;
    const peep = usePeep ? arena.put(w.peephole!) : arena.zeros(3 * H);
    const dPeep = arena.zeros(3 * H);
    const sums = arena.alloc(2);
    const whh = arena.put(w.whh);
    const whhP = arena.alloc(packedBSize(G4, H));
    const dzP = arena.alloc(packedASize(B, G4));
    k.packB(G4, H, whh, H, 1, whhP); // B(k = g, n = j) = W_hh[g, j]
    // Views made after the last alloc stay valid through the loop.
    const dhV = arena.f32(dh, B * H);
    const dcV = arena.f32(dc, B * H);
    const sumsV = arena.f32(sums, 2);
    if (opt.dhLast) dhV.set(opt.dhLast);
    if (opt.dcLast) dcV.set(opt.dcLast);
    const normH = opt.norms?.h ?? null;
    const normC = opt.norms?.c ?? null;
    for (let s = T - 1; s >= 0; s--) {
      const t = timeAt(run, s);
      const zOff = 4 * t * B * G4;
      const sOff = 4 * t * B * H;
      k.lstmBackwardStep(B, H, dOut ? dOut + sOff : 0, dh, dc, gates + zOff, c + sOff, cPrev + sOff, peep, dZ + zOff, dPeep, sums);
      if (normH) normH[t] = Math.sqrt(sumsV[0]);
      if (normC) normC[t] = Math.sqrt(sumsV[1]);
      // ∂L/∂h_{t−1} = dZ_t · W_hh
      dhV.fill(0);
      k.packA(B, G4, dZ + zOff, G4, 1, dzP);
      k.gemmPacked(B, H, G4, dzP, whhP, dh, H);
      if (opt.truncate > 0 && s > 0 && s % opt.truncate === 0) {
        dhV.fill(0);
        dcV.fill(0);
      }
    }
    if (opt.dh0) opt.dh0.set(dhV);
    if (opt.dc0) opt.dc0.set(dcV);
    if (usePeep && g.peephole) {
      const d = arena.f32(dPeep, 3 * H);
      for (let j = 0; j < 3 * H; j++) g.peephole[j] += d[j];
    }
    inputSideGradsWasm(kw, run, w, g, dZ, opt.dx);
    if (g.whh) weightGradWasm(kw, G4, H, rows, dZ, G4, hPrev, H, g.whh);
    if (g.bhh) columnSumsWasm(kw, rows, G4, dZ, G4, g.bhh);
  } finally {
    arena.release(mark);
  }
}
