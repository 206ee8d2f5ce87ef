/**
 * The element-wise half of one LSTM time step over a batch, forward and backward; the matrix
 * products around it are gemmPacked calls made by core/recurrent/lstm-cell-wasm.ts.
 * JS twin (and the equations, with the variants): core/recurrent/lstm-cell.ts. This kernel
 * covers the standard LSTM and peepholes (a zero peephole vector gives the standard cell
 * exactly, since z + 0·c = z).
 *
 * Rows are batch entries. z [B, 4H] holds blocks i, f, g, o; every other row is [B, H]; the
 * peephole vector p is [3H] (i, f, o).
 *
 * Forward, with z = x_t·W_ihᵀ + b_ih + b_hh + h_{t−1}·W_hhᵀ already in z:
 *   i = σ(z_i + p_i ⊙ c_{t−1})   f = σ(z_f + p_f ⊙ c_{t−1})   g = tanh(z_g)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g     o = σ(z_o + p_o ⊙ c_t)       h_t = o ⊙ tanh(c_t)
 */
import { ld, st, vsigmoid, vtanh } from './activations';

@inline function lstmForward4(z: usize, pre: usize, cPrev: usize, p: usize, c: usize, h: usize, cNext: usize, hNext: usize, H: usize, full: bool): void {
  const H4 = H << 2;
  const cp = ld(cPrev, full);
  const zi = f32x4.add(ld(z, full), f32x4.mul(ld(p, full), cp));
  const zf = f32x4.add(ld(z + H4, full), f32x4.mul(ld(p + H4, full), cp));
  const zg = ld(z + 2 * H4, full);
  const i = vsigmoid(zi);
  const f = vsigmoid(zf);
  const g = vtanh(zg);
  const cn = f32x4.add(f32x4.mul(f, cp), f32x4.mul(i, g));
  const zo = f32x4.add(ld(z + 3 * H4, full), f32x4.mul(ld(p + 2 * H4, full), cn));
  const o = vsigmoid(zo);
  const hn = f32x4.mul(o, vtanh(cn));
  if (pre) {
    st(pre, zi, full); st(pre + H4, zf, full); st(pre + 2 * H4, zg, full); st(pre + 3 * H4, zo, full);
  }
  st(z, i, full); st(z + H4, f, full); st(z + 2 * H4, g, full); st(z + 3 * H4, o, full);
  st(c, cn, full);
  st(h, hn, full);
  if (cNext) st(cNext, cn, full);
  if (hNext) st(hNext, hn, full);
}

/**
 * One forward step for B rows. z becomes the activations (i, f, g, o); pre (when not 0)
 * receives the pre-activations; c and h receive c_t and h_t, and cNext / hNext (when not 0)
 * a second copy, the next step's c_{t−1} and h_{t−1}.
 */
export function lstmForwardStep(B: i32, H: i32, z: usize, pre: usize, cPrev: usize, p: usize, c: usize, h: usize, cNext: usize, hNext: usize): void {
  const h4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const zr = z + <usize>b * 4 * h4;
    const pr = pre ? pre + <usize>b * 4 * h4 : 0;
    const sr = <usize>b * h4;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      lstmForward4(zr + o, pr ? pr + o : 0, cPrev + sr + o, p + o, c + sr + o, h + sr + o, cNext ? cNext + sr + o : 0, hNext ? hNext + sr + o : 0, <usize>H, true);
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      lstmForward4(zr + o, pr ? pr + o : 0, cPrev + sr + o, p + o, c + sr + o, h + sr + o, cNext ? cNext + sr + o : 0, hNext ? hNext + sr + o : 0, <usize>H, false);
    }
  }
}

/**
 * Backward of one step (dh = ∂L/∂h_t from the output plus from step t+1; dc likewise):
 *   do = dh ⊙ tanh(c_t)            dz_o = do ⊙ o(1 − o)
 *   dc += dh ⊙ o ⊙ (1 − tanh²(c_t)) + dz_o ⊙ p_o
 *   dz_i = dc ⊙ g ⊙ i(1 − i)   dz_f = dc ⊙ c_{t−1} ⊙ f(1 − f)   dz_g = dc ⊙ i ⊙ (1 − g²)
 *   ∂L/∂c_{t−1} = dc ⊙ f + dz_i ⊙ p_i + dz_f ⊙ p_f
 *   ∂L/∂p_i += dz_i ⊙ c_{t−1}   ∂L/∂p_f += dz_f ⊙ c_{t−1}   ∂L/∂p_o += dz_o ⊙ c_t   (summed over rows)
 * ∂L/∂h_{t−1} = dZ_t · W_hh is the caller's gemm.
 */
