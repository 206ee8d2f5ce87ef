/**
 * Vanilla (Elman) RNN over a whole sequence, forward and backward. One gate block.
 *
 *   h_t = φ(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh),   φ = tanh (default) or ReLU
 *
 * Backward: dz_t = dh_t ⊙ φ'(z_t), with φ' = 1 − h_t² for tanh and [h_t > 0] for ReLU;
 *   ∂L/∂h_{t−1} = dz_t · W_hh — repeated multiplication by W_hh and φ' < 1 is why its
 *   gradient vanishes over long lags (Bengio et al. 1994; Hochreiter 1991).
 * Interventions (intervention.ts) hold units of h_t at fixed values; the backward treats them as
 * constants (their dh is 0).
 */
import { allocate, dtypeOf, FloatArray } from '../dtype';
import { gemmABt, transpose } from '../kernels/gemm';
import { hiddenSideGrads, inputSideGrads, projectInputs } from './projection';
import type { BackwardOptions, LayerGrads, LayerWeights, SequenceRun } from './run';
import { isPinned, pinned, timeAt } from './run';
import { pollInterrupt, STEPS_PER_POLL } from '../interrupt';

export function rnnForward(run: SequenceRun, w: LayerWeights, relu: boolean, h0: FloatArray): void {
  const { T, B, H, gates, pre, hPrev, out, outOff, ldOut } = run;
  // gates, pre: [T, B, H] — z_t = W_ih x_t + b_ih + b_hh (+ W_hh h_{t−1}) in, h_t out (pre keeps z_t)
  // hPrev: [T, B, H], the state that fed step t;  out: [T, B, ldOut]
  const fh = run.fixed?.h ?? null; // units held fixed by interventions
  projectInputs(run, w, true);
  hPrev.set(h0, timeAt(run, 0) * B * H);
  for (let s = 0; s < T; s++) {
    if (s % STEPS_PER_POLL === 0) pollInterrupt();
    const t = timeAt(run, s);
    const stepState = t * B * H; // gates[t], hPrev[t]: [B, H]
    // z_t += h_{t−1}·W_hhᵀ
    gemmABt(B, H, H, hPrev, stepState, H, w.whh, 0, H, gates, stepState, H);
    // h_t goes where the next step processed reads it, or to the final state.
    const last = s + 1 === T;
    const hNext = last ? run.hLast : hPrev;
    const stepNext = last ? 0 : timeAt(run, s + 1) * B * H;
    for (let b = 0; b < B; b++) {
      const rowState = stepState + b * H;
      const rowNext = stepNext + b * H;
      const rowOut = (t * B + b) * ldOut + outOff;
      for (let j = 0; j < H; j++) {
        const z = gates[rowState + j];
        const h = pinned(fh, j, relu ? (z > 0 ? z : 0) : Math.tanh(z)); // h_t = φ(z_t)
        if (pre) pre[rowState + j] = z;
        gates[rowState + j] = h;
        out[rowOut + j] = h;
        hNext[rowNext + j] = h;
      }
    }
  }
}

export function rnnBackward(
  run: SequenceRun,
  w: LayerWeights,
  g: LayerGrads,
  relu: boolean,
  opt: BackwardOptions,
): void {
  const { T, B, H, gates, ldOut, outOff } = run;
  const dtype = dtypeOf(gates);
  const dOut = opt.dOut; // [T, B, ldOut]
  const dZ = allocate(dtype, T * B * H); // ∂L/∂z: [T, B, H]
  const dhNext = allocate(dtype, B * H); // ∂L/∂h_t from step t+1: [B, H]
  if (opt.dhLast) dhNext.set(opt.dhLast);
  const normH = opt.norms?.h ?? null;
  const whhT = transpose(w.whh, 0, H, H, H); // ∂L/∂h_{t−1} = dZ_t · W_hh as dot products
  const fh = run.fixed?.h ?? null; // fixed units are constants: no gradient flows through them
  for (let s = T - 1; s >= 0; s--) {
    if ((T - 1 - s) % STEPS_PER_POLL === 0) pollInterrupt();
    const t = timeAt(run, s);
    const stepState = t * B * H; // gates[t], dZ[t]: [B, H]
    let sumH = 0;
    for (let b = 0; b < B; b++) {
      const rowState = stepState + b * H;
      const rowCarry = b * H; // dhNext
      const rowOut = (t * B + b) * ldOut + outOff;
      for (let j = 0; j < H; j++) {
        const dh = (dOut ? dOut[rowOut + j] : 0) + dhNext[rowCarry + j];
        const h = gates[rowState + j];
        // dz_t = dh_t ⊙ φ'(z_t):  1 − h_t² for tanh, [h_t > 0] for ReLU
        dZ[rowState + j] = isPinned(fh, j) ? 0 : relu ? (h > 0 ? dh : 0) : dh * (1 - h * h);
        sumH += dh * dh;
      }
    }
    if (normH) normH[t] = Math.sqrt(sumH);
    // ∂L/∂h_{t−1} = dz_t · W_hh
    dhNext.fill(0);
    gemmABt(B, H, H, dZ, stepState, H, whhT, 0, H, dhNext, 0, H);
    if (opt.truncate > 0 && s > 0 && s % opt.truncate === 0) dhNext.fill(0);
  }
  if (opt.dh0) opt.dh0.set(dhNext);
  inputSideGrads(run, w, g, dZ, opt.dx);
  hiddenSideGrads(run, g, dZ);
}
