/**
 * The element-wise half of one GRU time step over a batch, forward and backward, in both
 * published forms; the matrix products are gemmPacked calls made by
 * core/recurrent/gru-cell-wasm.ts. JS twin (and the full equations): core/recurrent/gru-cell.ts.
 *
 * Rows are batch entries. zx [B, 3H] holds the input side x_t·W_ihᵀ + b_ih (blocks r, z, n),
 * zh [B, 3H] the recurrent side h_{t−1}·W_hhᵀ + b_hh — in the reset-before (Cho) form its n
 * block is W_hn·(r ⊙ h_{t−1}) + b_hn, computed between the two forward kernels.
 *
 *   r = σ(zx_r + zh_r)    z = σ(zx_z + zh_z)
 *   n = tanh(zx_n + r ⊙ zh_n)   (reset after)      n = tanh(zx_n + zh_n)   (reset before)
 *   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 */
import { ld, st, vsigmoid, vtanh } from './activations';

@inline function gruGates4(zx: usize, zh: usize, pre: usize, hPrev: usize, rh: usize, H: usize, full: bool): void {
  const H4 = H << 2;
  const ar = f32x4.add(ld(zx, full), ld(zh, full));
  const az = f32x4.add(ld(zx + H4, full), ld(zh + H4, full));
  const r = vsigmoid(ar);
  if (pre) {
    st(pre, ar, full); st(pre + H4, az, full);
  }
  st(zx, r, full);
  st(zx + H4, vsigmoid(az), full);
  if (rh) st(rh, f32x4.mul(r, ld(hPrev, full)), full);
}

/** r and z of one step: zx's r, z blocks become σ(…); rh (when not 0, Cho form) gets r ⊙ h_{t−1}. */
export function gruGatesStep(B: i32, H: i32, zx: usize, zh: usize, pre: usize, hPrev: usize, rh: usize): void {
  const h4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const zr = <usize>b * 3 * h4;
    const sr = <usize>b * h4;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      gruGates4(zx + zr + o, zh + zr + o, pre ? pre + zr + o : 0, hPrev + sr + o, rh ? rh + sr + o : 0, <usize>H, true);
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      gruGates4(zx + zr + o, zh + zr + o, pre ? pre + zr + o : 0, hPrev + sr + o, rh ? rh + sr + o : 0, <usize>H, false);
    }
  }
}

@inline function gruCandidate4(zx: usize, zh: usize, pre: usize, hPrev: usize, hn: usize, h: usize, hNext: usize, resetAfter: bool, H: usize, full: bool): void {
  const H4 = H << 2;
  const one = f32x4.splat(1.0);
  const r = ld(zx, full);
  const z = ld(zx + H4, full);
  const hnv = ld(zh + 2 * H4, full);
  const an = f32x4.add(ld(zx + 2 * H4, full), resetAfter ? f32x4.mul(r, hnv) : hnv);
  const n = vtanh(an);
  const hp = ld(hPrev, full);
  const ht = f32x4.add(f32x4.mul(f32x4.sub(one, z), n), f32x4.mul(z, hp));
  if (pre) st(pre + 2 * H4, an, full);
  st(zx + 2 * H4, n, full);
  st(hn, hnv, full);
  st(h, ht, full);
  if (hNext) st(hNext, ht, full);
}

