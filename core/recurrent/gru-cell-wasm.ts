/**
 * The GRU over a sequence on the WebAssembly kernels, both forms — the same computation as
 * gruForward / gruBackward in gru-cell.ts (its JS twin, where the equations are), filling the
 * same SequenceRun.
 *
 * Per step: Zh = b_hh + h_{t−1}·W_hhᵀ (the r, z rows; n too in the reset-after form), the r/z
 * kernel, (reset-before: Zh_n = b_hn + (r ⊙ h_{t−1})·W_hnᵀ), then the candidate kernel.
 */
import type { FloatArray } from '../dtype';
import { packedASize, packedBSize } from '../kernels/wasm/products';
import { wasmKernels } from '../kernels/wasm/runtime';
import type { BackwardOptions, LayerGrads, LayerWeights, SequenceRun } from './run';
import { timeAt } from './run';
import { columnSumsWasm, gatherDOut, inputSideGradsWasm, projectInputsWasm, scatterOutput, weightGradWasm } from './wasm-layer';

export function gruForwardWasm(run: SequenceRun, w: LayerWeights, resetAfter: boolean, h0: FloatArray): void {
  const kw = wasmKernels();
  const { k, arena } = kw;
  const { T, B, H } = run;
  const G3 = 3 * H;
  const rows = T * B;
  // Rows of W_hh that multiply h_{t−1} directly: all three reset-after, r and z reset-before.
  const direct = resetAfter ? G3 : 2 * H;
  const mark = arena.mark();
  try {
    const zx = arena.alloc(rows * G3);
    const pre = run.pre ? arena.alloc(rows * G3) : 0;
    const hPrev = arena.alloc(rows * H);
    const hn = arena.alloc(rows * H);
    const rh = resetAfter ? 0 : arena.alloc(rows * H);
    const h = arena.alloc(rows * H);
    const zh = arena.alloc(B * G3);
    const bhh = w.bhh ? arena.put(w.bhh) : arena.zeros(G3);
    const whh = arena.put(w.whh);
    const whhP = arena.alloc(packedBSize(H, direct));
    const whnP = resetAfter ? 0 : arena.alloc(packedBSize(H, H));
    const hP = arena.alloc(packedASize(B, H));
    projectInputsWasm(kw, run, w, false, zx);
    k.packB(H, direct, whh, 1, H, whhP); // W_hhᵀ, first `direct` rows
    if (!resetAfter) k.packB(H, H, whh + 4 * 2 * H * H, 1, H, whnP); // W_hnᵀ
    const t0 = timeAt(run, 0) * B * H;
    arena.f32(hPrev + 4 * t0, B * H).set(h0);
    for (let s = 0; s < T; s++) {
      const t = timeAt(run, s);
      const zOff = 4 * t * B * G3;
      const sOff = 4 * t * B * H;
      const next = s + 1 < T ? 4 * timeAt(run, s + 1) * B * H : -1;
      k.broadcastRows(zh, B, G3, G3, bhh);
      k.packA(B, H, hPrev + sOff, H, 1, hP);
      k.gemmPacked(B, direct, H, hP, whhP, zh, G3);
      k.gruGatesStep(B, H, zx + zOff, zh, pre ? pre + zOff : 0, hPrev + sOff, resetAfter ? 0 : rh + sOff);
      if (!resetAfter) {
        // Zh_n = b_hn + (r ⊙ h_{t−1})·W_hnᵀ
        k.packA(B, H, rh + sOff, H, 1, hP);
        k.gemmPacked(B, H, H, hP, whnP, zh + 4 * 2 * H, G3);
      }
      k.gruCandidateStep(B, H, zx + zOff, zh, pre ? pre + zOff : 0, hPrev + sOff, hn + sOff, h + sOff, next >= 0 ? hPrev + next : 0, resetAfter ? 1 : 0);
    }
    run.gates.set(arena.f32(zx, rows * G3));
    if (run.pre) run.pre.set(arena.f32(pre, rows * G3));
    run.hPrev.set(arena.f32(hPrev, rows * H));
    run.hn!.set(arena.f32(hn, rows * H));
    if (run.rh) run.rh.set(arena.f32(rh, rows * H));
    const hv = arena.f32(h, rows * H);
    scatterOutput(run, hv);
    const last = timeAt(run, T - 1) * B * H;
    run.hLast.set(hv.subarray(last, last + B * H));
  } finally {
    arena.release(mark);
  }
}

