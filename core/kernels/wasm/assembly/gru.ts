/**
 * The GRU's time loop over a slice of the batch, forward and backward, in both published forms:
 * per step the products with the recurrent weights and the fused element-wise kernels. The
 * input projection and the weight gradients are the host's (core/recurrent/gru-cell-wasm.ts).
 * JS twin (and the full equations): core/recurrent/gru-cell.ts. Slices as in lstm.ts: rows
 * b0 … b0+Bs of every step of [T, B, ·] buffers.
 *
 * Rows are batch entries. zx [B, 3H] holds the input side x_t·W_ihᵀ + b_ih (blocks r, z, n),
 * zh [B, 3H] the recurrent side h_{t−1}·W_hhᵀ + b_hh — in the reset-before (Cho) form its n
 * block is W_hn·(r ⊙ h_{t−1}) + b_hn, computed between the two forward kernels.
 *
 *   r = σ(zx_r + zh_r)    z = σ(zx_z + zh_z)
 *   n = tanh(zx_n + r ⊙ zh_n)   (reset after)      n = tanh(zx_n + zh_n)   (reset before)
 *   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 *
 * Interventions (fixed.ts): `fix` (when not 0) holds a lane mask and the held values for each of
 * r, z, n, h in turn (8 [H] arrays); held units are constants for the backward.
 */
import { ld, st, vsigmoid, vtanh } from './activations';
import { pin, stop } from './fixed';
import { gemmPacked, packA } from './gemm';

@inline function gruGates4(
  zx: usize,
  zh: usize,
  pre: usize,
  act: usize,
  plane: usize,
  hPrev: usize,
  rh: usize,
  fx: usize,
  H: usize,
  full: bool,
): void {
  const H4 = H << 2;
  const ar = f32x4.add(ld(zx, full), ld(zh, full));
  const az = f32x4.add(ld(zx + H4, full), ld(zh + H4, full));
  const r = pin(vsigmoid(ar), fx, 0, H4, full);
  const z = pin(vsigmoid(az), fx, 1, H4, full);
  // A trace's copies, one gate block after another (plane bytes apart), so each block leaves in one piece.
  if (pre) {
    st(pre, ar, full); st(pre + plane, az, full);
    st(act, r, full); st(act + plane, z, full);
  }
  st(zx, r, full);
  st(zx + H4, z, full);
  if (rh) st(rh, f32x4.mul(r, ld(hPrev, full)), full);
}

/**
 * r and z of one step: zx's r, z blocks become σ(…); rh (when not 0, Cho form) gets r ⊙ h_{t−1};
 * for a trace (pre not 0) pre and act get [H] rows of the gate blocks, plane bytes apart.
 */
function gruGatesStep(
  B: i32,
  H: i32,
  zx: usize,
  zh: usize,
  pre: usize,
  act: usize,
  plane: usize,
  hPrev: usize,
  rh: usize,
  fix: usize,
): void {
  const h4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const zr = <usize>b * 3 * h4;
    const sr = <usize>b * h4;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      gruGates4(
        zx + zr + o,
        zh + zr + o,
        pre ? pre + sr + o : 0,
        pre ? act + sr + o : 0,
        plane,
        hPrev + sr + o,
        rh ? rh + sr + o : 0,
        fix ? fix + o : 0,
        <usize>H,
        true,
      );
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      gruGates4(
        zx + zr + o,
        zh + zr + o,
        pre ? pre + sr + o : 0,
        pre ? act + sr + o : 0,
        plane,
        hPrev + sr + o,
        rh ? rh + sr + o : 0,
        fix ? fix + o : 0,
        <usize>H,
        false,
      );
    }
  }
}

@inline function gruCandidate4(
  zx: usize,
  zh: usize,
  pre: usize,
  act: usize,
  plane: usize,
  hPrev: usize,
  hn: usize,
  h: usize,
  hNext: usize,
  resetAfter: bool,
  fx: usize,
  H: usize,
  full: bool,
): void {
  const H4 = H << 2;
  const one = f32x4.splat(1.0);
  const r = ld(zx, full);
  const z = ld(zx + H4, full);
  const hnv = ld(zh + 2 * H4, full);
  const an = f32x4.add(ld(zx + 2 * H4, full), resetAfter ? f32x4.mul(r, hnv) : hnv);
  const n = pin(vtanh(an), fx, 2, H4, full);
  const hp = ld(hPrev, full);
  const ht = pin(f32x4.add(f32x4.mul(f32x4.sub(one, z), n), f32x4.mul(z, hp)), fx, 3, H4, full);
  if (pre) {
    st(pre + 2 * plane, an, full);
    st(act + 2 * plane, n, full);
  }
  st(zx + 2 * H4, n, full);
  st(hn, hnv, full);
  st(h, ht, full);
  if (hNext) st(hNext, ht, full);
}

