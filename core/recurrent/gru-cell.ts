/**
 * GRU (Cho et al. 2014) over a whole sequence, forward and backward, in both published forms.
 * Gate blocks are stacked r, z, n (PyTorch).
 *
 *   r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)                 reset gate
 *   z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)                 update gate
 *   reset after (PyTorch, cuDNN):   n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))
 *   reset before (Cho et al. 2014): n_t = tanh(W_in x_t + b_in + W_hn (r_t ⊙ h_{t−1}) + b_hn)
 *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
 *
 * Backward, per step (dh = ∂L/∂h_t from the output plus from step t+1), with hn the
 * recurrent term inside the tanh (W_hn h_{t−1} + b_hn, or W_hn (r ⊙ h_{t−1}) + b_hn):
 *   dn = dh ⊙ (1 − z)      dz = dh ⊙ (h_{t−1} − n)      dz_n = dn ⊙ (1 − n²)
 *   reset after:  dr = dz_n ⊙ hn;  ∂L/∂(W_hn h + b_hn) = dz_n ⊙ r
 *   reset before: d(r⊙h) = dz_n · W_hn;  dr = d(r⊙h) ⊙ h_{t−1};  ∂L/∂h_{t−1} += d(r⊙h) ⊙ r
 *   dz_r = dr ⊙ r(1 − r)    dz_z = dz ⊙ z(1 − z)
 *   ∂L/∂h_{t−1} += dh ⊙ z + dZh_t · W_hh   (only the r, z rows in the reset-before form)
 */
import { allocate, dtypeOf, FloatArray } from '../dtype';
import { gemmABt, gemmAtB, transpose } from '../kernels/gemm';
import { addColumnSums, inputSideGrads, projectInputs } from './projection';
import type { BackwardOptions, LayerGrads, LayerWeights, SequenceRun } from './run';
import { timeAt } from './run';
import { sigmoid } from './sigmoid';
import { pollInterrupt, STEPS_PER_POLL } from '../interrupt';

export function gruForward(run: SequenceRun, w: LayerWeights, resetAfter: boolean, h0: FloatArray): void {
  const { T, B, H, gates, pre, hPrev, out, outOff, ldOut } = run;
  const hn = run.hn!;
  const rh = run.rh;
  const G3 = 3 * H;
  const dtype = dtypeOf(gates);
  // Recurrent pre-activations of one step: h_{t−1}·W_hhᵀ + b_hh (r, z and, reset-after, n).
  const zh = allocate(dtype, B * G3);

  projectInputs(run, w, false);
  hPrev.set(h0, timeAt(run, 0) * B * H);

  for (let s = 0; s < T; s++) {
    if (s % STEPS_PER_POLL === 0) pollInterrupt();
    const t = timeAt(run, s);
    const zOff = t * B * G3;
    const sOff = t * B * H;
    const rows = resetAfter ? G3 : 2 * H;
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < rows; k++) zh[b * G3 + k] = w.bhh ? w.bhh[k] : 0;
    }
    gemmABt(B, rows, H, hPrev, sOff, H, w.whh, 0, H, zh, 0, G3);
    // r and z first: the reset-before form needs all of r_t before its n matmul.
    for (let b = 0; b < B; b++) {
      const zr = zOff + b * G3;
      for (let j = 0; j < 2 * H; j++) {
        const z = gates[zr + j] + zh[b * G3 + j];
        if (pre) pre[zr + j] = z;
        gates[zr + j] = sigmoid(z);
      }
    }
    if (!resetAfter && rh) {
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < H; j++) rh[sOff + b * H + j] = gates[zOff + b * G3 + j] * hPrev[sOff + b * H + j];
        for (let j = 0; j < H; j++) zh[b * G3 + 2 * H + j] = w.bhh ? w.bhh[2 * H + j] : 0;
      }
      gemmABt(B, H, H, rh, sOff, H, w.whh, 2 * H * H, H, zh, 2 * H, G3);
    }
    const nextOff = s + 1 < T ? timeAt(run, s + 1) * B * H : -1;
    for (let b = 0; b < B; b++) {
      const zr = zOff + b * G3;
      const sr = sOff + b * H;
      const outRow = t * B * ldOut + b * ldOut + outOff;
      for (let j = 0; j < H; j++) {
        const r = gates[zr + j];
        const z = gates[zr + H + j];
        const hnv = zh[b * G3 + 2 * H + j];
        const zn = gates[zr + 2 * H + j] + (resetAfter ? r * hnv : hnv);
        const n = Math.tanh(zn);
        const hp = hPrev[sr + j];
        const h = (1 - z) * n + z * hp;
        if (pre) pre[zr + 2 * H + j] = zn;
        gates[zr + 2 * H + j] = n;
        hn[sr + j] = hnv;
        out[outRow + j] = h;
        if (nextOff >= 0) hPrev[nextOff + b * H + j] = h;
        else run.hLast[b * H + j] = h;
      }
    }
  }
}