export function gruBackwardWasm(run: SequenceRun, w: LayerWeights, g: LayerGrads, resetAfter: boolean, opt: BackwardOptions): void {
  const kw = wasmKernels();
  const { k, arena } = kw;
  const { T, B, H } = run;
  const G3 = 3 * H;
  const rows = T * B;
  const direct = resetAfter ? G3 : 2 * H;
  const mark = arena.mark();
  try {
    const gates = arena.put(run.gates);
    const hPrev = arena.put(run.hPrev);
    const hn = arena.put(run.hn!);
    const rh = resetAfter ? 0 : arena.put(run.rh!);
    const dOut = gatherDOut(kw, run, opt.dOut);
    const dZx = arena.alloc(rows * G3);
    const dZh = arena.alloc(rows * G3);
    const dh = arena.zeros(B * H);
    const dRh = resetAfter ? 0 : arena.alloc(B * H);
    const sums = arena.alloc(1);
    const whh = arena.put(w.whh);
    const whhP = arena.alloc(packedBSize(direct, H));
    const whnP = resetAfter ? 0 : arena.alloc(packedBSize(H, H));
    const dzP = arena.alloc(packedASize(B, direct));
    k.packB(direct, H, whh, H, 1, whhP); // B(k = g, n = j) = W_hh[g, j], g < direct
    if (!resetAfter) k.packB(H, H, whh + 4 * 2 * H * H, H, 1, whnP); // W_hn
    const dhV = arena.f32(dh, B * H);
    const dRhV = resetAfter ? null : arena.f32(dRh, B * H);
    const sumsV = arena.f32(sums, 1);
    if (opt.dhLast) dhV.set(opt.dhLast);
    const normH = opt.norms?.h ?? null;
    for (let s = T - 1; s >= 0; s--) {
      const t = timeAt(run, s);
      const zOff = 4 * t * B * G3;
      const sOff = 4 * t * B * H;
      // dh becomes its direct part dh ⊙ z; the products below add the rest of ∂L/∂h_{t−1}.
      k.gruBackwardStep(B, H, dOut ? dOut + sOff : 0, dh, gates + zOff, hPrev + sOff, hn + sOff, dZx + zOff, dZh + zOff, resetAfter ? 1 : 0, sums);
      if (normH) normH[t] = Math.sqrt(sumsV[0]);
      if (dRhV) {
        // d(r ⊙ h_{t−1}) = dz_n · W_hn, then dz_r and its share of ∂L/∂h_{t−1}.
        dRhV.fill(0);
        k.packA(B, H, dZh + zOff + 4 * 2 * H, G3, 1, dzP);
        k.gemmPacked(B, H, H, dzP, whnP, dRh, H);
        k.gruResetBackwardStep(B, H, dRh, gates + zOff, hPrev + sOff, dZx + zOff, dZh + zOff, dh);
      }
      k.packA(B, direct, dZh + zOff, G3, 1, dzP);
      k.gemmPacked(B, H, direct, dzP, whhP, dh, H);
      if (opt.truncate > 0 && s > 0 && s % opt.truncate === 0) dhV.fill(0);
    }
    if (opt.dh0) opt.dh0.set(dhV);
    inputSideGradsWasm(kw, run, w, g, dZx, opt.dx);
    if (g.whh) {
      if (resetAfter) {
        weightGradWasm(kw, G3, H, rows, dZh, G3, hPrev, H, g.whh);
      } else {
        weightGradWasm(kw, 2 * H, H, rows, dZh, G3, hPrev, H, g.whh);
        weightGradWasm(kw, H, H, rows, dZh + 4 * 2 * H, G3, rh, H, g.whh, 2 * H * H);
      }
    }
    if (g.bhh) columnSumsWasm(kw, rows, G3, dZh, G3, g.bhh);
  } finally {
    arena.release(mark);
  }
}
