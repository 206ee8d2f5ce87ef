/**
 * The vanilla RNN's time loop over a slice of the batch (slices as in lstm.ts), forward and
 * backward; the input projection and weight gradients are the host's
 * (core/recurrent/rnn-cell-wasm.ts). JS twin and equations: core/recurrent/rnn-cell.ts.
 *   h_t = φ(z),  z = x_t·W_ihᵀ + b_ih + b_hh + h_{t−1}·W_hhᵀ,  φ = tanh or ReLU
 *   backward: dz = dh ⊙ (1 − h_t²) (tanh) or dh ⊙ [h_t > 0] (ReLU)
 * Interventions (fixed.ts): `fix` (when not 0) holds a lane mask and the held values of h (2 [H]
 * arrays); a held unit's dz is 0. The steps run over B·H values at once, or row by row when units
 * are held (the masks are per unit).
 */
import { ld, st, vtanh } from './activations';
import { pin, stop } from './fixed';
import { gemmPacked, packA } from './gemm';

@inline function rnnForward4(
  z: usize,
  pre: usize,
  h: usize,
  hNext: usize,
  relu: bool,
  fx: usize,
  H4: usize,
  full: bool,
): void {
  const a = ld(z, full);
  const ht = pin(relu ? f32x4.pmax(f32x4.splat(0.0), a) : vtanh(a), fx, 0, H4, full);
  if (pre) st(pre, a, full);
  st(z, ht, full);
  st(h, ht, full);
  if (hNext) st(hNext, ht, full);
}

/** z [B, H] becomes h_t; pre (when not 0) gets z; h and hNext (when not 0) get h_t. */
function rnnForwardStep(B: i32, H: i32, z: usize, pre: usize, h: usize, hNext: usize, relu: bool, fix: usize): void {
  // Rows are contiguous: one pass over B·H values, or one pass per row when units are held.
  const rows = fix ? B : 1;
  const n = fix ? H : B * H;
  const H4 = <usize>H << 2;
  for (let b = 0; b < rows; b++) {
    const r = <usize>b * <usize>n << 2;
    let k = 0;
    for (; k + 4 <= n; k += 4) {
      const o = r + (<usize>k << 2);
      rnnForward4(z + o, pre ? pre + o : 0, h + o, hNext ? hNext + o : 0, relu, fix ? fix + (<usize>k << 2) : 0, H4, true);
    }
    for (; k < n; k++) {
      const o = r + (<usize>k << 2);
      rnnForward4(z + o, pre ? pre + o : 0, h + o, hNext ? hNext + o : 0, relu, fix ? fix + (<usize>k << 2) : 0, H4, false);
    }
  }
}

@inline function rnnBackward4(
  dOut: usize,
  dhNext: usize,
  h: usize,
  dZ: usize,
  dhOut: usize,
  relu: bool,
  fx: usize,
  H4: usize,
  full: bool,
): void {
  const dh = dOut ? f32x4.add(ld(dOut, full), ld(dhNext, full)) : ld(dhNext, full);
  const ht = ld(h, full);
  const dz = relu
    ? v128.and(dh, f32x4.gt(ht, f32x4.splat(0.0)))
    : f32x4.mul(dh, f32x4.sub(f32x4.splat(1.0), f32x4.mul(ht, ht)));
  st(dZ, stop(dz, fx, 0, H4, full), full); // a held h_t passes nothing back
  if (dhOut) st(dhOut, dh, full);
}

