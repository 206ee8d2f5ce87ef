/**
 * The LSTM's time loop over a slice of the batch, forward and backward: per step one product
 * with the recurrent weights and one fused element-wise kernel. The input projection and the
 * weight gradients, single products over all steps, are the host's (core/recurrent/
 * lstm-cell-wasm.ts). JS twin (and the equations, with the variants): core/recurrent/
 * lstm-cell.ts. This covers the standard LSTM and peepholes (a zero peephole vector gives the
 * standard cell exactly, since z + 0·c = z).
 *
 * Buffers are time-major over the whole batch, [T, B, ·]; a slice is rows b0 … b0+Bs of every
 * step, so two threads can run the two halves of a batch at once without touching each
 * other's rows, and each row is computed exactly as it would be alone. A call runs the steps
 * s0 … s1 (in processing order; backward from s1 − 1 down to s0), so the host can run a long
 * sequence in pieces and look for an interrupt between them.
 *
 * Rows are batch entries. z [B, 4H] holds blocks i, f, g, o; every other row is [B, H]; the
 * peephole vector p is [3H] (i, f, o).
 *
 * Forward, with z = x_t·W_ihᵀ + b_ih + b_hh + h_{t−1}·W_hhᵀ already in z:
 *   i = σ(z_i + p_i ⊙ c_{t−1})   f = σ(z_f + p_f ⊙ c_{t−1})   g = tanh(z_g)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g     o = σ(z_o + p_o ⊙ c_t)       h_t = o ⊙ tanh(c_t)
 *
 * Interventions (fixed.ts): `fix` (when not 0) holds a lane mask and the held values for each of
 * i, f, g, o, c, h in turn (12 [H] arrays). A held unit's value replaces the computed one where it
 * is made; the backward treats it as a constant (its dz, dc or dh is 0).
 */
import { ld, st, vsigmoid, vtanh } from './activations';
import { clockStart, lap } from './clock';
import { pin, stop } from './fixed';
import { gemmPacked, packA } from './gemm';

@inline function lstmForward4(
  z: usize,
  keep: bool,
  pre: usize,
  act: usize,
  plane: usize,
  cPrev: usize,
  p: usize,
  c: usize,
  h: usize,
  cNext: usize,
  hNext: usize,
  fx: usize,
  H: usize,
  full: bool,
): void {
  const H4 = H << 2;
  const cp = ld(cPrev, full);
  const zi = f32x4.add(ld(z, full), f32x4.mul(ld(p, full), cp));
  const zf = f32x4.add(ld(z + H4, full), f32x4.mul(ld(p + H4, full), cp));
  const zg = ld(z + 2 * H4, full);
  const i = pin(vsigmoid(zi), fx, 0, H4, full);
  const f = pin(vsigmoid(zf), fx, 1, H4, full);
  const g = pin(vtanh(zg), fx, 2, H4, full);
  const cn = pin(f32x4.add(f32x4.mul(f, cp), f32x4.mul(i, g)), fx, 4, H4, full);
  const zo = f32x4.add(ld(z + 3 * H4, full), f32x4.mul(ld(p + 2 * H4, full), cn));
  const o = pin(vsigmoid(zo), fx, 3, H4, full);
  const hn = pin(f32x4.mul(o, vtanh(cn)), fx, 5, H4, full);
  // A trace's copies, one gate block after another (plane bytes apart), so each block leaves in one piece.
  if (pre) {
    st(pre, zi, full); st(pre + plane, zf, full); st(pre + 2 * plane, zg, full); st(pre + 3 * plane, zo, full);
    st(act, i, full); st(act + plane, f, full); st(act + 2 * plane, g, full); st(act + 3 * plane, o, full);
  }
  // The backward reads the activations from z; a run without one (inference) never does.
  if (keep) {
    st(z, i, full); st(z + H4, f, full); st(z + 2 * H4, g, full); st(z + 3 * H4, o, full);
  }
  st(c, cn, full);
  st(h, hn, full);
  if (cNext) st(cNext, cn, full);
  if (hNext) st(hNext, hn, full);
}