export function gruBackward(
  run: SequenceRun,
  w: LayerWeights,
  g: LayerGrads,
  resetAfter: boolean,
  opt: BackwardOptions,
): void {
  const { T, B, H, gates, hPrev, ldOut, outOff } = run;
  const hn = run.hn!;
  const rh = run.rh;
  const G3 = 3 * H;
  const dtype = dtypeOf(gates);
  const dOut = opt.dOut;
  const dZx = allocate(dtype, T * B * G3);
  const dZh = allocate(dtype, T * B * G3);
  const dhNext = allocate(dtype, B * H);
  const dhDirect = allocate(dtype, B * H);
  const dRh = resetAfter ? null : allocate(dtype, B * H);
  if (opt.dhLast) dhNext.set(opt.dhLast);
  const normH = opt.norms?.h ?? null;
  // Transposed recurrent weights, so the products with W_hh run as contiguous dot products:
  // the rows that multiply h_{t−1} directly (all three reset-after, r and z reset-before) and W_hn.
  const direct = resetAfter ? G3 : 2 * H;
  const whhT = transpose(w.whh, 0, H, direct, H);
  const whnT = resetAfter ? null : transpose(w.whh, 2 * H * H, H, H, H);

  for (let s = T - 1; s >= 0; s--) {
    if ((T - 1 - s) % STEPS_PER_POLL === 0) pollInterrupt();
    const t = timeAt(run, s);
    const zOff = t * B * G3;
    const sOff = t * B * H;
    let sumH = 0;
    for (let b = 0; b < B; b++) {
      const zr = zOff + b * G3;
      const sr = sOff + b * H;
      const outRow = t * B * ldOut + b * ldOut + outOff;
      for (let j = 0; j < H; j++) {
        const dh = (dOut ? dOut[outRow + j] : 0) + dhNext[b * H + j];
        const r = gates[zr + j];
        const z = gates[zr + H + j];
        const n = gates[zr + 2 * H + j];
        const hp = hPrev[sr + j];
        const dzn = dh * (1 - z) * (1 - n * n);
        const dzz = dh * (hp - n) * z * (1 - z);
        dZx[zr + H + j] = dzz;
        dZh[zr + H + j] = dzz;
        dZx[zr + 2 * H + j] = dzn;
        dhDirect[b * H + j] = dh * z;
        if (resetAfter) {
          const dzr = dzn * hn[sr + j] * r * (1 - r);
          dZx[zr + j] = dzr;
          dZh[zr + j] = dzr;
          dZh[zr + 2 * H + j] = dzn * r;
        } else {
          dZh[zr + 2 * H + j] = dzn;
        }
        sumH += dh * dh;
      }
    }
    if (normH) normH[t] = Math.sqrt(sumH);
    dhNext.set(dhDirect);
    if (dRh) {
      // d(r⊙h_{t−1}) = dz_n · W_hn, then split into dr and ∂L/∂h_{t−1}.
      dRh.fill(0);
      gemmABt(B, H, H, dZh, zOff + 2 * H, G3, whnT!, 0, H, dRh, 0, H);
      for (let b = 0; b < B; b++) {
        const zr = zOff + b * G3;
        for (let j = 0; j < H; j++) {
          const r = gates[zr + j];
          const d = dRh[b * H + j];
          const dzr = d * hPrev[sOff + b * H + j] * r * (1 - r);
          dZx[zr + j] = dzr;
          dZh[zr + j] = dzr;
          dhNext[b * H + j] += d * r;
        }
      }
    }
    gemmABt(B, H, direct, dZh, zOff, G3, whhT, 0, direct, dhNext, 0, H);
    if (opt.truncate > 0 && s > 0 && s % opt.truncate === 0) dhNext.fill(0);
  }
  if (opt.dh0) opt.dh0.set(dhNext);
  inputSideGrads(run, w, g, dZx, opt.dx);
  const rows = T * B;
  if (g.whh) {
    if (resetAfter) {
      gemmAtB(G3, H, rows, dZh, 0, G3, hPrev, 0, H, g.whh, 0, H);
    } else {
      gemmAtB(2 * H, H, rows, dZh, 0, G3, hPrev, 0, H, g.whh, 0, H);
      gemmAtB(H, H, rows, dZh, 2 * H, G3, rh!, 0, H, g.whh, 2 * H * H, H);
    }
  }
  if (g.bhh) addColumnSums(g.bhh, dZh, rows, G3);
}