/** n and h_t of one step (after gruGatesStep): zx's n block becomes n; hn gets zh_n; h (and hNext when not 0) get h_t. */
export function gruCandidateStep(B: i32, H: i32, zx: usize, zh: usize, pre: usize, hPrev: usize, hn: usize, h: usize, hNext: usize, resetAfter: bool): void {
  const h4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const zr = <usize>b * 3 * h4;
    const sr = <usize>b * h4;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      gruCandidate4(zx + zr + o, zh + zr + o, pre ? pre + zr + o : 0, hPrev + sr + o, hn + sr + o, h + sr + o, hNext ? hNext + sr + o : 0, resetAfter, <usize>H, true);
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      gruCandidate4(zx + zr + o, zh + zr + o, pre ? pre + zr + o : 0, hPrev + sr + o, hn + sr + o, h + sr + o, hNext ? hNext + sr + o : 0, resetAfter, <usize>H, false);
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
@inline function gruBackward4(dOut: usize, dhNext: usize, gates: usize, hPrev: usize, hn: usize, dZx: usize, dZh: usize, resetAfter: bool, H: usize, full: bool, acc: usize): void {
  const H4 = H << 2;
  const one = f32x4.splat(1.0);
  const dh = dOut ? f32x4.add(ld(dOut, full), ld(dhNext, full)) : ld(dhNext, full);
  const r = ld(gates, full);
  const z = ld(gates + H4, full);
  const n = ld(gates + 2 * H4, full);
  const hp = ld(hPrev, full);
  const dzn = f32x4.mul(f32x4.mul(dh, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
  const dzz = f32x4.mul(f32x4.mul(dh, f32x4.sub(hp, n)), f32x4.mul(z, f32x4.sub(one, z)));
  st(dZx + H4, dzz, full);
  st(dZh + H4, dzz, full);
  st(dZx + 2 * H4, dzn, full);
  st(dhNext, f32x4.mul(dh, z), full);
  if (resetAfter) {
    const dzr = f32x4.mul(f32x4.mul(dzn, ld(hn, full)), f32x4.mul(r, f32x4.sub(one, r)));
    st(dZx, dzr, full);
    st(dZh, dzr, full);
    st(dZh + 2 * H4, f32x4.mul(dzn, r), full);
  } else {
    st(dZh + 2 * H4, dzn, full);
  }
  const lanes = full ? f32x4.splat(1.0) : f32x4.replace_lane(f32x4.splat(0.0), 0, 1.0);
  v128.store(acc, f32x4.add(v128.load(acc), f32x4.mul(lanes, f32x4.mul(dh, dh))));
}

const ACC: usize = memory.data(16, 16);

/** One backward step for B rows; dhNext becomes dh ⊙ z. Writes Σ dh² to sums[0]. */
export function gruBackwardStep(B: i32, H: i32, dOut: usize, dhNext: usize, gates: usize, hPrev: usize, hn: usize, dZx: usize, dZh: usize, resetAfter: bool, sums: usize): void {
  const h4 = <usize>H << 2;
  v128.store(ACC, f32x4.splat(0));
  for (let b = 0; b < B; b++) {
    const zr = <usize>b * 3 * h4;
    const sr = <usize>b * h4;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      gruBackward4(dOut ? dOut + sr + o : 0, dhNext + sr + o, gates + zr + o, hPrev + sr + o, hn + sr + o, dZx + zr + o, dZh + zr + o, resetAfter, <usize>H, true, ACC);
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      gruBackward4(dOut ? dOut + sr + o : 0, dhNext + sr + o, gates + zr + o, hPrev + sr + o, hn + sr + o, dZx + zr + o, dZh + zr + o, resetAfter, <usize>H, false, ACC);
    }
  }
  const s = v128.load(ACC);
  store<f32>(sums, f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
}

@inline function gruReset4(dRh: usize, gates: usize, hPrev: usize, dZx: usize, dZh: usize, dhNext: usize, full: bool): void {
  const one = f32x4.splat(1.0);
  const d = ld(dRh, full);
  const r = ld(gates, full);
  const dzr = f32x4.mul(f32x4.mul(d, ld(hPrev, full)), f32x4.mul(r, f32x4.sub(one, r)));
  st(dZx, dzr, full);
  st(dZh, dzr, full);
  st(dhNext, f32x4.add(ld(dhNext, full), f32x4.mul(d, r)), full);
}

/**
 * Reset-before form, after the caller's gemm d(r ⊙ h_{t−1}) = dz_n · W_hn into dRh [B, H]:
 *   dz_r = dRh ⊙ h_{t−1} ⊙ r(1 − r)     ∂L/∂h_{t−1} += dRh ⊙ r
 */
export function gruResetBackwardStep(B: i32, H: i32, dRh: usize, gates: usize, hPrev: usize, dZx: usize, dZh: usize, dhNext: usize): void {
  const h4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const zr = <usize>b * 3 * h4;
    const sr = <usize>b * h4;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      gruReset4(dRh + sr + o, gates + zr + o, hPrev + sr + o, dZx + zr + o, dZh + zr + o, dhNext + sr + o, true);
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      gruReset4(dRh + sr + o, gates + zr + o, hPrev + sr + o, dZx + zr + o, dZh + zr + o, dhNext + sr + o, false);
    }
  }
}
