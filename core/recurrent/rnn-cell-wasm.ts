/**
 * The vanilla RNN over a sequence on the WebAssembly kernels — the same computation as
 * rnnForward / rnnBackward in rnn-cell.ts (its JS twin, where the equations are).
 */
import type { FloatArray } from '../dtype';
import { packedASize, packedBSize } from '../kernels/wasm/products';
import { wasmKernels } from '../kernels/wasm/runtime';
import type { BackwardOptions, LayerGrads, LayerWeights, SequenceRun } from './run';
import { timeAt } from './run';
import { columnSumsWasm, gatherDOut, inputSideGradsWasm, projectInputsWasm, scatterOutput, weightGradWasm } from './wasm-layer';

export function rnnForwardWasm(run: SequenceRun, w: LayerWeights, relu: boolean, h0: FloatArray): void {
  const kw = wasmKernels();
  const { k, arena } = kw;
  const { T, B, H } = run;
  const rows = T * B;
  const mark = arena.mark();
  try {
    const z = arena.alloc(rows * H);
    const pre = run.pre ? arena.alloc(rows * H) : 0;
    const hPrev = arena.alloc(rows * H);
    const h = arena.alloc(rows * H);
    const whh = arena.put(w.whh);
    const whhP = arena.alloc(packedBSize(H, H));
    const hP = arena.alloc(packedASize(B, H));
    projectInputsWasm(kw, run, w, true, z);
    k.packB(H, H, whh, 1, H, whhP); // W_hhᵀ
    const t0 = timeAt(run, 0) * B * H;
    arena.f32(hPrev + 4 * t0, B * H).set(h0);
    for (let s = 0; s < T; s++) {
      const t = timeAt(run, s);
      const sOff = 4 * t * B * H;
      const next = s + 1 < T ? 4 * timeAt(run, s + 1) * B * H : -1;
      k.packA(B, H, hPrev + sOff, H, 1, hP);
      k.gemmPacked(B, H, H, hP, whhP, z + sOff, H);
      k.rnnForwardStep(B, H, z + sOff, pre ? pre + sOff : 0, h + sOff, next >= 0 ? hPrev + next : 0, relu ? 1 : 0);
    }
    run.gates.set(arena.f32(z, rows * H));
    if (run.pre) run.pre.set(arena.f32(pre, rows * H));
    run.hPrev.set(arena.f32(hPrev, rows * H));
    const hv = arena.f32(h, rows * H);
    scatterOutput(run, hv);
    const last = timeAt(run, T - 1) * B * H;
    run.hLast.set(hv.subarray(last, last + B * H));
  } finally {
    arena.release(mark);
  }
}

export function rnnBackwardWasm(run: SequenceRun, w: LayerWeights, g: LayerGrads, relu: boolean, opt: BackwardOptions): void {
  const kw = wasmKernels();
  const { k, arena } = kw;
  const { T, B, H } = run;
  const rows = T * B;
  const mark = arena.mark();
  try {
    const gates = arena.put(run.gates);
    const hPrev = arena.put(run.hPrev);
    const dOut = gatherDOut(kw, run, opt.dOut);
    const dZ = arena.alloc(rows * H);
    const dh = arena.zeros(B * H);
    const sums = arena.alloc(1);
    const whh = arena.put(w.whh);
    const whhP = arena.alloc(packedBSize(H, H));
    const dzP = arena.alloc(packedASize(B, H));
    k.packB(H, H, whh, H, 1, whhP); // W_hh
    const dhV = arena.f32(dh, B * H);
    const sumsV = arena.f32(sums, 1);
    if (opt.dhLast) dhV.set(opt.dhLast);
    const normH = opt.norms?.h ?? null;
    for (let s = T - 1; s >= 0; s--) {
      const t = timeAt(run, s);
      const sOff = 4 * t * B * H;
      k.rnnBackwardStep(B, H, dOut ? dOut + sOff : 0, dh, gates + sOff, dZ + sOff, relu ? 1 : 0, sums);
      if (normH) normH[t] = Math.sqrt(sumsV[0]);
      // ∂L/∂h_{t−1} = dZ_t · W_hh
      dhV.fill(0);
      k.packA(B, H, dZ + sOff, H, 1, dzP);
      k.gemmPacked(B, H, H, dzP, whhP, dh, H);
      if (opt.truncate > 0 && s > 0 && s % opt.truncate === 0) dhV.fill(0);
    }
    if (opt.dh0) opt.dh0.set(dhV);
    inputSideGradsWasm(kw, run, w, g, dZ, opt.dx);
    if (g.whh) weightGradWasm(kw, H, H, rows, dZ, H, hPrev, H, g.whh);
    if (g.bhh) columnSumsWasm(kw, rows, H, dZ, H, g.bhh);
  } finally {
    arena.release(mark);
  }
}