/**
 * One forward step for B rows. z becomes the activations (i, f, g, o) when `keep` (a backward
 * follows; else it is left as it is); for a trace (pre not 0) pre and act receive the
 * pre-activations and activations as [H] rows of four blocks plane bytes apart; c and h receive c_t and h_t, and cNext / hNext (when not 0) a second copy, the
 * next step's c_{t−1} and h_{t−1}.
 */
function lstmForwardStep(
  B: i32,
  H: i32,
  z: usize,
  keep: bool,
  pre: usize,
  act: usize,
  plane: usize,
  cPrev: usize,
  p: usize,
  c: usize,
  h: usize,
  cNext: usize,
  hNext: usize,
  fix: usize,
): void {
  const h4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const zr = z + <usize>b * 4 * h4;
    const sr = <usize>b * h4;
    const pr = pre ? pre + sr : 0;
    const ar = pre ? act + sr : 0;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      lstmForward4(
        zr + o,
        keep,
        pr ? pr + o : 0,
        ar ? ar + o : 0,
        plane,
        cPrev + sr + o,
        p + o,
        c + sr + o,
        h + sr + o,
        cNext ? cNext + sr + o : 0,
        hNext ? hNext + sr + o : 0,
        fix ? fix + o : 0,
        <usize>H,
        true,
      );
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      lstmForward4(
        zr + o,
        keep,
        pr ? pr + o : 0,
        ar ? ar + o : 0,
        plane,
        cPrev + sr + o,
        p + o,
        c + sr + o,
        h + sr + o,
        cNext ? cNext + sr + o : 0,
        hNext ? hNext + sr + o : 0,
        fix ? fix + o : 0,
        <usize>H,
        false,
      );
    }
  }
}

/**
 * Backward of one step (dh = ∂L/∂h_t from the output plus from step t+1; dc likewise):
 *   do = dh ⊙ tanh(c_t)            dz_o = do ⊙ o(1 − o)
 *   dc += dh ⊙ o ⊙ (1 − tanh²(c_t)) + dz_o ⊙ p_o
 *   dz_i = dc ⊙ g ⊙ i(1 − i)   dz_f = dc ⊙ c_{t−1} ⊙ f(1 − f)   dz_g = dc ⊙ i ⊙ (1 − g²)
 *   ∂L/∂c_{t−1} = dc ⊙ f + dz_i ⊙ p_i + dz_f ⊙ p_f
 * ∂L/∂h_{t−1} = dZ_t · W_hh is the loop's product; the peephole gradients
 * (Σ dz_i ⊙ c_{t−1}, …) are column sums the host takes after the loop.
 */
@inline function lstmBackward4(
  dOut: usize,
  dhNext: usize,
  dcNext: usize,
  gates: usize,
  c: usize,
  cPrev: usize,
  p: usize,
  dZ: usize,
  dhOut: usize,
  dcOut: usize,
  fx: usize,
  H: usize,
  full: bool,
): void {
  const H4 = H << 2;
  const one = f32x4.splat(1.0);
  const dhIn = dOut ? f32x4.add(ld(dOut, full), ld(dhNext, full)) : ld(dhNext, full);
  const dh = stop(dhIn, fx, 5, H4, full); // a held h_t passes nothing back to o_t and c_t
  const i = ld(gates, full);
  const f = ld(gates + H4, full);
  const g = ld(gates + 2 * H4, full);
  const o = ld(gates + 3 * H4, full);
  const ct = ld(c, full);
  const cp = ld(cPrev, full);
  const ac = vtanh(ct);
  const dzo = stop(f32x4.mul(f32x4.mul(dh, ac), f32x4.mul(o, f32x4.sub(one, o))), fx, 3, H4, full);
  let dcIn = f32x4.add(ld(dcNext, full), f32x4.mul(f32x4.mul(dh, o), f32x4.sub(one, f32x4.mul(ac, ac))));
  dcIn = f32x4.add(dcIn, f32x4.mul(dzo, ld(p + 2 * H4, full)));
  const dc = stop(dcIn, fx, 4, H4, full);
  const dzi = stop(f32x4.mul(f32x4.mul(dc, g), f32x4.mul(i, f32x4.sub(one, i))), fx, 0, H4, full);
  const dzf = stop(f32x4.mul(f32x4.mul(dc, cp), f32x4.mul(f, f32x4.sub(one, f))), fx, 1, H4, full);
  const dzg = stop(f32x4.mul(f32x4.mul(dc, i), f32x4.sub(one, f32x4.mul(g, g))), fx, 2, H4, full);
  let dcp = f32x4.mul(dc, f);
  dcp = f32x4.add(dcp, f32x4.mul(dzi, ld(p, full)));
  dcp = f32x4.add(dcp, f32x4.mul(dzf, ld(p + H4, full)));
  st(dZ, dzi, full); st(dZ + H4, dzf, full); st(dZ + 2 * H4, dzg, full); st(dZ + 3 * H4, dzo, full);
  st(dcNext, dcp, full);
  // The norms measure ∂L/∂h_t and ∂L/∂c_t as they arrive, before a held unit stops them.
  if (dhOut) st(dhOut, dhIn, full);
  if (dcOut) st(dcOut, dcIn, full);
}

