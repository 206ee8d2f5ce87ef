/**
 * Vanilla (Elman) RNN over a whole sequence, forward and backward. One gate block.
 *
 *   h_t = φ(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh),   φ = tanh (default) or ReLU
 *
 * Backward: dz_t = dh_t ⊙ φ'(z_t), with φ' = 1 − h_t² for tanh and [h_t > 0] for ReLU;
 *   ∂L/∂h_{t−1} = dz_t · W_hh — repeated multiplication by W_hh and φ' < 1 is why its
 *   gradient vanishes over long lags (Bengio et al. 1994; Hochreiter 1991).
 */
import { allocate, dtypeOf, FloatArray } from '../dtype';
import { gemmABt, transpose } from '../kernels/gemm';
import { hiddenSideGrads, inputSideGrads, projectInputs } from './projection';
import type { BackwardOptions, LayerGrads, LayerWeights, SequenceRun } from './run';
import { timeAt } from './run';
import { pollInterrupt, STEPS_PER_POLL } from '../interrupt';

export function rnnForward(run: SequenceRun, w: LayerWeights, relu: boolean, h0: FloatArray): void {
  const { T, B, H, gates, pre, hPrev, out, outOff, ldOut } = run;
  projectInputs(run, w, true);
  hPrev.set(h0, timeAt(run, 0) * B * H);
  for (let s = 0; s < T; s++) {
    if (s % STEPS_PER_POLL === 0) pollInterrupt();
    const t = timeAt(run, s);
    const sOff = t * B * H;
    gemmABt(B, H, H, hPrev, sOff, H, w.whh, 0, H, gates, sOff, H);
    const nextOff = s + 1 < T ? timeAt(run, s + 1) * B * H : -1;
    for (let b = 0; b < B; b++) {
      const sr = sOff + b * H;
      const outRow = t * B * ldOut + b * ldOut + outOff;
      for (let j = 0; j < H; j++) {
        const z = gates[sr + j];
        const h = relu ? (z > 0 ? z : 0) : Math.tanh(z);
        if (pre) pre[sr + j] = z;
        gates[sr + j] = h;
        out[outRow + j] = h;
        if (nextOff >= 0) hPrev[nextOff + b * H + j] = h;
        else run.hLast[b * H + j] = h;
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
  const dOut = opt.dOut;
  const dZ = allocate(dtype, T * B * H);
  const dhNext = allocate(dtype, B * H);
  if (opt.dhLast) dhNext.set(opt.dhLast);
  const normH = opt.norms?.h ?? null;
  const whhT = transpose(w.whh, 0, H, H, H); // ∂L/∂h_{t−1} = dZ_t · W_hh as dot products
  for (let s = T - 1; s >= 0; s--) {
    if ((T - 1 - s) % STEPS_PER_POLL === 0) pollInterrupt();
    const t = timeAt(run, s);
    const sOff = t * B * H;
    let sumH = 0;
    for (let b = 0; b < B; b++) {
      const sr = sOff + b * H;
      const outRow = t * B * ldOut + b * ldOut + outOff;
      for (let j = 0; j < H; j++) {
        const dh = (dOut ? dOut[outRow + j] : 0) + dhNext[b * H + j];
        const h = gates[sr + j];
        dZ[sr + j] = relu ? (h > 0 ? dh : 0) : dh * (1 - h * h);
        sumH += dh * dh;
      }
    }
    if (normH) normH[t] = Math.sqrt(sumH);
    dhNext.fill(0);
    gemmABt(B, H, H, dZ, sOff, H, whhT, 0, H, dhNext, 0, H);
    if (opt.truncate > 0 && s > 0 && s % opt.truncate === 0) dhNext.fill(0);
  }
  if (opt.dh0) opt.dh0.set(dhNext);
  inputSideGrads(run, w, g, dZ, opt.dx);
  hiddenSideGrads(run, g, dZ);
}