/**
 * n and h_t of one step (after gruGatesStep): zx's n block becomes n; hn gets zh_n; h (and hNext
 * when not 0) get h_t; a trace's pre and act (as in gruGatesStep) the n block.
 */
function gruCandidateStep(
  B: i32,
  H: i32,
  zx: usize,
  zh: usize,
  pre: usize,
  act: usize,
  plane: usize,
  hPrev: usize,
  hn: usize,
  h: usize,
  hNext: usize,
  resetAfter: bool,
  fix: usize,
): void {
  const h4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const zr = <usize>b * 3 * h4;
    const sr = <usize>b * h4;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      gruCandidate4(
        zx + zr + o,
        zh + zr + o,
        pre ? pre + sr + o : 0,
        pre ? act + sr + o : 0,
        plane,
        hPrev + sr + o,
        hn + sr + o,
        h + sr + o,
        hNext ? hNext + sr + o : 0,
        resetAfter,
        fix ? fix + o : 0,
        <usize>H,
        true,
      );
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      gruCandidate4(
        zx + zr + o,
        zh + zr + o,
        pre ? pre + sr + o : 0,
        pre ? act + sr + o : 0,
        plane,
        hPrev + sr + o,
        hn + sr + o,
        h + sr + o,
        hNext ? hNext + sr + o : 0,
        resetAfter,
        fix ? fix + o : 0,
        <usize>H,
        false,
      );
    }
  }
}

/**
 * Backward of one step, with dh = ∂L/∂h_t (from above plus from step t+1) and hn = zh_n:
 *   dz_n = dh ⊙ (1 − z) ⊙ (1 − n²)     dz_z = dh ⊙ (h_{t−1} − n) ⊙ z(1 − z)
 *   reset after:  dz_r = dz_n ⊙ hn ⊙ r(1 − r);  ∂L/∂zh_n = dz_n ⊙ r
 *   reset before: ∂L/∂zh_n = dz_n; dz_r comes later from gruResetBackwardStep
 *   ∂L/∂h_{t−1} = dh ⊙ z + (the caller's gemms)
 */
@inline function gruBackward4(
  dOut: usize,
  dhNext: usize,
  gates: usize,
  hPrev: usize,
  hn: usize,
  dZx: usize,
  dZh: usize,
  resetAfter: bool,
  dhOut: usize,
  fx: usize,
  H: usize,
  full: bool,
): void {
  const H4 = H << 2;
  const one = f32x4.splat(1.0);
  const dhIn = dOut ? f32x4.add(ld(dOut, full), ld(dhNext, full)) : ld(dhNext, full);
  const dh = stop(dhIn, fx, 3, H4, full); // a held h_t passes nothing back
  const r = ld(gates, full);
  const z = ld(gates + H4, full);
  const n = ld(gates + 2 * H4, full);
  const hp = ld(hPrev, full);
  const dzn = stop(f32x4.mul(f32x4.mul(dh, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n))), fx, 2, H4, full);
  const dzz = stop(f32x4.mul(f32x4.mul(dh, f32x4.sub(hp, n)), f32x4.mul(z, f32x4.sub(one, z))), fx, 1, H4, full);
  st(dZx + H4, dzz, full);
  st(dZh + H4, dzz, full);
  st(dZx + 2 * H4, dzn, full);
  st(dhNext, f32x4.mul(dh, z), full);
  if (resetAfter) {
    const dzr = stop(f32x4.mul(f32x4.mul(dzn, ld(hn, full)), f32x4.mul(r, f32x4.sub(one, r))), fx, 0, H4, full);
    st(dZx, dzr, full);
    st(dZh, dzr, full);
    st(dZh + 2 * H4, f32x4.mul(dzn, r), full);
  } else {
    st(dZh + 2 * H4, dzn, full);
  }
  if (dhOut) st(dhOut, dhIn, full); // the norms measure ∂L/∂h_t as it arrives
}