@inline function lstmBackward4(dOut: usize, dhNext: usize, dcNext: usize, gates: usize, c: usize, cPrev: usize, p: usize, dZ: usize, dp: usize, H: usize, full: bool, acc: usize): void {
  const H4 = H << 2;
  const one = f32x4.splat(1.0);
  const dh = dOut ? f32x4.add(ld(dOut, full), ld(dhNext, full)) : ld(dhNext, full);
  const i = ld(gates, full);
  const f = ld(gates + H4, full);
  const g = ld(gates + 2 * H4, full);
  const o = ld(gates + 3 * H4, full);
  const ct = ld(c, full);
  const cp = ld(cPrev, full);
  const ac = vtanh(ct);
  const dzo = f32x4.mul(f32x4.mul(dh, ac), f32x4.mul(o, f32x4.sub(one, o)));
  let dc = f32x4.add(ld(dcNext, full), f32x4.mul(f32x4.mul(dh, o), f32x4.sub(one, f32x4.mul(ac, ac))));
  dc = f32x4.add(dc, f32x4.mul(dzo, ld(p + 2 * H4, full)));
  const dzi = f32x4.mul(f32x4.mul(dc, g), f32x4.mul(i, f32x4.sub(one, i)));
  const dzf = f32x4.mul(f32x4.mul(dc, cp), f32x4.mul(f, f32x4.sub(one, f)));
  const dzg = f32x4.mul(f32x4.mul(dc, i), f32x4.sub(one, f32x4.mul(g, g)));
  let dcp = f32x4.mul(dc, f);
  dcp = f32x4.add(dcp, f32x4.mul(dzi, ld(p, full)));
  dcp = f32x4.add(dcp, f32x4.mul(dzf, ld(p + H4, full)));
  st(dZ, dzi, full); st(dZ + H4, dzf, full); st(dZ + 2 * H4, dzg, full); st(dZ + 3 * H4, dzo, full);
  st(dcNext, dcp, full);
  st(dp, f32x4.add(ld(dp, full), f32x4.mul(dzi, cp)), full);
  st(dp + H4, f32x4.add(ld(dp + H4, full), f32x4.mul(dzf, cp)), full);
  st(dp + 2 * H4, f32x4.add(ld(dp + 2 * H4, full), f32x4.mul(dzo, ct)), full);
  // Σ dh², Σ dc² for the gradient-norm chart.
  const lanes = full ? f32x4.splat(1.0) : f32x4.replace_lane(f32x4.splat(0.0), 0, 1.0);
  v128.store(acc, f32x4.add(v128.load(acc), f32x4.mul(lanes, f32x4.mul(dh, dh))));
  v128.store(acc, f32x4.add(v128.load(acc, 16), f32x4.mul(lanes, f32x4.mul(dc, dc))), 16);
}

/** 2 × 4 lanes of Σ dh², Σ dc². */
const ACC: usize = memory.data(32, 16);

/**
 * One backward step for B rows. dOut (0 when the output has no gradient) is ∂L/∂h_t from above,
 * [B, H] contiguous; dhNext holds ∂L/∂h_t from step t+1; dcNext holds ∂L/∂c_t and becomes
 * ∂L/∂c_{t−1}. Writes dZ [B, 4H], adds into dp [3H]. Writes Σ dh² and Σ dc² to sums[0], sums[1].
 */
export function lstmBackwardStep(B: i32, H: i32, dOut: usize, dhNext: usize, dcNext: usize, gates: usize, c: usize, cPrev: usize, p: usize, dZ: usize, dp: usize, sums: usize): void {
  const h4 = <usize>H << 2;
  v128.store(ACC, f32x4.splat(0)); v128.store(ACC, f32x4.splat(0), 16);
  for (let b = 0; b < B; b++) {
    const zr = <usize>b * 4 * h4;
    const sr = <usize>b * h4;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      lstmBackward4(dOut ? dOut + sr + o : 0, dhNext + sr + o, dcNext + sr + o, gates + zr + o, c + sr + o, cPrev + sr + o, p + o, dZ + zr + o, dp + o, <usize>H, true, ACC);
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      lstmBackward4(dOut ? dOut + sr + o : 0, dhNext + sr + o, dcNext + sr + o, gates + zr + o, c + sr + o, cPrev + sr + o, p + o, dZ + zr + o, dp + o, <usize>H, false, ACC);
    }
  }
  const sh = v128.load(ACC);
  const sc = v128.load(ACC, 16);
  store<f32>(sums, f32x4.extract_lane(sh, 0) + f32x4.extract_lane(sh, 1) + f32x4.extract_lane(sh, 2) + f32x4.extract_lane(sh, 3));
  store<f32>(sums, f32x4.extract_lane(sc, 0) + f32x4.extract_lane(sc, 1) + f32x4.extract_lane(sc, 2) + f32x4.extract_lane(sc, 3), 4);
}