/**
 * One backward step for B rows. dOut (0 when the output has no gradient) is ∂L/∂h_t from above;
 * dhNext holds ∂L/∂h_t from step t+1; dcNext holds ∂L/∂c_t and becomes ∂L/∂c_{t−1}. Writes dZ
 * [B, 4H], and the whole ∂L/∂h_t, ∂L/∂c_t to dhOut, dcOut when they are not 0 (gradient norms).
 */
function lstmBackwardStep(
  B: i32,
  H: i32,
  dOut: usize,
  dhNext: usize,
  dcNext: usize,
  gates: usize,
  c: usize,
  cPrev: usize,
  p: usize,
  dZ: usize,
  dhOut: usize,
  dcOut: usize,
  fix: usize,
): void {
  const h4 = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const zr = <usize>b * 4 * h4;
    const sr = <usize>b * h4;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      lstmBackward4(
        dOut ? dOut + sr + o : 0,
        dhNext + sr + o,
        dcNext + sr + o,
        gates + zr + o,
        c + sr + o,
        cPrev + sr + o,
        p + o,
        dZ + zr + o,
        dhOut ? dhOut + sr + o : 0,
        dcOut ? dcOut + sr + o : 0,
        fix ? fix + o : 0,
        <usize>H,
        true,
      );
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      lstmBackward4(
        dOut ? dOut + sr + o : 0,
        dhNext + sr + o,
        dcNext + sr + o,
        gates + zr + o,
        c + sr + o,
        cPrev + sr + o,
        p + o,
        dZ + zr + o,
        dhOut ? dhOut + sr + o : 0,
        dcOut ? dcOut + sr + o : 0,
        fix ? fix + o : 0,
        <usize>H,
        false,
      );
    }
  }
}

/** Byte offset of row (t, b0) of a [T, B, width] buffer. */
@inline function rowAt(t: i32, B: i32, b0: i32, width: i32): usize {
  return (<usize>(t * B + b0) * <usize>width) << 2;
}

/**
 * Forward over the sequence for rows b0 … b0+Bs. z [T, B, 4H] holds the input projection with
 * both biases and becomes the activations when `keep` (for the backward); hPrev and cPrev must
 * hold h0, c0 at the first step processed and receive every later h_{t−1}, c_{t−1}; c and h
 * receive c_t and h_t; for a trace (pre not 0) pre and act [4, T, B, H] receive the
 * pre-activations and activations, gate block by gate block. whhP is W_hhᵀ packed (packB); ap
 * (⌈Bs/4⌉·4·H floats) and edge (32) are this slice's scratch; fix (or 0) the interventions' block (12 [H] arrays, see above);
 * prof (or 0) a profile block (clock.ts): packing, product, gate math.
 */
