/**
 * The element-wise half of one vanilla RNN step over a batch; JS twin and equations:
 * core/recurrent/rnn-cell.ts.
 *   h_t = φ(z),  z = x_t·W_ihᵀ + b_ih + b_hh + h_{t−1}·W_hhᵀ,  φ = tanh or ReLU
 *   backward: dz = dh ⊙ (1 − h_t²) (tanh) or dh ⊙ [h_t > 0] (ReLU)
 */
import { ld, st, vtanh } from './activations';

@inline function rnnForward4(z: usize, pre: usize, h: usize, hNext: usize, relu: bool, full: bool): void {
  const a = ld(z, full);
  const ht = relu ? f32x4.pmax(f32x4.splat(0.0), a) : vtanh(a);
  if (pre) st(pre, a, full);
  st(z, ht, full);
  st(h, ht, full);
  if (hNext) st(hNext, ht, full);
}

/** z [B, H] becomes h_t; pre (when not 0) gets z; h and hNext (when not 0) get h_t. */
export function rnnForwardStep(B: i32, H: i32, z: usize, pre: usize, h: usize, hNext: usize, relu: bool): void {
  const n = B * H; // rows are contiguous: one pass over B·H values
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const o = <usize>k << 2;
    rnnForward4(z + o, pre ? pre + o : 0, h + o, hNext ? hNext + o : 0, relu, true);
  }
  for (; k < n; k++) {
    const o = <usize>k << 2;
    rnnForward4(z + o, pre ? pre + o : 0, h + o, hNext ? hNext + o : 0, relu, false);
  }
}

@inline function rnnBackward4(dOut: usize, dhNext: usize, h: usize, dZ: usize, relu: bool, full: bool, acc: usize): void {
  const dh = dOut ? f32x4.add(ld(dOut, full), ld(dhNext, full)) : ld(dhNext, full);
  const ht = ld(h, full);
  const dz = relu
    ? v128.and(dh, f32x4.gt(ht, f32x4.splat(0.0)))
    : f32x4.mul(dh, f32x4.sub(f32x4.splat(1.0), f32x4.mul(ht, ht)));
  st(dZ, dz, full);
  const lanes = full ? f32x4.splat(1.0) : f32x4.replace_lane(f32x4.splat(0.0), 0, 1.0);
  v128.store(acc, f32x4.add(v128.load(acc), f32x4.mul(lanes, f32x4.mul(dh, dh))));
}

const ACC: usize = memory.data(16, 16);

/** dZ [B, H] from dh = dOut (0: none) + dhNext; writes Σ dh² to sums[0]. */
export function rnnBackwardStep(B: i32, H: i32, dOut: usize, dhNext: usize, h: usize, dZ: usize, relu: bool, sums: usize): void {
  v128.store(ACC, f32x4.splat(0));
  const n = B * H;
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const o = <usize>k << 2;
    rnnBackward4(dOut ? dOut + o : 0, dhNext + o, h + o, dZ + o, relu, true, ACC);
  }
  for (; k < n; k++) {
    const o = <usize>k << 2;
    rnnBackward4(dOut ? dOut + o : 0, dhNext + o, h + o, dZ + o, relu, false, ACC);
  }
  const s = v128.load(ACC);
  store<f32>(sums, f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
}