/** One backward step for B rows; dhNext becomes dh ⊙ z; dhOut (when not 0) gets the whole dh. */
function gruBackwardStep(
  B: i32,
  H: i32,
  dOut: usize,
  dhNext: usize,
  gates: usize,
  hPrev: usize,
  hn: usize,
  dZx: usize,
  dZh: usize,
  resetAfter: bool,
  dhOut: usize,
  fix: usize,
): void {
  const h4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const zr = <usize>b * 3 * h4;
    const sr = <usize>b * h4;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      gruBackward4(
        dOut ? dOut + sr + o : 0,
        dhNext + sr + o,
        gates + zr + o,
        hPrev + sr + o,
        hn + sr + o,
        dZx + zr + o,
        dZh + zr + o,
        resetAfter,
        dhOut ? dhOut + sr + o : 0,
        fix ? fix + o : 0,
        <usize>H,
        true,
      );
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      gruBackward4(
        dOut ? dOut + sr + o : 0,
        dhNext + sr + o,
        gates + zr + o,
        hPrev + sr + o,
        hn + sr + o,
        dZx + zr + o,
        dZh + zr + o,
        resetAfter,
        dhOut ? dhOut + sr + o : 0,
        fix ? fix + o : 0,
        <usize>H,
        false,
      );
    }
  }
}

@inline function gruReset4(
  dRh: usize,
  gates: usize,
  hPrev: usize,
  dZx: usize,
  dZh: usize,
  dhNext: usize,
  fx: usize,
  H: usize,
  full: bool,
): void {
  const one = f32x4.splat(1.0);
  const d = ld(dRh, full);
  const r = ld(gates, full);
  const dzr = stop(f32x4.mul(f32x4.mul(d, ld(hPrev, full)), f32x4.mul(r, f32x4.sub(one, r))), fx, 0, H << 2, full);
  st(dZx, dzr, full);
  st(dZh, dzr, full);
  st(dhNext, f32x4.add(ld(dhNext, full), f32x4.mul(d, r)), full);
}

/**
 * Reset-before form, after the caller's gemm d(r ⊙ h_{t−1}) = dz_n · W_hn into dRh [B, H]:
 *   dz_r = dRh ⊙ h_{t−1} ⊙ r(1 − r)     ∂L/∂h_{t−1} += dRh ⊙ r
 */
function gruResetBackwardStep(
  B: i32,
  H: i32,
  dRh: usize,
  gates: usize,
  hPrev: usize,
  dZx: usize,
  dZh: usize,
  dhNext: usize,
  fix: usize,
): void {
  const h4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const zr = <usize>b * 3 * h4;
    const sr = <usize>b * h4;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      gruReset4(dRh + sr + o, gates + zr + o, hPrev + sr + o, dZx + zr + o, dZh + zr + o, dhNext + sr + o, fix ? fix + o : 0, <usize>H, true);
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      gruReset4(dRh + sr + o, gates + zr + o, hPrev + sr + o, dZx + zr + o, dZh + zr + o, dhNext + sr + o, fix ? fix + o : 0, <usize>H, false);
    }
  }
}

@inline function rowAt(t: i32, B: i32, b0: i32, width: i32): usize {
  return (<usize>(t * B + b0) * <usize>width) << 2;
}

/** zh[r, :] = b_hh for the Bs rows of this step (a zero vector when there are no biases). */
@inline function broadcastBias(zh: usize, Bs: i32, width: i32, bhh: usize): void {
  const w = <usize>width << 2;
  for (let r = 0; r < Bs; r++) memory.copy(zh + <usize>r * w, bhh, w);
}

/**
 * Forward over the sequence for rows b0 … b0+Bs. zx [T, B, 3H] holds x·W_ihᵀ + b_ih and becomes
 * the activations r, z, n; hPrev must hold h0 at the first step processed and receives every
 * later h_{t−1}; hn [T, B, H] receives the recurrent term of n; rh [T, B, H] (reset-before form
 * only, else 0) receives r ⊙ h_{t−1}; h receives h_t; for a trace (pre not 0) pre and act
 * [3, T, B, H] receive the pre-activations and activations, gate block by gate block.
 * whhP packs the first `direct` rows of W_hh transposed (3H reset-after, 2H reset-before), whnP
 * (reset-before) W_hnᵀ. zh ([Bs, 3H]), ap (⌈Bs/4⌉·4·H) and edge (32) are this slice's scratch;
 * fix (or 0) the interventions' block.
 */