/** dZ [B, H] from dh = dOut (0: none) + dhNext; dhOut (when not 0) gets dh. */
function rnnBackwardStep(
  B: i32,
  H: i32,
  dOut: usize,
  dhNext: usize,
  h: usize,
  dZ: usize,
  dhOut: usize,
  relu: bool,
  fix: usize,
): void {
  const rows = fix ? B : 1; // row by row when units are held, as in the forward
  const n = fix ? H : B * H;
  const H4 = <usize>H << 2;
  for (let b = 0; b < rows; b++) {
    const r = <usize>b * <usize>n << 2;
    let k = 0;
    for (; k + 4 <= n; k += 4) {
      const o = r + (<usize>k << 2);
      const fx = fix ? fix + (<usize>k << 2) : 0;
      rnnBackward4(dOut ? dOut + o : 0, dhNext + o, h + o, dZ + o, dhOut ? dhOut + o : 0, relu, fx, H4, true);
    }
    for (; k < n; k++) {
      const o = r + (<usize>k << 2);
      const fx = fix ? fix + (<usize>k << 2) : 0;
      rnnBackward4(dOut ? dOut + o : 0, dhNext + o, h + o, dZ + o, dhOut ? dhOut + o : 0, relu, fx, H4, false);
    }
  }
}

@inline function rowAt(t: i32, B: i32, b0: i32, width: i32): usize {
  return (<usize>(t * B + b0) * <usize>width) << 2;
}

/**
 * Forward over the sequence for rows b0 … b0+Bs. z [T, B, H] holds the input projection with
 * both biases and becomes h_t; hPrev holds h0 at the first step processed and receives every
 * later h_{t−1}; h receives h_t; pre (when not 0) z. whhP is W_hhᵀ packed; ap, edge scratch;
 * fix (or 0) the interventions' block.
 */
export function rnnForwardSeq(
  T: i32,
  s0: i32,
  s1: i32,
  B: i32,
  b0: i32,
  Bs: i32,
  H: i32,
  reverse: bool,
  relu: bool,
  z: usize,
  pre: usize,
  hPrev: usize,
  h: usize,
  whhP: usize,
  ap: usize,
  edge: usize,
  fix: usize,
): void {
  for (let s = s0; s < s1; s++) {
    const t = reverse ? T - 1 - s : s;
    const st = rowAt(t, B, b0, H);
    packA(Bs, H, hPrev + st, H, 1, ap);
    gemmPacked(Bs, H, H, ap, whhP, z + st, H, edge);
    const last = s + 1 == T;
    rnnForwardStep(
      Bs,
      H,
      z + st,
      pre ? pre + st : 0,
      h + st,
      last ? 0 : hPrev + rowAt(reverse ? T - 2 - s : s + 1, B, b0, H),
      relu,
      fix,
    );
  }
}

/**
 * Backward over the sequence for rows b0 … b0+Bs: dh [Bs, H] holds ∂L/∂h_T and ends as ∂L/∂h0;
 * dZ [T, B, H] receives ∂L/∂z; whhBP is W_hh packed; dhSeq (or 0) receives the whole ∂L/∂h_t;
 * fix (or 0) is the forward's interventions' block.
 */
export function rnnBackwardSeq(
  T: i32,
  s0: i32,
  s1: i32,
  B: i32,
  b0: i32,
  Bs: i32,
  H: i32,
  reverse: bool,
  relu: bool,
  truncate: i32,
  dOut: usize,
  dh: usize,
  gates: usize,
  dZ: usize,
  whhBP: usize,
  dhSeq: usize,
  ap: usize,
  edge: usize,
  fix: usize,
): void {
  const bytes = <usize>(Bs * H) << 2;
  for (let s = s1 - 1; s >= s0; s--) {
    const t = reverse ? T - 1 - s : s;
    const st = rowAt(t, B, b0, H);
    rnnBackwardStep(Bs, H, dOut ? dOut + st : 0, dh, gates + st, dZ + st, dhSeq ? dhSeq + st : 0, relu, fix);
    // ∂L/∂h_{t−1} = dZ_t · W_hh
    memory.fill(dh, 0, bytes);
    packA(Bs, H, dZ + st, H, 1, ap);
    gemmPacked(Bs, H, H, ap, whhBP, dh, H, edge);
    if (truncate > 0 && s > 0 && s % truncate == 0) memory.fill(dh, 0, bytes);
  }
}