export function lstmForwardSeq(
  T: i32,
  s0: i32,
  s1: i32,
  B: i32,
  b0: i32,
  Bs: i32,
  H: i32,
  reverse: bool,
  keep: bool,
  z: usize,
  pre: usize,
  act: usize,
  hPrev: usize,
  cPrev: usize,
  c: usize,
  h: usize,
  p: usize,
  whhP: usize,
  ap: usize,
  edge: usize,
  fix: usize,
  prof: usize,
): void {
  const G4 = 4 * H;
  const plane = rowAt(T, B, 0, H); // one gate block of a trace: [T, B, H]
  let clock = clockStart(prof);
  for (let s = s0; s < s1; s++) {
    const t = reverse ? T - 1 - s : s;
    const zt = z + rowAt(t, B, b0, G4);
    const st = rowAt(t, B, b0, H);
    // Z_t += h_{t−1}·W_hhᵀ
    packA(Bs, H, hPrev + st, H, 1, ap);
    clock = lap(prof, 0, clock);
    gemmPacked(Bs, G4, H, ap, whhP, zt, G4, edge);
    clock = lap(prof, 1, clock);
    const last = s + 1 == T;
    const nx = last ? 0 : rowAt(reverse ? T - 2 - s : s + 1, B, b0, H);
    lstmForwardStep(
      Bs,
      H,
      zt,
      keep,
      pre ? pre + st : 0,
      pre ? act + st : 0,
      plane,
      cPrev + st,
      p,
      c + st,
      h + st,
      last ? 0 : cPrev + nx,
      last ? 0 : hPrev + nx,
      fix,
    );
    clock = lap(prof, 2, clock);
  }
}

/**
 * Backward over the sequence for rows b0 … b0+Bs. dh, dc [Bs, H] hold ∂L/∂h_T, ∂L/∂c_T and end
 * as ∂L/∂h0, ∂L/∂c0; dOut [T, B, H] (or 0) is ∂L/∂h_t from above; dZ [T, B, 4H] receives
 * ∂L/∂Z. whhBP is W_hh packed (packB); dhSeq, dcSeq [T, B, H] (or 0) receive the whole ∂L/∂h_t,
 * ∂L/∂c_t. With truncate = k > 0 no gradient crosses into step s − 1 when s is a multiple of k.
 * fix (or 0) is the forward's interventions' block; prof (or 0) a profile block (clock.ts):
 * packing, product, gate math.
 */
export function lstmBackwardSeq(
  T: i32,
  s0: i32,
  s1: i32,
  B: i32,
  b0: i32,
  Bs: i32,
  H: i32,
  reverse: bool,
  truncate: i32,
  dOut: usize,
  dh: usize,
  dc: usize,
  gates: usize,
  c: usize,
  cPrev: usize,
  p: usize,
  dZ: usize,
  whhBP: usize,
  dhSeq: usize,
  dcSeq: usize,
  ap: usize,
  edge: usize,
  fix: usize,
  prof: usize,
): void {
  const G4 = 4 * H;
  const bytes = <usize>(Bs * H) << 2;
  let clock = clockStart(prof);
  for (let s = s1 - 1; s >= s0; s--) {
    const t = reverse ? T - 1 - s : s;
    const zt = rowAt(t, B, b0, G4);
    const st = rowAt(t, B, b0, H);
    lstmBackwardStep(
      Bs,
      H,
      dOut ? dOut + st : 0,
      dh,
      dc,
      gates + zt,
      c + st,
      cPrev + st,
      p,
      dZ + zt,
      dhSeq ? dhSeq + st : 0,
      dcSeq ? dcSeq + st : 0,
      fix,
    );
    clock = lap(prof, 2, clock);
    // ∂L/∂h_{t−1} = dZ_t · W_hh
    memory.fill(dh, 0, bytes);
    packA(Bs, G4, dZ + zt, G4, 1, ap);
    clock = lap(prof, 0, clock);
    gemmPacked(Bs, H, G4, ap, whhBP, dh, H, edge);
    clock = lap(prof, 1, clock);
    if (truncate > 0 && s > 0 && s % truncate == 0) {
      memory.fill(dh, 0, bytes);
      memory.fill(dc, 0, bytes);
    }
  }
}
