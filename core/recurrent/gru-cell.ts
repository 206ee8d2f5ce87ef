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
 *
 * Interventions (intervention.ts) hold units of r, z, n or h_t at fixed values right where they
 * are computed; the backward treats them as constants (their dz or dh is 0).
 */
import { allocate, dtypeOf, FloatArray } from '../dtype';
import { addColumnSums, gemmABt, gemmAtB, transpose } from '../kernels/gemm';
import { inputSideGrads, projectInputs } from './projection';
import type { BackwardOptions, LayerGrads, LayerWeights, SequenceRun } from './run';
import { isPinned, pinned, timeAt } from './run';
import { sigmoid } from './sigmoid';
import { pollInterrupt, STEPS_PER_POLL } from '../interrupt';

export function gruForward(run: SequenceRun, w: LayerWeights, resetAfter: boolean, h0: FloatArray): void {
  const { T, B, H, gates, pre, hPrev, out, outOff, ldOut } = run;
  // gates, pre: [T, B, 3H], blocks r, z, n — W_i x_t + b_i in, activations out (pre keeps pre-activations)
  // hPrev: [T, B, H], the state that fed step t;  out: [T, B, ldOut]
  // hn: [T, B, H], the recurrent term inside n's tanh;  rh: [T, B, H], r_t ⊙ h_{t−1} (Cho form only)
  const hn = run.hn!;
  const rh = run.rh;
  const G3 = 3 * H;
  const dtype = dtypeOf(gates);
  // One step's recurrent pre-activations, [B, 3H] blocks r, z, n: b_hh + h_{t−1}·W_hhᵀ
  // (the n block, Cho form: b_hn + (r_t ⊙ h_{t−1})·W_hnᵀ).
  const zh = allocate(dtype, B * G3);
  // Rows of W_hh that multiply h_{t−1} directly: all three reset-after, r and z reset-before.
  const direct = resetAfter ? G3 : 2 * H;
  // Units held fixed by interventions, per quantity (null: none).
  const [fr, fz, fn, fh] = ['r', 'z', 'n', 'h'].map((q) => run.fixed?.[q] ?? null);

  projectInputs(run, w, false);
  hPrev.set(h0, timeAt(run, 0) * B * H);

  for (let s = 0; s < T; s++) {
    if (s % STEPS_PER_POLL === 0) pollInterrupt();
    const t = timeAt(run, s);
    const stepGates = t * B * G3; // gates[t]: [B, 3H]
    const stepState = t * B * H; // hPrev[t], hn[t], rh[t]: [B, H]
    // zh = b_hh + h_{t−1}·W_hhᵀ, over the `direct` rows
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < direct; k++) zh[b * G3 + k] = w.bhh ? w.bhh[k] : 0;
    }
    gemmABt(B, direct, H, hPrev, stepState, H, w.whh, 0, H, zh, 0, G3);
    // r and z first: the reset-before form needs all of r_t before its n matmul.
    for (let b = 0; b < B; b++) {
      const rzOff = stepGates + b * G3; // the r block, then the z block: 2H values
      const rowZh = b * G3;
      for (let j = 0; j < 2 * H; j++) {
        const z = gates[rzOff + j] + zh[rowZh + j];
        if (pre) pre[rzOff + j] = z;
        // r_t, z_t = σ(W_i x_t + b_i + W_h h_{t−1} + b_h)
        gates[rzOff + j] = j < H ? pinned(fr, j, sigmoid(z)) : pinned(fz, j - H, sigmoid(z));
      }
    }
    if (!resetAfter && rh) {
      // Cho: zh_n = b_hn + (r_t ⊙ h_{t−1})·W_hnᵀ
      for (let b = 0; b < B; b++) {
        const rOff = stepGates + b * G3;
        const rowState = stepState + b * H;
        const nZh = b * G3 + 2 * H;
        for (let j = 0; j < H; j++) rh[rowState + j] = gates[rOff + j] * hPrev[rowState + j];
        for (let j = 0; j < H; j++) zh[nZh + j] = w.bhh ? w.bhh[2 * H + j] : 0;
      }
      gemmABt(B, H, H, rh, stepState, H, w.whh, 2 * H * H, H, zh, 2 * H, G3);
    }
    // h_t goes where the next step processed reads it, or to the final state.
    const last = s + 1 === T;
    const hNext = last ? run.hLast : hPrev;
    const stepNext = last ? 0 : timeAt(run, s + 1) * B * H;
    for (let b = 0; b < B; b++) {
      const rOff = stepGates + b * G3,
        zOff = rOff + H,
        nOff = rOff + 2 * H;
      const nZh = b * G3 + 2 * H;
      const rowState = stepState + b * H;
      const rowNext = stepNext + b * H;
      const rowOut = (t * B + b) * ldOut + outOff;
      for (let j = 0; j < H; j++) {
        const r = gates[rOff + j];
        const z = gates[zOff + j];
        const hnv = zh[nZh + j];
        // n_t = tanh(W_in x_t + b_in + r_t ⊙ hn)  (reset after)  or  tanh(W_in x_t + b_in + hn)  (Cho)
        const zn = gates[nOff + j] + (resetAfter ? r * hnv : hnv);
        const n = pinned(fn, j, Math.tanh(zn));
        const hp = hPrev[rowState + j];
        const h = pinned(fh, j, (1 - z) * n + z * hp); // h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
        if (pre) pre[nOff + j] = zn;
        gates[nOff + j] = n;
        hn[rowState + j] = hnv;
        out[rowOut + j] = h;
        hNext[rowNext + j] = h;
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
  // As in the forward: gates [T, B, 3H] (r, z, n activations), hPrev, hn, rh [T, B, H].
  const hn = run.hn!;
  const rh = run.rh;
  const G3 = 3 * H;
  const dtype = dtypeOf(gates);
  const dOut = opt.dOut; // [T, B, ldOut]
  // ∂L/∂ of the input-side pre-activations (W_i x + b_i) and of the recurrent-side ones (zh): [T, B, 3H] each.
  const dZx = allocate(dtype, T * B * G3);
  const dZh = allocate(dtype, T * B * G3);
  const dhNext = allocate(dtype, B * H); // ∂L/∂h_t from step t+1: [B, H]
  const dhDirect = allocate(dtype, B * H); // the part of ∂L/∂h_{t−1} not through W_hh: dh ⊙ z
  const dRh = resetAfter ? null : allocate(dtype, B * H); // Cho: ∂L/∂(r_t ⊙ h_{t−1}): [B, H]
  if (opt.dhLast) dhNext.set(opt.dhLast);
  const normH = opt.norms?.h ?? null;
  // Transposed recurrent weights, so the products with W_hh run as contiguous dot products:
  // the rows that multiply h_{t−1} directly (all three reset-after, r and z reset-before) and W_hn.
  const direct = resetAfter ? G3 : 2 * H;
  const whhT = transpose(w.whh, 0, H, direct, H);
  const whnT = resetAfter ? null : transpose(w.whh, 2 * H * H, H, H, H);
  // Fixed units are constants: no gradient flows through them.
  const [fr, fz, fn, fh] = ['r', 'z', 'n', 'h'].map((q) => run.fixed?.[q] ?? null);

  for (let s = T - 1; s >= 0; s--) {
    if ((T - 1 - s) % STEPS_PER_POLL === 0) pollInterrupt();
    const t = timeAt(run, s);
    const stepGates = t * B * G3; // gates[t], dZx[t], dZh[t]: [B, 3H]
    const stepState = t * B * H; // hPrev[t], hn[t]: [B, H]
    let sumH = 0;
    for (let b = 0; b < B; b++) {
      const rOff = stepGates + b * G3,
        zOff = rOff + H,
        nOff = rOff + 2 * H;
      const rowState = stepState + b * H;
      const rowCarry = b * H; // dhNext, dhDirect
      const rowOut = (t * B + b) * ldOut + outOff;
      for (let j = 0; j < H; j++) {
        const dhIn = (dOut ? dOut[rowOut + j] : 0) + dhNext[rowCarry + j];
        const dh = isPinned(fh, j) ? 0 : dhIn; // a fixed h_t passes nothing back
        const r = gates[rOff + j];
        const z = gates[zOff + j];
        const n = gates[nOff + j];
        const hp = hPrev[rowState + j];
        const dzn = isPinned(fn, j) ? 0 : dh * (1 - z) * (1 - n * n); // dz_n = dh ⊙ (1 − z) ⊙ (1 − n²)
        const dzz = isPinned(fz, j) ? 0 : dh * (hp - n) * z * (1 - z); // dz_z = dh ⊙ (h_{t−1} − n) ⊙ z(1 − z)
        dZx[zOff + j] = dzz;
        dZh[zOff + j] = dzz;
        dZx[nOff + j] = dzn;
        dhDirect[rowCarry + j] = dh * z;
        if (resetAfter) {
          // dr = dz_n ⊙ hn;  ∂L/∂(W_hn h + b_hn) = dz_n ⊙ r
          const dzr = isPinned(fr, j) ? 0 : dzn * hn[rowState + j] * r * (1 - r);
          dZx[rOff + j] = dzr;
          dZh[rOff + j] = dzr;
          dZh[nOff + j] = dzn * r;
        } else {
          dZh[nOff + j] = dzn;
        }
        sumH += dhIn * dhIn;
      }
    }
    if (normH) normH[t] = Math.sqrt(sumH);
    dhNext.set(dhDirect);
    if (dRh) {
      // d(r⊙h_{t−1}) = dz_n · W_hn, then split into dr and ∂L/∂h_{t−1}.
      dRh.fill(0);
      gemmABt(B, H, H, dZh, stepGates + 2 * H, G3, whnT!, 0, H, dRh, 0, H);
      for (let b = 0; b < B; b++) {
        const rOff = stepGates + b * G3;
        const rowState = stepState + b * H;
        const rowCarry = b * H;
        for (let j = 0; j < H; j++) {
          const r = gates[rOff + j];
          const d = dRh[rowCarry + j];
          const dzr = isPinned(fr, j) ? 0 : d * hPrev[rowState + j] * r * (1 - r); // dr = d(r⊙h) ⊙ h_{t−1}
          dZx[rOff + j] = dzr;
          dZh[rOff + j] = dzr;
          dhNext[rowCarry + j] += d * r; // ∂L/∂h_{t−1} += d(r⊙h) ⊙ r
        }
      }
    }
    // ∂L/∂h_{t−1} += dZh_t · W_hh, over the `direct` rows
    gemmABt(B, H, direct, dZh, stepGates, G3, whhT, 0, direct, dhNext, 0, H);
    if (opt.truncate > 0 && s > 0 && s % opt.truncate === 0) dhNext.fill(0);
  }
  if (opt.dh0) opt.dh0.set(dhNext);
  inputSideGrads(run, w, g, dZx, opt.dx);
  // ∂L/∂W_hh += Σ_τ dZh[τ]ᵀ · h_{τ−1} (Cho: the n rows against r ⊙ h_{τ−1});  ∂L/∂b_hh += Σ_τ,b dZh[τ]
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