export function gruForwardSeq(
  T: i32,
  s0: i32,
  s1: i32,
  B: i32,
  b0: i32,
  Bs: i32,
  H: i32,
  reverse: bool,
  resetAfter: bool,
  zx: usize,
  pre: usize,
  act: usize,
  hPrev: usize,
  hn: usize,
  rh: usize,
  h: usize,
  bhh: usize,
  whhP: usize,
  whnP: usize,
  zh: usize,
  ap: usize,
  edge: usize,
  fix: usize,
): void {
  const G3 = 3 * H;
  const direct = resetAfter ? G3 : 2 * H;
  const plane = rowAt(T, B, 0, H); // one gate block of a trace: [T, B, H]
  for (let s = s0; s < s1; s++) {
    const t = reverse ? T - 1 - s : s;
    const zt = rowAt(t, B, b0, G3);
    const st = rowAt(t, B, b0, H);
    // Zh = b_hh + h_{t−1}·W_hhᵀ (rows r, z; and n in the reset-after form)
    broadcastBias(zh, Bs, G3, bhh);
    packA(Bs, H, hPrev + st, H, 1, ap);
    gemmPacked(Bs, direct, H, ap, whhP, zh, G3, edge);
    const pt = pre ? pre + st : 0;
    const at = pre ? act + st : 0;
    gruGatesStep(Bs, H, zx + zt, zh, pt, at, plane, hPrev + st, resetAfter ? 0 : rh + st, fix);
    if (!resetAfter) {
      // Zh_n = b_hn + (r ⊙ h_{t−1})·W_hnᵀ
      packA(Bs, H, rh + st, H, 1, ap);
      gemmPacked(Bs, H, H, ap, whnP, zh + (<usize>(2 * H) << 2), G3, edge);
    }
    const last = s + 1 == T;
    const nx = last ? 0 : rowAt(reverse ? T - 2 - s : s + 1, B, b0, H);
    gruCandidateStep(
      Bs,
      H,
      zx + zt,
      zh,
      pt,
      at,
      plane,
      hPrev + st,
      hn + st,
      h + st,
      last ? 0 : hPrev + nx,
      resetAfter,
      fix,
    );
  }
}

/**
 * Backward over the sequence for rows b0 … b0+Bs. dh [Bs, H] holds ∂L/∂h_T and ends as ∂L/∂h0;
 * dOut [T, B, H] (or 0) is ∂L/∂h_t from above; dZx, dZh [T, B, 3H] receive the gradients of the
 * input-side and recurrent-side pre-activations. whhBP packs the first `direct` rows of W_hh,
 * whnBP (reset-before) W_hn; dRh ([Bs, H], reset-before), ap (⌈Bs/4⌉·4·3H) and edge (32) are
 * scratch; dhSeq [T, B, H] (or 0) receives the whole ∂L/∂h_t; fix (or 0) is the forward's
 * interventions' block.
 */
export function gruBackwardSeq(
  T: i32,
  s0: i32,
  s1: i32,
  B: i32,
  b0: i32,
  Bs: i32,
  H: i32,
  reverse: bool,
  resetAfter: bool,
  truncate: i32,
  dOut: usize,
  dh: usize,
  gates: usize,
  hPrev: usize,
  hn: usize,
  dZx: usize,
  dZh: usize,
  whhBP: usize,
  whnBP: usize,
  dRh: usize,
  dhSeq: usize,
  ap: usize,
  edge: usize,
  fix: usize,
): void {
  const G3 = 3 * H;
  const direct = resetAfter ? G3 : 2 * H;
  const bytes = <usize>(Bs * H) << 2;
  for (let s = s1 - 1; s >= s0; s--) {
    const t = reverse ? T - 1 - s : s;
    const zt = rowAt(t, B, b0, G3);
    const st = rowAt(t, B, b0, H);
    // dh becomes its direct part dh ⊙ z; the products below add the rest of ∂L/∂h_{t−1}.
    gruBackwardStep(
      Bs,
      H,
      dOut ? dOut + st : 0,
      dh,
      gates + zt,
      hPrev + st,
      hn + st,
      dZx + zt,
      dZh + zt,
      resetAfter,
      dhSeq ? dhSeq + st : 0,
      fix,
    );
    if (!resetAfter) {
      // d(r ⊙ h_{t−1}) = dz_n · W_hn, then dz_r and its share of ∂L/∂h_{t−1}.
      memory.fill(dRh, 0, bytes);
      packA(Bs, H, dZh + zt + (<usize>(2 * H) << 2), G3, 1, ap);
      gemmPacked(Bs, H, H, ap, whnBP, dRh, H, edge);
      gruResetBackwardStep(Bs, H, dRh, gates + zt, hPrev + st, dZx + zt, dZh + zt, dh, fix);
    }
    packA(Bs, direct, dZh + zt, G3, 1, ap);
    gemmPacked(Bs, H, direct, ap, whhBP, dh, H, edge);
    if (truncate > 0 && s > 0 && s % truncate == 0) memory.fill(dh, 0, bytes);
  }
}
