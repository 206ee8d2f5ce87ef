/**
 * Interventions in the kernels (core/recurrent/intervention.ts): a cell's `fix` block (0 when
 * nothing is held) is, for each of its quantities q in turn, a lane mask [H] (all ones where a
 * unit is held) then the held values [H]. `fx` below is the block advanced to the current unit
 * (fix + 4·j), H4 the bytes of one [H] array. A held value replaces the computed one where it is
 * made; a held quantity is a constant, so the backward stops its gradient.
 */
import { ld } from './activations';

/** The lane mask of quantity q at this unit: all ones where an intervention holds it. */
@inline function fixMask(fx: usize, q: usize, H4: usize, full: bool): v128 {
  const p = fx + 2 * q * H4;
  return full ? v128.load(p) : v128.load32_splat(p);
}

/** v, with the held value where an intervention holds the unit (quantity q). */
@inline export function pin(v: v128, fx: usize, q: usize, H4: usize, full: bool): v128 {
  return fx ? v128.bitselect(ld(fx + (2 * q + 1) * H4, full), v, fixMask(fx, q, H4, full)) : v;
}

/** d, zeroed where an intervention holds the unit (quantity q): a constant passes no gradient. */
@inline export function stop(d: v128, fx: usize, q: usize, H4: usize, full: bool): v128 {
  return fx ? v128.andnot(d, fixMask(fx, q, H4, full)) : d;
}
